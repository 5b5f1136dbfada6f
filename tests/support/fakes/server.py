"""Run a fake vendor API (a WSGI app) on a loopback port, with injectable faults.

Fakes reproduce a vendor's auth scheme, pagination and error bodies in `handle`; tests queue
faults (status + body + headers, or a delay) for the next requests to see how connectors cope.

Every fake is declared the same way (tests/conftest.py): a session fixture `serve`s it once per
test process, and a per-test fixture hands it out `reset` and `configured`, the vendor's URL
setting pointing at it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from django.test import override_settings
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Fault:
    """What the next request(s) get instead of the real answer."""

    status: int = 500
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    # Seconds to wait before answering (a hanging vendor); then the real answer, or this fault
    # when `status` is set to something other than 0.
    delay: float = 0.0
    times: int = 1
    # Only requests this accepts get the fault (every request by default); the others are
    # answered normally, e.g. to break page 2 of a listing but not the token request.
    matches: Callable[[Request], bool] | None = None
    # Matching requests answered normally before the fault starts (page 1 fine, page 2 broken).
    after: int = 0


class FakeVendor:
    """Base class: subclasses implement `handle` and `reset`; requests are recorded for
    assertions."""

    # The setting holding the vendor's API URL, and what follows the fake's address in it.
    url_setting: ClassVar[str]
    url_suffix: ClassVar[str] = ""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self.base_url = ""

    def fail_next(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def _take_fault(self, request: Request) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self.faults):
                if fault.matches is not None and not fault.matches(request):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    return None
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.pop(index)
                return fault
            return None

    def reset(self) -> None:
        """Back to the freshly seeded vendor: no credentials, faults or recorded requests."""
        raise NotImplementedError

    @contextmanager
    def configured(self) -> Iterator[None]:
        """Freshly reset, with the vendor's URL setting pointing at this fake."""
        self.reset()
        with override_settings(**{self.url_setting: self.base_url + self.url_suffix}):
            yield

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        self.requests.append(request)
        fault = self._take_fault(request)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status:
                response = Response(
                    fault.body,
                    status=fault.status,
                    headers=fault.headers,
                    content_type=fault.content_type,
                )
                return response(environ, start_response)
        return self.handle(request)(environ, start_response)


class Servable(Protocol):
    """A WSGI app that is told the address it is served on."""

    base_url: str

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]: ...


App = TypeVar("App", bound=Servable)


@contextmanager
def serve(app: App) -> Iterator[App]:
    """Serve `app` on 127.0.0.1 on a free port, its `base_url` set, for the block."""
    server = make_server("127.0.0.1", 0, app, threaded=True)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield app
    finally:
        server.shutdown()
        thread.join(timeout=5)

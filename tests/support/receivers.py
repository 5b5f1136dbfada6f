"""Webhook receivers on loopback ports.

`Receiver` is written the way a customer would write one. Every request is checked with the
`standardwebhooks` library (`Webhook(secret).verify`) and its `X-Kombo-Signature` recomputed
from the raw body; a request failing either is answered 401. Tests script the answers, one per
request in order: status, `Retry-After`, extra headers, a delay before answering (a hanging
receiver) or a stall after the headers (a stalled body).

`SlowReceiver` is slow on purpose, on a bare socket (no HTTP framework in between, so nothing
buffers or times out on its side):

- `drip`: reads the whole request, then answers one byte every `interval` seconds: each byte
  arrives well within a per-read socket timeout, so only a deadline on the whole attempt ends it.
- `never_read`: reads the request's headers, then never reads its body: the sender blocks once
  the (deliberately small) buffers are full.

It counts requests by their `webhook-id` header, and connections the sender has not closed yet
too (an attempt still running).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, Literal

from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from werkzeug.wrappers import Request, Response

from tests.support.fakes.server import serve
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import endpoint_create, event_emit

ENVIRONMENT_ID = "env_webhook_tests"
# Long enough to outlast any test, short enough that a forgotten hang cannot wedge the run.
HANG_SECONDS = 30.0


@dataclass
class Reply:
    """How the receiver answers one request."""

    status: int = 200
    retry_after: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"received":true}'
    # Seconds before the status line is sent.
    delay: float = 0.0
    # Seconds between the headers and the body.
    body_delay: float = 0.0


def hang() -> Reply:
    """A receiver that never answers (until the test releases it)."""
    return Reply(delay=HANG_SECONDS)


@dataclass(frozen=True)
class Received:
    """One request as it arrived, with the receiver's verdict on its signatures."""

    path: str
    body: bytes
    headers: dict[str, str]
    received_at: float
    # The secrets whose `webhook-signature` the library accepted, in the receiver's order.
    verified_with: tuple[str, ...]
    # The library's complaint about the first secret when none verified.
    verify_error: str
    # The secrets whose HMAC matches one of the `X-Kombo-Signature` values.
    kombo_signed_with: tuple[str, ...]
    answered: int

    @property
    def accepted(self) -> bool:
        return bool(self.verified_with) and bool(self.kombo_signed_with)

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def webhook_id(self) -> str:
        return self.headers["Webhook-Id"]


def kombo_signature(secret: str, body: bytes) -> str:
    """X-Kombo-Signature as Kombo's webhooks page describes it (docs.kombo.dev/webhooks, "Validate
    the data"): HMAC-SHA256 of the request body with the webhook secret, digested as base64url
    without the optional trailing `=` padding. Written from that text, not from webhooks.signing."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Receiver:
    """The WSGI app of the receiver; `url` is where endpoints should point."""

    def __init__(self, path: str = "/hooks") -> None:
        self.path = path
        self.base_url = ""
        self.secrets: list[str] = []
        self.default = Reply()
        self.received: list[Received] = []
        self._replies: list[Reply] = []
        self._lock = threading.Lock()
        self._released = threading.Event()

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def answer(self, *replies: Reply) -> None:
        """Answer the next requests with these, in order; then with `default`."""
        with self._lock:
            self._replies.extend(replies)

    def release(self) -> None:
        """Let every hanging or stalled answer go on now (and every later one at once)."""
        self._released.set()

    def verify(self, body: bytes, headers: dict[str, str]) -> tuple[tuple[str, ...], str]:
        verified: list[str] = []
        errors: list[str] = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError as error:
                errors.append(str(error))
            else:
                verified.append(secret)
        return tuple(verified), "" if verified else (errors[0] if errors else "no secret")

    def kombo_signed_with(self, body: bytes, headers: dict[str, str]) -> tuple[str, ...]:
        """The secrets whose signature is the header's whole value, compared as a Kombo
        receiver compares it: one string against one string."""
        sent = headers.get("X-Kombo-Signature", "")
        return tuple(
            secret
            for secret in self.secrets
            if hmac.compare_digest(kombo_signature(secret, body), sent)
        )

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"the receiver got {len(self.received)} requests, not {count}")

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._replies.pop(0) if self._replies else self.default

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        body = request.get_data()
        headers = dict(request.headers.items())
        verified_with, verify_error = self.verify(body, headers)
        kombo_signed_with = self.kombo_signed_with(body, headers)
        reply = self._next_reply()
        if not (verified_with and kombo_signed_with):
            reply = Reply(status=401, body=verify_error.encode())
        self.received.append(
            Received(
                path=request.path,
                body=body,
                headers=headers,
                received_at=time.time(),
                verified_with=verified_with,
                verify_error=verify_error,
                kombo_signed_with=kombo_signed_with,
                answered=reply.status,
            )
        )
        if reply.delay:
            self._released.wait(reply.delay)
        response_headers = dict(reply.headers)
        if reply.retry_after is not None:
            response_headers["Retry-After"] = reply.retry_after
        response = Response(
            reply.body, status=reply.status, headers=response_headers, content_type="text/plain"
        )
        if not reply.body_delay:
            return response(environ, start_response)
        start_response(response.status, [*response.headers.items()])
        return self._stalled(reply)

    def _stalled(self, reply: Reply) -> Iterator[bytes]:
        # The first (empty) chunk makes the server send the status line and the headers.
        yield b""
        self._released.wait(reply.body_delay)
        yield reply.body


@contextmanager
def receiving(path: str = "/hooks") -> Iterator[Receiver]:
    """A receiver served on 127.0.0.1 for the duration of the block."""
    with serve(Receiver(path)) as receiver:
        try:
            yield receiver
        finally:
            receiver.release()


def endpoint_to(
    receiver: Receiver, *, event_types: Iterable[str] = (), description: str = "Acme receiver"
) -> tuple[WebhookEndpoint, str]:
    """An endpoint delivering to `receiver`, which is told the endpoint's secret."""
    endpoint, secret = endpoint_create(
        environment_id=ENVIRONMENT_ID,
        url=receiver.url,
        description=description,
        event_types=event_types,
    )
    receiver.secrets.append(secret)
    return endpoint, secret


def delivery_of_new_event(
    endpoint: WebhookEndpoint, *, type: str = "integration-created", **data: Any
) -> WebhookDelivery:
    """Emit an event in this environment; returns its delivery to `endpoint`."""
    event = event_emit(
        environment_id=ENVIRONMENT_ID,
        type=type,
        data=data or {"id": "acme:personio:1", "tool": "personio"},
    )
    return WebhookDelivery.objects.get(event=event, endpoint=endpoint)


# --- slow on purpose ---------------------------------------------------------------------

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
# Long enough to outlast any deadline under test, short enough that a forgotten receiver
# cannot wedge the run.
GIVE_UP_SECONDS = 120.0


class SlowReceiver:
    def __init__(self, mode: Literal["drip", "never_read"], interval: float) -> None:
        self.mode = mode
        self.interval = interval
        self.by_webhook_id: Counter[str] = Counter()
        self.arrivals: list[tuple[str, float]] = []
        self.open_connections = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if mode == "never_read":
            # Inherited by accepted sockets: the sender's body fills it after a few kilobytes.
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/hooks"
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def requests_for(self, webhook_id: str) -> int:
        with self._lock:
            return self.by_webhook_id[webhook_id]

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with self._lock:
            self.open_connections += 1
        try:
            with connection:
                connection.settimeout(GIVE_UP_SECONDS)
                head, body = self._read_head(connection)
                headers = _parse_headers(head)
                with self._lock:
                    self.by_webhook_id[headers.get("webhook-id", "")] += 1
                    self.arrivals.append((headers.get("webhook-id", ""), time.monotonic()))
                if self.mode == "never_read":
                    self._until_closed(connection)
                    return
                length = int(headers.get("content-length", "0"))
                while len(body) < length:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                for byte in ANSWER:
                    if self._stopping.wait(self.interval):
                        return
                    connection.sendall(bytes([byte]))
                self._until_closed(connection)
        except OSError:
            return
        finally:
            with self._lock:
                self.open_connections -= 1

    def _until_closed(self, connection: socket.socket) -> None:
        """Until the sender gives up on the connection (we never read what it still sends)."""
        connection.settimeout(0.1)
        while not self._stopping.is_set():
            try:
                if self.mode == "never_read":
                    # Peeking reads nothing: the buffer stays full, so the sender stays blocked;
                    # a closed connection still shows (empty peek or an error).
                    if not connection.recv(1, socket.MSG_PEEK):
                        return
                    time.sleep(0.1)
                elif not connection.recv(65536):
                    return
            except TimeoutError:
                continue

    @staticmethod
    def _read_head(connection: socket.socket) -> tuple[bytes, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(1024)
            if not chunk:
                raise ConnectionError("closed before the headers ended")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return head, body

    def start(self) -> None:
        self._acceptor.start()

    def stop(self) -> None:
        self._stopping.set()
        with suppress(OSError):
            self._listener.close()


def _parse_headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines)
    }


@contextmanager
def slow_receiving(
    mode: Literal["drip", "never_read"] = "drip", *, interval: float = 1.0
) -> Iterator[SlowReceiver]:
    receiver = SlowReceiver(mode, interval)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()

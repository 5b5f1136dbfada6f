"""A webhook receiver on a loopback port, written the way a customer would write one.

Every request is checked with the `standardwebhooks` library (`Webhook(secret).verify`) and its
`X-Kombo-Signature` recomputed from the raw body; a request failing either is answered 401.
Tests script the answers, one per request in order: status, `Retry-After`, extra headers, a
delay before answering (a hanging receiver) or a stall after the headers (a stalled body).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from werkzeug.wrappers import Request, Response

from tests.fakes.server import serve
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
    receiver = Receiver(path)
    with serve(receiver) as base_url:  # type: ignore[arg-type]
        receiver.base_url = base_url
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

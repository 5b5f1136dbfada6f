"""One signed POST to a receiver, over in WEBHOOK_TIMEOUT_SECONDS whatever the receiver does.

The address is resolved and checked right before sending and the connection pinned to it; a
timer shuts the socket at the deadline, so no receiver holds a worker longer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import certifi
import urllib3
import urllib3.connection
from django.conf import settings

from webhooks.models import WebhookEndpoint
from webhooks.urlsafety import ResolvedUrl, UnsafeUrlError, url_resolve

RESPONSE_EXCERPT_BYTES = 2048


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    latency_ms: int
    response_excerpt: str
    error_class: str
    error_message: str
    retry_after: timedelta | None


def _retry_after(value: str | None) -> timedelta | None:
    if value and value.strip().isdigit():
        return timedelta(seconds=min(int(value.strip()), 86_400))
    return None


class _Deadline:
    """When one attempt must be over. A socket timeout bounds each read or write, so a receiver
    dripping a byte at a time (or reading our body that slowly) would hold the attempt for as
    long as it likes; at the deadline a timer shuts the connection down, whatever the attempt
    is waiting for."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    @property
    def expired(self) -> bool:
        # The clock as well as the timer: a socket timeout set to the time left may fire at the
        # deadline before the timer's thread gets to run.
        return self._expired or time.monotonic() >= self._ends_at

    def left(self) -> float:
        # Never 0: a socket timeout of 0 would make the socket non-blocking.
        return max(self._ends_at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock`'s connection down at the deadline (at once when it has passed)."""
        # A duplicate descriptor: TLS wraps and detaches the original, while a shutdown through
        # either one ends the connection for both.
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            if self._expired:
                _shutdown(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class DeadlineExceededError(Exception):
    """The attempt was still running at its deadline."""


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    """A connection whose socket the deadline shuts down (the HTTPS one below as well)."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self.deadline.watch(sock)
        return sock


class _WatchedHTTPSConnection(_WatchedHTTPConnection, urllib3.connection.HTTPSConnection):
    pass


def _connection_pool(target: ResolvedUrl, deadline: _Deadline) -> urllib3.HTTPConnectionPool:
    """A pool connecting to the vetted address, with TLS checked against the URL's host name;
    its connections are shut down at the deadline and no socket waits past it."""
    timeout = urllib3.Timeout(connect=min(deadline.left(), 10.0), read=deadline.left())
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            deadline=deadline,
        )
        pool.ConnectionCls = _WatchedHTTPSConnection
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=timeout, retries=False, deadline=deadline
        )
        pool.ConnectionCls = _WatchedHTTPConnection
    return pool


def _resolve_within(url: str, deadline: _Deadline) -> ResolvedUrl:
    """`url_resolve` in a thread left behind at the deadline: a slow DNS answer (the resolver's
    own timeouts are several seconds per server) cannot be interrupted in place."""
    outcome: list[ResolvedUrl | Exception] = []

    def resolve() -> None:
        try:
            outcome.append(url_resolve(url))
        except Exception as error:
            outcome.append(error)

    resolver = threading.Thread(target=resolve, name="webhook-dns", daemon=True)
    resolver.start()
    resolver.join(deadline.left())
    if not outcome:
        raise DeadlineExceededError
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def webhook_post(endpoint: WebhookEndpoint, headers: dict[str, str], body: str) -> SendResult:
    """POST `body` to the endpoint; every failure (refused address, network, TLS, deadline) is
    a SendResult with its class and a message that names no URL, never an exception."""
    started = time.perf_counter()
    with _Deadline(settings.WEBHOOK_TIMEOUT_SECONDS) as deadline:
        try:
            status, excerpt, retry_after = _send(endpoint.url, headers, body, deadline)
        except (
            urllib3.exceptions.HTTPError,
            UnsafeUrlError,
            OSError,
            DeadlineExceededError,
        ) as error:
            timed_out = deadline.expired or isinstance(
                error, DeadlineExceededError | urllib3.exceptions.ReadTimeoutError
            )
            return SendResult(
                status_code=None,
                latency_ms=int((time.perf_counter() - started) * 1000),
                response_excerpt="",
                error_class="Timeout" if timed_out else type(error).__name__,
                # Endpoint URLs may carry tokens in their query: the message names no URL.
                error_message=(
                    f"Timed out after {deadline.seconds:g} s."
                    if timed_out
                    else _error_message(error)
                ),
                retry_after=None,
            )
    return SendResult(
        status_code=status,
        latency_ms=int((time.perf_counter() - started) * 1000),
        response_excerpt=excerpt.decode("utf-8", errors="replace"),
        error_class="",
        error_message="",
        retry_after=retry_after,
    )


def _send(
    url: str, headers: dict[str, str], body: str, deadline: _Deadline
) -> tuple[int, bytes, timedelta | None]:
    """POST `body`: the receiver's status, the start of its answer, its Retry-After. The whole
    answer (up to the excerpt) must arrive by the deadline, as a delivery is only DELIVERED
    after a 2xx was read."""
    # Resolved and checked right before sending, and the connection pinned to that address.
    target = _resolve_within(url, deadline)
    with _connection_pool(target, deadline) as pool:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body.encode(),
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(RESPONSE_EXCERPT_BYTES, decode_content=True)
        finally:
            response.release_conn()
    if deadline.expired:
        # Cut off by the shutdown: the excerpt may end early without an error.
        raise DeadlineExceededError
    return response.status, excerpt, _retry_after(response.headers.get("Retry-After"))


def _error_message(error: Exception) -> str:
    if isinstance(error, UnsafeUrlError):
        return str(error)[:500]
    if isinstance(
        error, urllib3.exceptions.ConnectTimeoutError | urllib3.exceptions.NewConnectionError
    ):
        return "Could not connect to the endpoint."
    if isinstance(error, urllib3.exceptions.SSLError):
        return "The endpoint's TLS certificate could not be verified."
    if isinstance(error, urllib3.exceptions.ProtocolError | ConnectionError):
        return "The endpoint dropped the connection before its answer was complete."
    return "The request failed."

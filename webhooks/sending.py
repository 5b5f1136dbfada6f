"""One signed POST to a receiver, over in WEBHOOK_TIMEOUT_SECONDS whatever the receiver does.

The address is resolved and checked right before sending and the connection pinned to it; a
watchdog shuts the socket at the deadline, so no receiver holds a sending thread longer.
Connections are kept alive between attempts, in one pool per vetted address (and host name),
so a worker sending a backlog to one receiver does not open a connection per delivery.
"""

from __future__ import annotations

import contextlib
import heapq
import ipaddress
import itertools
import os
import socket
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

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
    long as it likes; at the deadline the watchdog shuts the connection down, whatever the
    attempt is waiting for."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self.finished = False

    @property
    def expired(self) -> bool:
        # The clock as well as the watchdog: a socket timeout set to the time left may fire at
        # the deadline before the watchdog's thread gets to run.
        return self._expired or time.monotonic() >= self.ends_at

    def left(self) -> float:
        # Never 0: a socket timeout of 0 would make the socket non-blocking.
        return max(self.ends_at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock`'s connection down at the deadline (at once when it has passed)."""
        # A duplicate descriptor: TLS wraps and detaches the original (and an SSL socket cannot
        # be dup()ed), while a shutdown through either one ends the connection for both.
        duplicate = socket.fromfd(sock.fileno(), sock.family, sock.type)
        with self._lock:
            self._sockets.append(duplicate)
            if self._expired:
                _shutdown(duplicate)

    def expire(self) -> None:
        with self._lock:
            self._expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def __enter__(self) -> _Deadline:
        _watchdog.add(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self.finished = True
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


class _Watchdog:
    """One thread per process expiring every attempt's deadline (a timer thread per attempt
    cost more than the rest of a send to a fast receiver). It wakes at most every TICK
    seconds, so a deadline may be enforced up to TICK late; finished attempts stay queued
    until their time, so adding one rarely has to wake it."""

    TICK = 0.25

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, _Deadline]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, deadline: _Deadline) -> None:
        with self._condition:
            entry = (deadline.ends_at, next(self._order), deadline)
            heapq.heappush(self._heap, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="webhook-deadlines", daemon=True
                )
                self._thread.start()
            if self._heap[0] is entry:
                # Sooner than what it sleeps towards.
                self._condition.notify()

    def _run(self) -> None:
        with self._condition:
            while True:
                if not self._heap:
                    self._condition.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._condition.wait(max(wait, self.TICK))
                    continue
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _, _, deadline = heapq.heappop(self._heap)
                    if not deadline.finished:
                        deadline.expire()

    def after_fork(self) -> None:
        # The thread does not survive a fork (Celery's prefork children); the heap is the
        # parent's attempts.
        self._condition = threading.Condition()
        self._heap = []
        self._thread = None


_watchdog = _Watchdog()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class DeadlineExceededError(Exception):
    """The attempt was still running at its deadline."""


# The attempt each sending thread is making: a pooled connection serves one attempt at a time,
# and that attempt's deadline is the one that may shut it down.
_attempt = threading.local()


def _current_deadline() -> _Deadline:
    deadline: _Deadline = _attempt.deadline
    return deadline


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    """A connection whose socket the current attempt's deadline shuts down (the HTTPS one
    below as well), whether it is opened for this attempt or kept from an earlier one."""

    watched_by: _Deadline | None = None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self.watched_by = _current_deadline()
        self.watched_by.watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline = _current_deadline()
        if self.sock is not None and self.watched_by is not deadline:
            self.watched_by = deadline
            deadline.watch(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, urllib3.connection.HTTPSConnection):
    pass


# Pools kept per process: enough for the receivers a worker sends to at once, the least
# recently used closed beyond that.
MAX_POOLS = 64


class _Pools:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: OrderedDict[ResolvedUrl, urllib3.HTTPConnectionPool] = OrderedDict()

    def get(self, target: ResolvedUrl) -> urllib3.HTTPConnectionPool:
        """The pool connecting to the vetted address, with TLS checked against the URL's host
        name. Keyed without the path: every endpoint on one host shares its connections."""
        key = ResolvedUrl(target.scheme, target.host, target.port, "", target.address)
        with self._lock:
            pool = self._pools.get(key)
            if pool is not None:
                self._pools.move_to_end(key)
                return pool
            pool = _connection_pool(key)
            self._pools[key] = pool
            if len(self._pools) > MAX_POOLS:
                _, oldest = self._pools.popitem(last=False)
                oldest.close()
            return pool

    def after_fork(self) -> None:
        # Sockets inherited from the parent are the parent's connections.
        self._lock = threading.Lock()
        self._pools = OrderedDict()


_pools = _Pools()


def _connection_pool(target: ResolvedUrl) -> urllib3.HTTPConnectionPool:
    # Up to one connection per sending thread is kept; a surplus one is closed after its
    # request rather than waited for.
    size = max(settings.WEBHOOK_BATCH_SIZE, 1)
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            maxsize=size,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
        pool.ConnectionCls = _WatchedHTTPSConnection
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, maxsize=size, retries=False)
        pool.ConnectionCls = _WatchedHTTPConnection
    return pool


class _Threads:
    """A process's threads for one kind of work, made on first use (in the worker process,
    after the fork) and sized for WEBHOOK_BATCH_SIZE attempts at once."""

    def __init__(self, name: str, per_attempt: int) -> None:
        self._name = name
        self._per_attempt = per_attempt
        self._lock = threading.Lock()
        self._size = 0
        self._executor: ThreadPoolExecutor | None = None

    def executor(self) -> ThreadPoolExecutor:
        size = self._per_attempt * settings.WEBHOOK_BATCH_SIZE
        with self._lock:
            if self._executor is None or self._size != size:
                if self._executor is not None:
                    self._executor.shutdown(wait=False)
                self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix=self._name)
                self._size = size
            return self._executor

    def after_fork(self) -> None:
        self._lock = threading.Lock()
        self._executor = None


# Look-ups on threads of their own, left behind at the deadline: a slow DNS answer (the
# resolver's own timeouts are several seconds per server) cannot be interrupted in place, and
# starting a thread per attempt cost more than a send to a fast receiver. Twice as many as
# attempts, so look-ups left behind do not hold up the next ones.
_resolvers = _Threads("webhook-dns", per_attempt=2)
_senders = _Threads("webhook-send", per_attempt=1)


def _after_fork_in_child() -> None:
    _watchdog.after_fork()
    _pools.after_fork()
    _resolvers.after_fork()
    _senders.after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _resolve_within(url: str, deadline: _Deadline) -> ResolvedUrl:
    if _numeric_host(url):
        # Nothing to look up: resolving it cannot wait on the network.
        return url_resolve(url)
    try:
        return _resolvers.executor().submit(url_resolve, url).result(timeout=deadline.left())
    except FutureTimeoutError:
        raise DeadlineExceededError from None


def _numeric_host(url: str) -> bool:
    try:
        ipaddress.ip_address(urlsplit(url).hostname or "")
    except ValueError:
        return False
    return True


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


def webhook_post_submit(
    endpoint: WebhookEndpoint, headers: dict[str, str], body: str
) -> Future[SendResult]:
    """`webhook_post` on one of this process's sending threads: a batch is sent at once, so a
    slow receiver holds one thread for at most its deadline, never the others' sends."""
    return _senders.executor().submit(webhook_post, endpoint, headers, body)


def _send(
    url: str, headers: dict[str, str], body: str, deadline: _Deadline
) -> tuple[int, bytes, timedelta | None]:
    """POST `body`: the receiver's status, the start of its answer, its Retry-After. The whole
    answer (up to the excerpt) must arrive by the deadline, as a delivery is only DELIVERED
    after a 2xx was read."""
    # Resolved and checked right before sending, and the connection pinned to that address.
    target = _resolve_within(url, deadline)
    pool = _pools.get(target)
    _attempt.deadline = deadline
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body.encode(),
            headers={**headers, "Host": target.host_header},
            timeout=urllib3.Timeout(connect=min(deadline.left(), 10.0), read=deadline.left()),
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(RESPONSE_EXCERPT_BYTES, decode_content=True)
            if response.length_remaining != 0:
                # Unread answer left on the wire (or no length to tell): not reusable.
                response.close()
        finally:
            response.release_conn()
    finally:
        _attempt.deadline = None
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

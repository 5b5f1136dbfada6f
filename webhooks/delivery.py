"""Sending deliveries: claim (compare-and-set), POST signed, record the attempt, schedule the next.

At-least-once: a delivery is only DELIVERED after a 2xx was read; a worker that dies mid-send
leaves it IN_FLIGHT until its lease ends, then the sweeper hands it out again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import certifi
import urllib3
import urllib3.connection
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.site_urls import site_url
from core.tasks import tasks_send_on_commit
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt
from webhooks.services import DELIVERY_TASK, deliveries_send_on_commit
from webhooks.signing import signature_headers
from webhooks.urlsafety import ResolvedUrl, UnsafeUrlError, url_resolve

logger = logging.getLogger(__name__)

# Wait before attempt n+1 (after attempt n): about three days in all, as in DESIGN.md.
RETRY_SCHEDULE = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE)
# Retries this soon are handed to the broker with a countdown; later ones wait for the sweeper.
COUNTDOWN_LIMIT = timedelta(minutes=5)
RESPONSE_EXCERPT_BYTES = 2048
USER_AGENT = "kombo-site-webhooks/1.0"


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


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    secrets = [secret_decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.secret_previous_encrypted
        and endpoint.secret_previous_expires_at
        and endpoint.secret_previous_expires_at > now
    ):
        secrets.append(secret_decrypt(endpoint.secret_previous_encrypted))
    return secrets


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
        return self._expired

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


def _post(endpoint: WebhookEndpoint, headers: dict[str, str], body: str) -> SendResult:
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


def delivery_attempt(*, delivery_id: str) -> WebhookAttempt | None:
    """Make the next attempt of a due delivery; None when it is not due or another worker has it."""
    now = timezone.now()
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    claim = now + lease
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.IN_FLIGHT, claimed_until=claim)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    number = delivery.attempt_count + 1
    if not endpoint.enabled:
        _finish(delivery, DeliveryStatus.FAILED, error="The endpoint is disabled.")
        return None
    body = json.dumps(delivery.event.payload, separators=(",", ":"), ensure_ascii=False)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signature_headers(
            secrets=_signing_secrets(endpoint, now),
            message_id=delivery.event.pk,
            timestamp=now,
            body=body,
        ),
    }
    result = _post(endpoint, headers, body)
    with transaction.atomic():
        still_ours = (
            WebhookDelivery.objects.select_for_update()
            .filter(pk=delivery.pk, status=DeliveryStatus.IN_FLIGHT, claimed_until=claim)
            .exists()
        )
        if not still_ours:
            # The send outlived its lease and the sweeper handed the delivery out again; the
            # newer attempt owns the record (the receiver may see this one too: at-least-once).
            logger.warning("Delivery %s: attempt %s finished after its lease", delivery.pk, number)
            return None
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=now,
            request_headers=headers,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            response_excerpt=result.response_excerpt,
            error_class=result.error_class,
            error_message=result.error_message,
        )
        _settle(delivery, endpoint, result, number)
    return attempt


def _finish(delivery: WebhookDelivery, status: DeliveryStatus, *, error: str = "") -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, claimed_until=None, last_error=error[:500]
    )


def _settle(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, result: SendResult, number: int
) -> None:
    now = timezone.now()
    code = result.status_code
    update: dict[str, object] = {
        "attempt_count": number,
        "last_status_code": code,
        "last_error": result.error_message or (f"HTTP {code}" if code and code >= 300 else ""),
        "claimed_until": None,
    }
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DELIVERED, delivered_at=now, **update
        )
        # Only when it was failing: an unconditional write would lock the endpoint's row in
        # every delivery's transaction and serialize the workers sending to it.
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(
            failing_since=None
        )
        return
    if code == 410:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, **update
        )
        _endpoint_disable(endpoint, "The endpoint answered 410 Gone.")
        return
    if number >= MAX_ATTEMPTS:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, **update
        )
    else:
        # Receivers misconfigure: other 4xx are retried like 5xx, and recorded.
        wait = RETRY_SCHEDULE[number] * random.uniform(0.9, 1.1)  # noqa: S311 - jitter
        if result.retry_after is not None:
            wait = max(wait, result.retry_after)
        next_at = now + wait
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=next_at, **update
        )
        if wait <= COUNTDOWN_LIMIT:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(enqueued_at=now)
            # The on-commit callbacks after this one (the auto-disable email) still run.
            tasks_send_on_commit(
                DELIVERY_TASK,
                [[delivery.pk]],
                countdown=wait.total_seconds(),
                recovery="the sweeper, once the retry is due",
            )
    _endpoint_note_failure(endpoint, now)


def _endpoint_note_failure(endpoint: WebhookEndpoint, now: datetime) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    endpoint.refresh_from_db(fields=["failing_since", "enabled"])
    if (
        endpoint.enabled
        and endpoint.failing_since is not None
        and now - endpoint.failing_since >= settings.WEBHOOK_DISABLE_AFTER
    ):
        days = settings.WEBHOOK_DISABLE_AFTER.days or 1
        _endpoint_disable(endpoint, f"Every delivery failed for {days} days.")


def _endpoint_disable(endpoint: WebhookEndpoint, reason: str) -> None:
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_reason=reason, disabled_at=timezone.now()
    )
    if not disabled:
        return
    recipients = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        subject = f"Webhook endpoint disabled: {endpoint.description or endpoint.pk}"
        message = (
            f"kombo-site disabled the webhook endpoint {endpoint.pk} "
            f"({endpoint.description or 'no description'}).\n\nReason: {reason}\n\n"
            f"Fix the receiver, then enable the endpoint again and redeliver the failed "
            f"deliveries from {site_url('webhooks:endpoint_list')}."
        )
        transaction.on_commit(lambda: send_mail(subject, message, None, recipients))


WORKER_LOST = "The worker stopped (killed or lost) before it recorded the attempt."


def _deliveries_reclaim(*, now: datetime, lease: timedelta, limit: int) -> int:
    """Give back IN_FLIGHT deliveries whose lease ended, each with an attempt row saying so.

    The lost attempt counts towards MAX_ATTEMPTS: a delivery that takes its worker down every
    time ends FAILED instead of being handed out forever.
    """
    stale = list(
        WebhookDelivery.objects.select_for_update(skip_locked=True)
        .filter(status=DeliveryStatus.IN_FLIGHT, claimed_until__lt=now)
        .only("pk", "attempt_count", "claimed_until")[:limit]
    )
    for delivery in stale:
        number = delivery.attempt_count + 1
        assert delivery.claimed_until is not None
        started_at = delivery.claimed_until - lease
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            latency_ms=max(int((now - started_at).total_seconds() * 1000), 0),
            error_class="WorkerLost",
            error_message=WORKER_LOST,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if number >= MAX_ATTEMPTS else DeliveryStatus.PENDING,
            attempt_count=number,
            last_status_code=None,
            last_error=WORKER_LOST,
            claimed_until=None,
            enqueued_at=None,
        )
    return len(stale)


@dataclass
class SweepResult:
    resent: int = 0
    reclaimed: int = 0


def deliveries_sweep(*, now: datetime | None = None, limit: int = 1000) -> SweepResult:
    """Hand out what is due and was not (or no longer is) with a worker.

    Due PENDING deliveries not handed out within a lease (a lost broker message, a Redis
    restart, a retry too far out for a countdown) and IN_FLIGHT ones whose lease ended
    (a killed worker) are sent to the workers again; the claim makes duplicates harmless.
    """
    now = now or timezone.now()
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    result = SweepResult()
    with transaction.atomic():
        result.reclaimed = _deliveries_reclaim(now=now, lease=lease, limit=limit)
        due = list(
            WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(
                Q(enqueued_at__isnull=True)
                | Q(enqueued_at__lt=now - lease)
                # Handed out for an earlier attempt, not for this one.
                | Q(enqueued_at__lt=F("next_attempt_at"))
            )
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        deliveries_send_on_commit(due)
        result.resent = len(due)
    return result

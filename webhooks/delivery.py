"""Sending deliveries: claim a batch (compare-and-set), POST each signed on its own thread,
record the attempts together, schedule the next.

At-least-once: a delivery is only DELIVERED after a 2xx was read; a worker that dies mid-send
leaves it IN_FLIGHT until its lease ends, then the sweeper hands it out again.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections import defaultdict
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.site_urls import site_url
from core.tasks import tasks_send_on_commit
from webhooks.metrics import webhook_attempts_observe
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt
from webhooks.sending import SendResult, webhook_post, webhook_post_submit
from webhooks.services import SEND_TASK, deliveries_send_on_commit
from webhooks.signing import signature_headers

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
USER_AGENT = "kombo-site-webhooks/1.0"
# How long the finished sends of a batch wait for a slower one before they are recorded (and
# their threads given new deliveries): a slow receiver delays the others' records this much.
STRAGGLER_WAIT_SECONDS = 0.2
# A send task stops claiming after this long and wakes another one if more is due, so a warm
# shutdown (or a deploy) never waits on a backlog.
SEND_TASK_SECONDS = 30.0


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    secrets = [secret_decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.secret_previous_encrypted
        and endpoint.secret_previous_expires_at
        and endpoint.secret_previous_expires_at > now
    ):
        secrets.append(secret_decrypt(endpoint.secret_previous_encrypted))
    return secrets


@dataclass
class _Send:
    """A claimed delivery on its way: what is sent, and the claim that must still hold when its
    attempt is recorded."""

    delivery: WebhookDelivery
    claim: datetime
    started_at: datetime
    headers: dict[str, str]
    body: str

    @property
    def number(self) -> int:
        return self.delivery.attempt_count + 1


def _sends_prepare(deliveries: list[WebhookDelivery], claim: datetime) -> list[_Send]:
    """Sign each claimed delivery; those to a disabled endpoint fail without an attempt."""
    now = timezone.now()
    disabled = [d.pk for d in deliveries if not d.endpoint.enabled]
    if disabled:
        WebhookDelivery.objects.filter(pk__in=disabled).update(
            status=DeliveryStatus.FAILED, claimed_until=None, last_error="The endpoint is disabled."
        )
    secrets: dict[str, list[str]] = {}
    sends = []
    for delivery in deliveries:
        endpoint = delivery.endpoint
        if not endpoint.enabled:
            continue
        if endpoint.pk not in secrets:
            secrets[endpoint.pk] = _signing_secrets(endpoint, now)
        body = json.dumps(delivery.event.payload, separators=(",", ":"), ensure_ascii=False)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **signature_headers(
                secrets=secrets[endpoint.pk],
                message_id=delivery.event_id,
                timestamp=now,
                body=body,
            ),
        }
        sends.append(_Send(delivery, claim, now, headers, body))
    return sends


def _claimed_load(ids: list[str]) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.select_related("event", "endpoint")
        .filter(pk__in=ids)
        .order_by("next_attempt_at")
    )


def _deliveries_claim(*, limit: int) -> tuple[list[WebhookDelivery], datetime]:
    """Take up to `limit` due deliveries, oldest due first, in one compare-and-set UPDATE: rows
    another worker is claiming are skipped (PostgreSQL) or waited for (SQLite writes one at a
    time), never taken twice."""
    now = timezone.now()
    claim = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    table = connection.ops.quote_name(WebhookDelivery._meta.db_table)
    skip_locked = (
        "FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    # The ORM has no UPDATE ... RETURNING, and a claim must say which rows it took. Only
    # constants are formatted in; the values are parameters.
    sql = (
        f"UPDATE {table} SET status = %s, claimed_until = %s WHERE id IN ("  # noqa: S608
        f"SELECT id FROM {table} WHERE status = %s AND next_attempt_at <= %s "
        f"ORDER BY next_attempt_at LIMIT %s {skip_locked}) RETURNING id"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [DeliveryStatus.IN_FLIGHT, adapt(claim), DeliveryStatus.PENDING, adapt(now), limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return (_claimed_load(ids) if ids else []), claim


def delivery_attempt(*, delivery_id: str) -> WebhookAttempt | None:
    """Make the next attempt of one due delivery, in this thread; None when it is not due or
    another worker has it."""
    now = timezone.now()
    claim = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.IN_FLIGHT, claimed_until=claim)
    if not claimed:
        return None
    sends = _sends_prepare(_claimed_load([delivery_id]), claim)
    if not sends:
        return None
    [send] = sends
    attempts = _sends_record(
        [(send, webhook_post(send.delivery.endpoint, send.headers, send.body))]
    )
    return attempts[0] if attempts else None


def deliveries_send() -> int:
    """Send what is due, batch after batch, until nothing is; returns the attempts recorded.

    Every claimed delivery is sent at once on its own thread (within its deadline, inside its
    lease); finished ones are recorded together and their places refilled by a new claim, so
    a slow receiver holds one place for at most its deadline while the rest flow on.
    """
    batch_size = settings.WEBHOOK_BATCH_SIZE
    stop_claiming_at = time.monotonic() + SEND_TASK_SECONDS
    running: dict[Future[SendResult], _Send] = {}
    recorded = 0
    more_due = False
    # A short claim means nothing else was due: what becomes due later comes with a wake-up
    # of its own, so an idle batch ends without asking again.
    maybe_due = True
    while True:
        free = batch_size - len(running)
        claimed = False
        if free > 0 and (maybe_due or running):
            if time.monotonic() < stop_claiming_at:
                deliveries, claim = _deliveries_claim(limit=free)
                claimed = bool(deliveries)
                maybe_due = len(deliveries) == free
                for send in _sends_prepare(deliveries, claim):
                    endpoint = send.delivery.endpoint
                    running[webhook_post_submit(endpoint, send.headers, send.body)] = send
            else:
                more_due = True
        if not running:
            if claimed:
                # All to disabled endpoints (failed without an attempt): more may be due.
                continue
            break
        done, _ = wait(running, timeout=STRAGGLER_WAIT_SECONDS, return_when=ALL_COMPLETED)
        if not done and len(running) >= batch_size:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
        if done:
            recorded += len(_sends_record([(running.pop(f), _outcome(f)) for f in done]))
    if more_due:
        tasks_send_on_commit(SEND_TASK, [[]], recovery="the sweeper")
    return recorded


def _outcome(sent: Future[SendResult]) -> SendResult:
    """What a send came to; a bug in it is a failed attempt (retried), not a lost batch."""
    try:
        return sent.result()
    except Exception as error:
        logger.exception("Sending a delivery failed unexpectedly")
        return SendResult(
            status_code=None,
            latency_ms=0,
            response_excerpt="",
            error_class=type(error).__name__,
            error_message="The request failed.",
            retry_after=None,
        )


def attempts_write(attempts: list[WebhookAttempt]) -> list[WebhookAttempt]:
    """The one place attempt rows are written (sent or given up on for a lost worker)."""
    written = WebhookAttempt.objects.bulk_create(attempts)
    webhook_attempts_observe(written)
    return written


def _sends_record(finished: list[tuple[_Send, SendResult]]) -> list[WebhookAttempt]:
    """Record finished sends, one attempt row each, and settle their deliveries, in one
    transaction; a send whose claim was lost meanwhile is left to the newer attempt."""
    with transaction.atomic():
        held = dict(
            WebhookDelivery.objects.select_for_update()
            .filter(pk__in=[send.delivery.pk for send, _ in finished])
            .filter(status=DeliveryStatus.IN_FLIGHT)
            .values_list("pk", "claimed_until")
        )
        ours = []
        for send, result in finished:
            if held.get(send.delivery.pk) == send.claim:
                ours.append((send, result))
            else:
                # The send outlived its lease and the sweeper handed the delivery out again;
                # the newer attempt owns the record (the receiver may see this one too:
                # at-least-once).
                logger.warning(
                    "Delivery %s: attempt %s finished after its lease",
                    send.delivery.pk,
                    send.number,
                )
        attempts = attempts_write(
            [
                WebhookAttempt(
                    delivery=send.delivery,
                    number=send.number,
                    started_at=send.started_at,
                    request_headers=send.headers,
                    status_code=result.status_code,
                    latency_ms=result.latency_ms,
                    response_excerpt=result.response_excerpt,
                    error_class=result.error_class,
                    error_message=result.error_message,
                )
                for send, result in ours
            ]
        )
        _deliveries_settle(ours)
    return attempts


def _succeeded(result: SendResult) -> bool:
    return result.status_code is not None and 200 <= result.status_code < 300


def _deliveries_settle(finished: list[tuple[_Send, SendResult]]) -> None:
    now = timezone.now()
    delivered: defaultdict[int | None, list[str]] = defaultdict(list)
    endpoints_ok: dict[str, WebhookEndpoint] = {}
    endpoints_failing: dict[str, WebhookEndpoint] = {}
    countdowns: set[int] = set()
    for send, result in finished:
        endpoint = send.delivery.endpoint
        if _succeeded(result):
            delivered[result.status_code].append(send.delivery.pk)
            if endpoint.failing_since is not None:
                endpoints_ok[endpoint.pk] = endpoint
            continue
        wait = _delivery_settle_failure(send.delivery, endpoint, result, send.number, now)
        if wait is not None and wait <= COUNTDOWN_LIMIT:
            countdowns.add(math.ceil(wait.total_seconds()))
        if result.status_code != 410:
            endpoints_failing[endpoint.pk] = endpoint
    for code, ids in delivered.items():
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            # Still claimed by this attempt (checked under lock): its count is the one it read.
            attempt_count=F("attempt_count") + 1,
            last_status_code=code,
            last_error="",
            claimed_until=None,
        )
    # Only when it was failing (when claimed; a failure since then is cleared by the next
    # success): an unconditional write would lock the endpoint's row in every batch's
    # transaction and serialize the workers sending to it. In key order, so two workers'
    # batches never wait on each other crosswise.
    for pk in sorted(endpoints_ok):
        WebhookEndpoint.objects.filter(pk=pk, failing_since__isnull=False).update(
            failing_since=None
        )
    for pk in sorted(set(endpoints_failing) - set(endpoints_ok)):
        _endpoint_note_failure(endpoints_failing[pk], now)
    for countdown in sorted(countdowns):
        # The on-commit callbacks after this one (the auto-disable email) still run.
        tasks_send_on_commit(
            SEND_TASK, [[]], countdown=countdown, recovery="the sweeper, once the retry is due"
        )


def _delivery_settle_failure(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    result: SendResult,
    number: int,
    now: datetime,
) -> timedelta | None:
    """Settle a failed attempt: FAILED (410, or the last attempt) or PENDING for its retry;
    returns the wait before that retry."""
    code = result.status_code
    update: dict[str, object] = {
        "attempt_count": number,
        "last_status_code": code,
        "last_error": result.error_message or (f"HTTP {code}" if code and code >= 300 else ""),
        "claimed_until": None,
    }
    if code == 410:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, **update
        )
        _endpoint_disable(endpoint, "The endpoint answered 410 Gone.")
        return None
    if number >= MAX_ATTEMPTS:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, **update
        )
        return None
    # Receivers misconfigure: other 4xx are retried like 5xx, and recorded.
    wait = RETRY_SCHEDULE[number] * random.uniform(0.9, 1.1)  # noqa: S311 - jitter
    if result.retry_after is not None:
        wait = max(wait, result.retry_after)
    if wait <= COUNTDOWN_LIMIT:
        update["enqueued_at"] = now
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now + wait, **update
    )
    return wait


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
    lost = []
    for delivery in stale:
        number = delivery.attempt_count + 1
        assert delivery.claimed_until is not None
        started_at = delivery.claimed_until - lease
        lost.append(
            WebhookAttempt(
                delivery=delivery,
                number=number,
                started_at=started_at,
                latency_ms=max(int((now - started_at).total_seconds() * 1000), 0),
                error_class="WorkerLost",
                error_message=WORKER_LOST,
            )
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if number >= MAX_ATTEMPTS else DeliveryStatus.PENDING,
            attempt_count=number,
            last_status_code=None,
            last_error=WORKER_LOST,
            claimed_until=None,
            enqueued_at=None,
        )
    attempts_write(lost)
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

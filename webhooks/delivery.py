"""Sending deliveries: claim (compare-and-set), POST signed, record the attempt, schedule the next.

At-least-once: a delivery is only DELIVERED after a 2xx was read; a worker that dies mid-send
leaves it IN_FLIGHT until its lease ends, then the sweeper hands it out again.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.site_urls import site_url
from core.tasks import tasks_send_on_commit
from webhooks.metrics import webhook_attempts_observe
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt
from webhooks.sending import SendResult, webhook_post
from webhooks.services import DELIVERY_TASK, deliveries_send_on_commit
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


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    secrets = [secret_decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.secret_previous_encrypted
        and endpoint.secret_previous_expires_at
        and endpoint.secret_previous_expires_at > now
    ):
        secrets.append(secret_decrypt(endpoint.secret_previous_encrypted))
    return secrets


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
    result = webhook_post(endpoint, headers, body)
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
        webhook_attempts_observe([attempt])
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
        lost = WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            latency_ms=max(int((now - started_at).total_seconds() * 1000), 0),
            error_class="WorkerLost",
            error_message=WORKER_LOST,
        )
        webhook_attempts_observe([lost])
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

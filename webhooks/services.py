"""Writes of the webhooks domain: emitting events (the outbox), endpoints, redelivery.

Sending is in `webhooks.delivery`. Tasks are sent by name on commit: a rolled-back change
never reaches a worker, and this module never imports the task module.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.pruning import rows_delete_in_batches
from core.tasks import tasks_send_on_commit
from webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_event_id,
)
from webhooks.secrets import secret_encrypt, secret_generate, secret_reencrypt
from webhooks.urlsafety import url_check

EVENT_TYPES = (
    "integration-created",
    "integration-deleted",
    "integration-state-changed",
    "sync-finished",
    "data-changed",
    "connection-flow-failed",
    "issue-status-changed",
)
# Sent only by "send test event", to one endpoint.
TEST_EVENT_TYPE = "test"
SEND_TASK = "webhooks.tasks.webhook_deliveries_send_task"
SECRET_ROTATION_OVERLAP = timedelta(hours=24)


def deliveries_send_on_commit(delivery_ids: Iterable[str]) -> None:
    """Mark deliveries enqueued and wake a worker once the transaction commits: one wake-up per
    transaction, however many events it emits, as a worker claims whatever is due."""
    ids = list(delivery_ids)
    if not ids:
        return
    WebhookDelivery.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    # The same wake-up is registered by every change of the transaction until it has run: the
    # first call after the commit sends it, the others find it sent. (Registered each time, as
    # a rolled-back savepoint drops the callbacks registered within it.)
    wake = getattr(_wake, "pending", None)
    if wake is None or wake.sent:
        wake = _wake.pending = _WorkersWake()
    transaction.on_commit(wake)


_wake = threading.local()


class _WorkersWake:
    sent = False

    def __call__(self) -> None:
        if self.sent:
            return
        self.sent = True
        # After the commit, outside any transaction: sent at once.
        tasks_send_on_commit(SEND_TASK, [[]], recovery="the sweeper")


def event_emit(
    *,
    environment_id: str,
    type: str,
    data: dict[str, Any],
    integration_id: str | None = None,
    only_endpoint: WebhookEndpoint | None = None,
) -> WebhookEvent:
    """Record an event and one delivery per subscribed endpoint, in the caller's transaction."""
    if type not in EVENT_TYPES and not (type == TEST_EVENT_TYPE and only_endpoint is not None):
        raise ValueError(f"Unknown webhook event type {type!r}.")
    event_id = new_event_id()
    now = timezone.now()
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            id=event_id,
            environment_id=environment_id,
            integration_id=integration_id,
            type=type,
            payload={"id": event_id, "type": type, "data": data},
        )
        endpoints = (
            [only_endpoint]
            if only_endpoint is not None
            else [
                endpoint
                for endpoint in WebhookEndpoint.objects.filter(
                    environment_id=environment_id, enabled=True
                )
                if endpoint.subscribes_to(type)
            ]
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    id=new_event_id(),
                    event=event,
                    endpoint=endpoint,
                    event_type=type,
                    integration_id=integration_id,
                    next_attempt_at=now,
                )
                for endpoint in endpoints
            ]
        )
        deliveries_send_on_commit(d.pk for d in deliveries)
    return event


def endpoint_event_types_checked(event_types: Iterable[str]) -> list[str]:
    chosen = sorted(set(event_types))
    unknown = [t for t in chosen if t not in EVENT_TYPES]
    if unknown:
        raise ValueError(f"Unknown event types: {', '.join(unknown)}.")
    return chosen


def endpoint_create(
    *, environment_id: str, url: str, description: str = "", event_types: Iterable[str] = ()
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint; returns it with its signing secret, shown this once."""
    url_check(url)
    secret = secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        environment_id=environment_id,
        url=url,
        description=description,
        event_types=endpoint_event_types_checked(event_types),
        secret_encrypted=secret_encrypt(secret),
    )
    return endpoint, secret


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    description: str | None = None,
    event_types: Iterable[str] | None = None,
    enabled: bool | None = None,
) -> WebhookEndpoint:
    if url is not None:
        url_check(url)
    checked_types = endpoint_event_types_checked(event_types) if event_types is not None else None
    with transaction.atomic():
        # Locked and saved field by field: a concurrent rotation or auto-disable is kept.
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        changed = ["updated_at"]
        if url is not None:
            locked.url = url
            changed.append("url")
        if description is not None:
            locked.description = description
            changed.append("description")
        if checked_types is not None:
            locked.event_types = checked_types
            changed.append("event_types")
        if enabled is not None and enabled != locked.enabled:
            locked.enabled = enabled
            locked.disabled_reason = "" if enabled else "Disabled by an operator."
            locked.disabled_at = None if enabled else timezone.now()
            locked.failing_since = None
            changed += ["enabled", "disabled_reason", "disabled_at", "failing_since"]
        locked.save(update_fields=changed)
    endpoint.refresh_from_db()
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, returned once; the old one keeps signing too for 24 hours."""
    secret = secret_generate()
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.secret_previous_encrypted = locked.secret_encrypted
        locked.secret_previous_expires_at = timezone.now() + SECRET_ROTATION_OVERLAP
        locked.secret_encrypted = secret_encrypt(secret)
        locked.save()
    endpoint.refresh_from_db()
    return secret


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def endpoint_send_test(*, endpoint: WebhookEndpoint) -> WebhookEvent:
    return event_emit(
        environment_id=endpoint.environment_id,
        type=TEST_EVENT_TYPE,
        data={"message": "A test event from kombo-site.", "endpoint_id": endpoint.pk},
        only_endpoint=endpoint,
    )


def delivery_redeliver(*, delivery: WebhookDelivery) -> bool:
    """Send a delivery again now (unless one is already under way)."""
    with transaction.atomic():
        changed = WebhookDelivery.objects.filter(
            pk=delivery.pk, status__in=(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
        ).update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), claimed_until=None)
        if changed:
            deliveries_send_on_commit([delivery.pk])
    delivery.refresh_from_db()
    return bool(changed)


def deliveries_redeliver_failed(
    *, environment_id: str, since: datetime, endpoint: WebhookEndpoint | None = None
) -> int:
    """Redeliver every FAILED delivery created since `since` (of one endpoint, or all).

    One UPDATE with the status in its WHERE (a delivery taken meanwhile is left alone); the
    sweeper hands them to the workers within a minute, however many there are.
    """
    failed = WebhookDelivery.objects.filter(
        endpoint__environment_id=environment_id,
        status=DeliveryStatus.FAILED,
        created_at__gte=since,
    )
    if endpoint is not None:
        failed = failed.filter(endpoint=endpoint)
    return failed.update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=timezone.now(),
        claimed_until=None,
        enqueued_at=None,
    )


def endpoint_secrets_reencrypt_all() -> int:
    """Re-encrypt every endpoint secret with the first FIELD_ENCRYPTION_KEYS key."""
    count = 0
    with transaction.atomic():
        for endpoint in WebhookEndpoint.objects.select_for_update():
            endpoint.secret_encrypted = secret_reencrypt(endpoint.secret_encrypted)
            endpoint.secret_previous_encrypted = secret_reencrypt(
                endpoint.secret_previous_encrypted
            )
            endpoint.save(update_fields=["secret_encrypted", "secret_previous_encrypted"])
            count += 1
    return count


def webhook_history_prune(*, now: datetime | None = None) -> int:
    """Delete events older than WEBHOOK_HISTORY_RETENTION whose deliveries are all settled
    (delivered or failed), with their deliveries and attempts."""
    cutoff = (now or timezone.now()) - settings.WEBHOOK_HISTORY_RETENTION
    return rows_delete_in_batches(
        WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(
            deliveries__status__in=(DeliveryStatus.PENDING, DeliveryStatus.IN_FLIGHT)
        )
    )

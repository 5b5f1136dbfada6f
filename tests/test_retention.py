"""Old history is pruned daily; anything still in flight, and recent rows, are kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Environment, RequestLog
from core.services import request_logs_prune
from syncs.models import AuthCheck, Sync, SyncState
from syncs.services import sync_history_prune
from tests.support.factories import IntegrationFactory
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from webhooks.services import endpoint_create, event_emit, webhook_history_prune

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=400)


def _age(model: type, **filters: object) -> None:
    model.objects.filter(**filters).update(created_at=LONG_AGO)  # type: ignore[attr-defined]


def test_it_prunes_old_request_logs_only() -> None:
    for path in ("/old", "/new"):
        RequestLog.objects.create(method="GET", path=path, status_code=200, latency_ms=1)
    _age(RequestLog, path="/old")

    assert request_logs_prune() == 1
    assert list(RequestLog.objects.values_list("path", flat=True)) == ["/new"]


def test_it_prunes_old_finished_syncs_and_checks_but_never_an_active_sync(
    environment: Environment,
) -> None:
    integration = IntegrationFactory(environment=environment)
    finished = Sync.objects.create(
        integration=integration, type="FULL", trigger="SCHEDULE", state=SyncState.SUCCEEDED
    )
    running = Sync.objects.create(
        integration=integration, type="FULL", trigger="SCHEDULE", state=SyncState.RUNNING
    )
    AuthCheck.objects.create(integration=integration, trigger="SYNC", outcome="OK", latency_ms=1)
    recent = AuthCheck.objects.create(
        integration=integration, trigger="SYNC", outcome="OK", latency_ms=2
    )
    _age(Sync)
    _age(AuthCheck, latency_ms=1)

    assert sync_history_prune() == 2
    assert list(Sync.objects.values_list("pk", flat=True)) == [running.pk]
    assert list(AuthCheck.objects.values_list("pk", flat=True)) == [recent.pk]
    assert finished.pk not in set(Sync.objects.values_list("pk", flat=True))


def test_it_prunes_old_settled_webhook_events_with_their_deliveries(
    environment: Environment,
) -> None:
    endpoint_create(environment_id=environment.pk, url="https://hooks.example.com/x")
    settled = event_emit(environment_id=environment.pk, type="sync-finished", data={})
    pending = event_emit(environment_id=environment.pk, type="sync-finished", data={})
    WebhookDelivery.objects.filter(event=settled).update(status=DeliveryStatus.DELIVERED)
    _age(WebhookEvent)

    assert webhook_history_prune() == 1
    assert list(WebhookEvent.objects.values_list("pk", flat=True)) == [pending.pk]
    assert WebhookDelivery.objects.filter(event=pending).exists()
    assert not WebhookDelivery.objects.filter(event_id=settled.pk).exists()

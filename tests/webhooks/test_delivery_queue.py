"""Deliveries run on their own queue: with the delivery worker stuck on two slow receivers, a
forced sync is run by the sync worker meanwhile. (That a slow attempt ends at its deadline is
test_attempt_deadline.py's.)

Outside source: issue 14 ("with two such receivers a forced sync waited 174 s and scheduler
ticks expired ... run deliveries on their own Celery queue so slow receivers can't starve syncs
and the scheduler"); README's production section names the queues each worker consumes.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import ApiKey, Environment
from integrations.models import Integration
from syncs.models import Sync, SyncState
from tests.support.processes import (
    CeleryWorkers,
    celery_app_on,
    celery_workers,
    fleet_create,
    private_redis,
    wait_for,
    worker_env,
)
from tests.support.receivers import ENVIRONMENT_ID, slow_receiving
from tests.support.services import require_service
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import endpoint_create, event_emit

pytestmark = pytest.mark.django_db(transaction=True)

# Far longer than a forced sync takes even on a slow machine, so both deliveries are surely
# still being attempted when it is done. The lease must outlast an attempt (settings check).
DEADLINE = 60


def _wait_until_ready(workers: CeleryWorkers) -> None:
    wait_for(
        lambda: f"the {workers.name} worker (log: {workers.log_tail()!r})",
        lambda: " ready." in workers.log_tail(),
        timeout=60,
    )


def test_it_runs_a_forced_sync_while_the_delivery_worker_waits_on_slow_receivers(
    environment: Environment, api_key: tuple[ApiKey, str], live_server: Any, tmp_path: Path
) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (worker processes cannot open the in-memory test DB)",
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")
    with ExitStack() as stack:
        broker = stack.enter_context(private_redis(tmp_path))
        stack.enter_context(celery_app_on(broker.url))
        fleet = fleet_create(environment=environment, integrations=1, account_sizes=(5,))
        [integration_id] = fleet.integration_ids
        # Synced only when forced.
        Integration.objects.filter(pk=integration_id).update(
            next_sync_at=timezone.now() + timedelta(days=1)
        )
        env = {
            **worker_env(broker=broker, sandbox_hr_url=live_server.url + "/sandbox-hr"),
            "WEBHOOK_TIMEOUT_SECONDS": str(DEADLINE),
            "WEBHOOK_LEASE_SECONDS": str(DEADLINE + 10),
        }
        # As the README's production section deploys them: one worker per kind of work.
        webhook_workers = stack.enter_context(
            celery_workers(
                workdir=tmp_path,
                env=env,
                queues=[settings.CELERY_WEBHOOKS_QUEUE],
                beat=False,
                concurrency=2,
                name="webhooks",
            )
        )
        sync_workers = stack.enter_context(
            celery_workers(
                workdir=tmp_path,
                env=env,
                queues=[settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_SYNCS_QUEUE],
                concurrency=1,
                name="syncs",
            )
        )
        webhook_workers.start()
        sync_workers.start()
        for workers in (webhook_workers, sync_workers):
            _wait_until_ready(workers)
        # Entered last, so stopped first: the attempts they hold end before the workers stop.
        receivers = [stack.enter_context(slow_receiving("drip", interval=1.0)) for _ in range(2)]
        for receiver in receivers:
            endpoint_create(environment_id=ENVIRONMENT_ID, url=receiver.url)

        event = event_emit(
            environment_id=ENVIRONMENT_ID, type="integration-created", data={"id": "slow:1"}
        )
        wait_for(
            lambda: f"both slow receivers to be sent to (log: {webhook_workers.log_tail()!r})",
            lambda: all(r.requests_for(event.pk) == 1 for r in receivers),
            timeout=30,
        )
        forced = api.post(
            "/api/v1/force-sync",
            {"type": "FULL"},
            content_type="application/json",
            HTTP_X_INTEGRATION_ID=integration_id,
        )
        # Past the deadline the deliveries would no longer be in flight: no use waiting longer.
        wait_for(
            lambda: f"the forced sync (log: {sync_workers.log_tail()!r})",
            lambda: Sync.objects.filter(
                integration_id=integration_id, state=SyncState.SUCCEEDED
            ).exists(),
            timeout=DEADLINE,
        )
        statuses_at_sync_end = sorted(
            WebhookDelivery.objects.filter(event=event).values_list("status", flat=True)
        )
        attempts_at_sync_end = WebhookAttempt.objects.filter(delivery__event=event).count()
        still_sending = [r.open_connections for r in receivers]

    assert forced.status_code == 200, forced.content
    # Both were being attempted before the sync was forced, and still are now it is done.
    assert statuses_at_sync_end == [DeliveryStatus.IN_FLIGHT] * 2
    assert attempts_at_sync_end == 0
    assert still_sending == [1, 1]
    assert webhook_workers.crash_logs == sync_workers.crash_logs == []

"""Redis restarted (every queued message lost) while webhook deliveries and syncs are in flight:
the outbox sweeper and the scheduler's requeue recover all of it, and API clients acting while
Redis is down get their answer (what they asked for happens once it is back)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from core.models import ApiKey, Environment
from integrations.models import Integration, SyncType
from syncs.models import ACTIVE_SYNC_STATES, Sync, SyncState, SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory
from tests.support.processes import (
    WORKER_LOST,
    PrivateRedis,
    celery_app_on,
    celery_workers,
    fleet_create,
    fleet_state,
    private_redis,
    wait_for,
    worker_env,
)
from tests.support.receivers import Receiver, receiving
from tests.support.services import require_service
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import endpoint_create, event_emit

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = 1000
EVENTS_PER_TRANSACTION = 100
SYNCS = 200
ACCOUNT_SIZES = (5, 10, 15)


def _waiting(broker: PrivateRedis, queues: list[str]) -> int:
    """Messages waiting in this test's queues (deliveries, syncs and ticks each have one)."""
    client = broker.client()
    return sum(int(client.llen(queue)) for queue in queues)


def _undelivered(endpoint_id: str) -> int:
    return (
        WebhookDelivery.objects.filter(endpoint_id=endpoint_id)
        .exclude(status=DeliveryStatus.DELIVERED)
        .count()
    )


def _all_received(receiver: Receiver, endpoint_id: str) -> bool:
    expected = set(
        WebhookDelivery.objects.filter(endpoint_id=endpoint_id).values_list("event_id", flat=True)
    )
    return {r.webhook_id for r in receiver.received} == expected


def test_it_delivers_every_event_and_finishes_every_sync_across_a_redis_restart(
    environment: Environment,
    api_key: tuple[ApiKey, str],
    live_server: Any,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (worker processes cannot open the in-memory test DB)",
    )
    queues = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")
    with (
        receiving() as receiver,
        private_redis(tmp_path) as broker,
        celery_app_on(broker.url),
    ):
        fleet = fleet_create(
            environment=environment, integrations=SYNCS, account_sizes=ACCOUNT_SIZES
        )
        # The syncs' own sync-finished events too, sent by the workers around the outage.
        endpoint, secret = endpoint_create(
            environment_id=environment.pk,
            url=receiver.url,
            description="Fault receiver",
            event_types=("integration-created", "integration-state-changed", "sync-finished"),
        )
        receiver.secrets.append(secret)
        # Synced only when an API client forces it, while Redis is down.
        *scheduled_ids, forced_id = fleet.integration_ids
        # Disabled by an API client while Redis is down; never synced.
        disabled = IntegrationFactory(environment=environment)
        Integration.objects.filter(pk__in=[forced_id, disabled.pk]).update(
            next_sync_at=timezone.now() + timedelta(days=1)
        )
        integrations = list(Integration.objects.filter(pk__in=scheduled_ids))
        syncs_per_round = SYNCS // (EVENTS // EVENTS_PER_TRANSACTION)
        for round_number in range(EVENTS // EVENTS_PER_TRANSACTION):
            with transaction.atomic():
                for number in range(EVENTS_PER_TRANSACTION):
                    event_emit(
                        environment_id=environment.pk,
                        type="integration-created",
                        data={"id": f"fault:{round_number}:{number}", "tool": "sandbox"},
                    )
            # Mixed into the deliveries, so the restart finds both waiting in the queue.
            for integration in integrations[
                round_number * syncs_per_round : (round_number + 1) * syncs_per_round
            ]:
                sync_enqueue(
                    integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
                )
        # This process's on-commit sends really went to the private broker: a message per
        # sync, and a wake-up per transaction that emitted events (not one per delivery).
        wake_ups = _waiting(broker, [settings.CELERY_WEBHOOKS_QUEUE])
        assert _waiting(broker, queues) - wake_ups == Sync.objects.count()
        assert EVENTS // EVENTS_PER_TRANSACTION <= wake_ups < EVENTS // 10

        env = {
            **worker_env(broker=broker, sandbox_hr_url=live_server.url + "/sandbox-hr"),
            # Small batches: the deliveries stay under way as long as the syncs take, so the
            # restart strikes both mid-stream (with the default, they are all done by then).
            "WEBHOOK_BATCH_SIZE": "2",
        }
        with celery_workers(workdir=tmp_path, env=env) as workers:
            workers.start()
            # Deliveries and syncs have queues of their own and progress at their own pace:
            # strike while both are under way, not once either is done.
            wait_for(
                lambda: f"deliveries and syncs to get going ({workers.log_tail()!r})",
                lambda: (
                    len(receiver.received) >= EVENTS // 10
                    and Sync.objects.filter(state=SyncState.SUCCEEDED).exists()
                    and Sync.objects.filter(state__in=ACTIVE_SYNC_STATES).exists()
                ),
                timeout=60,
                interval=0.05,
            )
            waiting_at_restart = _waiting(broker, queues)
            broker.stop()
            undelivered_at_restart = _undelivered(endpoint.pk)
            active_at_restart = Sync.objects.filter(state__in=ACTIVE_SYNC_STATES).count()
            forced = api.post(
                "/api/v1/force-sync",
                {"type": "FULL"},
                content_type="application/json",
                HTTP_X_INTEGRATION_ID=forced_id,
            )
            disabling = api.put(
                f"/api/v1/integrations/{disabled.pk}/enabled",
                {"value": False},
                content_type="application/json",
            )
            # Long enough for the workers and beat to notice the broker is gone.
            time.sleep(1.0)
            broker.start()
            recovered_in = wait_for(
                lambda: (
                    f"recovery: {_undelivered(endpoint.pk)} undelivered, {fleet_state(fleet)} "
                    f"(log: {workers.log_tail()!r})"
                ),
                lambda: (
                    fleet_state(fleet).settled
                    and _undelivered(endpoint.pk) == 0
                    and _all_received(receiver, endpoint.pk)
                ),
                # Twice what a loaded 2-core machine needs: slow, not stuck.
                timeout=150,
                interval=0.5,
            )

    assert undelivered_at_restart > EVENTS // 2
    assert active_at_restart > 0
    assert waiting_at_restart > 0
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    received = Counter(r.webhook_id for r in receiver.received)
    assert forced.status_code == 200, forced.content
    assert forced.json()["data"]["already_queued"] is False
    assert Sync.objects.get(pk=forced.json()["data"]["sync_id"]).state == SyncState.SUCCEEDED
    assert disabling.status_code == 200, disabling.content
    state_changed = deliveries.get(event_type="integration-state-changed")
    assert state_changed.integration_id == disabled.pk
    assert state_changed.event_id in received
    expected_ids = set(deliveries.values_list("event_id", flat=True))
    assert len(expected_ids) >= EVENTS + SYNCS
    assert set(received) == expected_ids
    assert all(r.accepted for r in receiver.received)
    assert not deliveries.exclude(status=DeliveryStatus.DELIVERED).exists()
    assert not Sync.objects.filter(state__in=ACTIVE_SYNC_STATES).exists()
    # A sync is only ever cut short by a worker that crashed on the lost connection.
    assert set(Sync.objects.exclude(state=SyncState.SUCCEEDED).values_list("state", "error")) <= {
        (SyncState.FAILED, WORKER_LOST)
    }
    assert not Integration.objects.filter(pk__in=fleet.integration_ids, next_sync_at=None).exists()
    # At least once: a receiver may see an event twice; how often this run did is recorded.
    record_property("duplicate_requests", sum(count - 1 for count in received.values()))
    record_property("messages_lost", waiting_at_restart)
    record_property("seconds_to_recover", round(recovered_in, 1))
    record_property("worker_crashes", len(workers.crash_logs))

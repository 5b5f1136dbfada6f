"""A worker killed mid-sync never leaves the integration stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from core.models import Environment
from integrations.models import SyncType
from syncs.models import Sync, SyncState, SyncTrigger
from syncs.services import scheduler_tick, sync_enqueue
from tests.support.factories import sandbox_integration
from tests.support.processes import run_queued_syncs
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(SYNC_LEASE_SECONDS=300)
def test_it_reaps_a_sync_whose_worker_died_and_runs_the_next_one(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.SCHEDULE
    )
    # What a worker leaves behind when it is SIGKILLed right after claiming the sync.
    Sync.objects.filter(pk=sync.pk).update(
        state=SyncState.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )

    assert scheduler_tick().reaped == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        result = scheduler_tick()
        ran = run_queued_syncs()

    assert result.reaped == 1
    sync.refresh_from_db()
    assert sync.state == SyncState.FAILED
    assert sync.error == "Worker lost: no heartbeat."
    assert [s.state for s in ran] == [SyncState.SUCCEEDED]
    states = [
        e.payload["data"]["sync_state"]
        for e in WebhookEvent.objects.filter(type="sync-finished").order_by("created_at")
    ]
    assert states == ["FAILED", "SUCCEEDED"]

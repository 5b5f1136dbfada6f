"""A worker host SIGKILLed three times during a sync storm loses no integration and doubles no
row: killed syncs are reaped, lost messages resent, and every integration ends fully synced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from core.models import Environment
from integrations.models import Integration
from syncs.models import Employee, Sync, SyncState
from tests.support.processes import (
    WORKER_LOST,
    CeleryWorkers,
    celery_app_on,
    celery_workers,
    fleet_create,
    fleet_state,
    private_redis,
    wait_for,
    worker_env,
)
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)

INTEGRATIONS = 500
ACCOUNT_SIZES = (5, 9, 14, 20)
KILLS = 3


def _finished() -> int:
    return Sync.objects.exclude(state__in=(SyncState.QUEUED, SyncState.RUNNING)).count()


def _running() -> set[str]:
    return set(Sync.objects.filter(state=SyncState.RUNNING).values_list("pk", flat=True))


def _wait_for_a_busy_worker(workers: CeleryWorkers, *, finished: int, besides: set[str]) -> None:
    """Until `finished` syncs are over and one not in `besides` is RUNNING."""
    wait_for(
        lambda: f"{finished} finished syncs (worker log: {workers.log_tail()!r})",
        lambda: _finished() >= finished and bool(_running() - besides),
        timeout=60,
        interval=0.05,
    )


def test_it_syncs_every_integration_exactly_once_per_row_when_the_worker_is_killed_three_times(
    environment: Environment,
    live_server: Any,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (worker processes cannot open the in-memory test DB)",
    )
    with private_redis(tmp_path) as broker, celery_app_on(broker.url):
        fleet = fleet_create(
            environment=environment, integrations=INTEGRATIONS, account_sizes=ACCOUNT_SIZES
        )
        env = worker_env(broker=broker, sandbox_hr_url=live_server.url + "/sandbox-hr")
        with celery_workers(workdir=tmp_path, env=env) as workers:
            workers.start()
            # Syncs cut short by each kill (those an earlier kill left RUNNING aside).
            cut_short: list[set[str]] = []
            left_running: set[str] = set()
            for kill in range(1, KILLS + 1):
                # Spread over the storm, each when a worker is in the middle of a sync.
                _wait_for_a_busy_worker(
                    workers, finished=kill * INTEGRATIONS // 5, besides=left_running
                )
                running = _running()
                workers.kill()
                cut_short.append(running - left_running)
                left_running |= running
            settled_in = wait_for(
                lambda: f"the fleet to settle: {fleet_state(fleet)} (log: {workers.log_tail()!r})",
                lambda: fleet_state(fleet).settled,
                # Twice what a loaded 2-core machine needs: slow, not stuck.
                timeout=150,
                interval=0.5,
            )

    assert workers.crash_logs == []
    assert workers.generation == KILLS + 1
    state = fleet_state(fleet)
    assert state.settled, state
    reaped = set(
        Sync.objects.filter(state=SyncState.FAILED, error=WORKER_LOST).values_list("pk", flat=True)
    )
    # The kills landed mid-sync: what they cut short was reaped. (A sync seen RUNNING just
    # before a kill may still finish before the signal lands, so not every snapshot must hit.)
    assert reaped
    assert any(syncs & reaped for syncs in cut_short), (cut_short, reaped)
    assert not Sync.objects.filter(state__in=(SyncState.QUEUED, SyncState.RUNNING)).exists()
    assert set(Sync.objects.exclude(state=SyncState.SUCCEEDED).values_list("state", "error")) <= {
        (SyncState.FAILED, WORKER_LOST)
    }
    assert not Integration.objects.filter(pk__in=fleet.integration_ids, next_sync_at=None).exists()
    duplicates = (
        Employee.objects.values("integration_id", "remote_id")
        .annotate(rows=Count("id"))
        .filter(rows__gt=1)
    )
    assert list(duplicates) == []
    synced = dict(
        Employee.objects.filter(remote_deleted_at__isnull=True)
        .values("integration_id")
        .annotate(rows=Count("id"))
        .values_list("integration_id", "rows")
    )
    assert synced == fleet.expected_employees
    record_property("syncs_reaped", len(reaped))
    record_property("seconds_to_settle_after_the_last_kill", round(settled_in, 1))

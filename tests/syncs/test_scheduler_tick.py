"""The scheduler tick: one sync per due integration, never two, in batches."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.models import Environment
from integrations.models import Integration, SyncPausedReason, SyncType
from syncs.models import Sync, SyncState, SyncTrigger
from syncs.services import scheduler_tick
from tests.support.factories import IntegrationFactory
from tests.support.services import require_service


def _due(environment: Environment, count: int, **fields: object) -> list[Integration]:
    past = timezone.now() - timedelta(minutes=5)
    return [
        IntegrationFactory(environment=environment, next_sync_at=past, **fields)
        for _ in range(count)
    ]


@pytest.mark.django_db
def test_it_queues_one_sync_per_due_integration_only(
    environment: Environment, django_capture_on_commit_callbacks: object
) -> None:
    due = _due(environment, 3)
    IntegrationFactory(environment=environment, next_sync_at=timezone.now() + timedelta(hours=1))
    _due(environment, 1, enabled=False)
    _due(environment, 1, sync_paused_reason=SyncPausedReason.AUTHENTICATION)
    _due(environment, 1, deleted_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        result = scheduler_tick()

    assert result.enqueued == 3
    assert len(callbacks) == 1
    queued = Sync.objects.filter(state=SyncState.QUEUED)
    assert {s.integration_id for s in queued} == {i.pk for i in due}
    assert {(s.type, s.trigger) for s in queued} == {(SyncType.FULL, SyncTrigger.SCHEDULE)}
    assert not Integration.objects.filter(pk__in=[i.pk for i in due], next_sync_at__isnull=False)


@pytest.mark.django_db
def test_it_never_queues_a_second_sync(environment: Environment) -> None:
    [integration] = _due(environment, 1)
    scheduler_tick()
    # Even if something asks again while the first one is queued, the constraint holds.
    Integration.objects.filter(pk=integration.pk).update(next_sync_at=timezone.now())

    assert scheduler_tick().enqueued == 0
    assert Sync.objects.filter(integration=integration).count() == 1


@pytest.mark.django_db
def test_it_picks_delta_after_a_recent_full_sync_and_honours_a_requested_full_sync(
    environment: Environment,
) -> None:
    recent, stale, wanted = _due(environment, 3)
    wanted.full_sync_requested_at = timezone.now()
    wanted.save()
    for integration, age in ((recent, 2), (stale, 11), (wanted, 1)):
        Sync.objects.create(
            integration=integration,
            type=SyncType.FULL,
            trigger=SyncTrigger.SCHEDULE,
            state=SyncState.SUCCEEDED,
            finished_at=timezone.now() - timedelta(hours=age),
        )

    scheduler_tick()

    queued = dict(Sync.objects.filter(state=SyncState.QUEUED).values_list("integration_id", "type"))
    assert queued == {recent.pk: SyncType.DELTA, stale.pk: SyncType.FULL, wanted.pk: SyncType.FULL}


@pytest.mark.django_db
@override_settings(SCHEDULER_BATCH_SIZE=3, SCHEDULER_MAX_PER_TICK=8)
def test_it_works_in_batches_up_to_a_cap_per_tick(environment: Environment) -> None:
    _due(environment, 10)

    assert scheduler_tick().enqueued == 8
    assert scheduler_tick().enqueued == 2
    assert Sync.objects.count() == 10


@pytest.mark.django_db
@override_settings(SYNC_LEASE_SECONDS=60)
def test_it_resends_a_sync_whose_message_was_lost(
    environment: Environment, django_capture_on_commit_callbacks: object
) -> None:
    _due(environment, 1)
    scheduler_tick()
    Sync.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        result = scheduler_tick()

    assert result.requeued == 1
    assert len(callbacks) == 1
    assert Sync.objects.get().heartbeat_at > timezone.now() - timedelta(seconds=5)
    assert scheduler_tick().requeued == 0


@pytest.mark.django_db(transaction=True)
def test_it_queues_each_due_integration_once_when_two_ticks_race(
    environment: Environment,
) -> None:
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL")
    due = _due(environment, 60)
    barrier = threading.Barrier(2)
    results = []

    def tick() -> None:
        barrier.wait()
        try:
            results.append(scheduler_tick().enqueued)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 60
    assert Sync.objects.count() == 60
    assert set(Sync.objects.values_list("integration_id", flat=True)) == {i.pk for i in due}

"""A real Celery worker (not eager mode) consuming from Redis runs a tick and the sync it queues."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Environment
from integrations.models import Integration
from syncs.models import Employee, Sync, SyncState
from syncs.tasks import scheduler_tick_task
from tests.support.factories import sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for(predicate: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


def test_it_runs_a_tick_and_the_sync_it_queues_on_a_real_worker(
    redis_worker: None, sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment, employees=7)
    Integration.objects.filter(pk=setup.integration.pk).update(
        next_sync_at=timezone.now() - timedelta(minutes=1)
    )

    scheduler_tick_task.delay()

    _wait_for(
        lambda: Sync.objects.filter(
            integration=setup.integration, state=SyncState.SUCCEEDED
        ).exists()
    )
    assert Employee.objects.filter(integration=setup.integration).count() == 7
    setup.integration.refresh_from_db()
    assert setup.integration.next_sync_at is not None

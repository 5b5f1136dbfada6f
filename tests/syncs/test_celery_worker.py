"""A real Celery worker (not eager mode) consuming from Redis runs a tick and the sync it queues."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from integrations.models import Environment, Integration
from kombo_site.celery import app
from syncs.models import Employee, Sync, SyncState
from syncs.tasks import scheduler_tick_task
from tests.conftest import require_service
from tests.syncs.conftest import sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_worker(redis_url: str) -> Iterator[None]:
    require_service(
        "Redis as the Celery broker",
        settings.CELERY_BROKER_URL.startswith("redis"),
        "set REDIS_URL so the test settings use Redis",
    )
    # Tasks earlier tests of this process sent (ticks, syncs) would run here otherwise.
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        yield


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

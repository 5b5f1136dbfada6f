"""Several nodes keep the promises one node makes: 2 web processes, 3 Celery workers on their
own queues and 2 beats on one PostgreSQL and one Redis, while a worker and a beat are SIGKILLed
and Redis restarts. Expectations from outside: Celery's documentation of a duplicate beat
("you must ensure only a single scheduler is running": so the product makes a second one
harmless, DESIGN.md), Standard Webhooks' at-least-once delivery (a receiver may see an event
twice, under one `webhook-id`, and must see every event), and Redis' documentation that
without persistence a restart loses every queued message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from core.models import Environment
from tests.support.multinode import MultinodeSize, multinode_run
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)

# Sized from capacity measured on a loaded 2-core machine (about 4 syncs/s with 4 sync
# processes, and 10-20 s for a killed worker to be back): 3 syncs/s asked, windows long enough
# to absorb a restart. About 80 s: 25 s of set-up, 3 windows of 16.5 s, the drain. The three
# faults strike in window 1; windows 0 and 2 are checked.
SIZE = MultinodeSize(
    integrations=30,
    interval=10.0,
    grace=6.0,
    windows=3,
    worker_kill_window=1,
    beat_kill_window=1,
    redis_restart_window=1,
    drain_timeout=30.0,
)


def test_it_syncs_every_integration_every_interval_and_delivers_every_event_across_faults(
    environment: Environment, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (worker processes cannot open the in-memory test DB)",
    )
    result = multinode_run(environment=environment, workdir=tmp_path, size=SIZE)

    record_property("summary", result.summary())
    # The kills were real: the killed worker and beat had to be started again.
    assert result.generations["worker-syncs"] >= 2
    assert result.generations["beat-1"] >= 2
    assert result.samples > 0
    assert result.most_active_at_once == 1, result.summary()
    assert result.overlapping_syncs == 0, result.summary()
    assert result.missed == [], result.summary()
    assert result.events > 0
    assert result.lost_events == set(), result.summary()
    assert result.unknown_events == set()
    assert result.inconsistent_duplicates == set()
    assert result.rejected_requests == 0
    assert result.stuck_syncs == 0, result.summary()
    # Every fault was recovered from within the run.
    assert all(f.sync_recovery is not None for f in result.faults), result.summary()
    assert all(f.delivery_recovery is not None for f in result.faults), result.summary()
    record_property("duplicate_requests", result.duplicate_requests)
    record_property("syncs_per_minute", round(result.syncs_per_minute))
    record_property("deliveries_per_second", round(result.deliveries_per_second, 1))

"""The multi-node proof at full length (tests/support/multinode.py; `tests/test_multinode.py` is
its short variant): 2 gunicorn web processes, 3 Celery workers on their own queues, 2 beats,
one PostgreSQL, one private Redis; the syncs worker SIGKILLed in window 1, a beat in window 2,
Redis restarted in window 3, windows 0 and 4 checked. Then every integration is made due at once to
measure what the fleet can run (its capacity), then it drains.

Size. The issue asks for 5,000 integrations with short intervals; on this 2-core machine (shared
with PostgreSQL, Redis, the web nodes and the receiver) the fleet runs about 4-8 syncs a second,
so 5,000 integrations need an interval of 10-20 minutes and a run of several intervals would take
an hour. The run keeps the 8-minute budget with BENCH_MULTINODE_INTEGRATIONS (default 150)
syncing every BENCH_MULTINODE_INTERVAL seconds (default 50: 3 syncs/s, within the measured
capacity), and the last row states from the capacity measured in the same run how long one
round of 5,000 integrations takes, against production's default sync interval (3 h).

Needs PostgreSQL (`DATABASE_URL`) and a `redis-server` executable.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from bench.core import Row
from bench.load import require_postgresql

if TYPE_CHECKING:
    from tests.support.multinode import MultinodeResult

INTEGRATIONS = int(os.environ.get("BENCH_MULTINODE_INTEGRATIONS", "150"))
INTERVAL = float(os.environ.get("BENCH_MULTINODE_INTERVAL", "50"))
ISSUE_INTEGRATIONS = 5000


def _log(message: str) -> None:
    print(f"multinode: {message}", file=sys.stderr)


def run() -> list[Row]:
    require_postgresql("multinode")
    if shutil.which("redis-server") is None:
        raise SystemExit("The multinode benchmark needs redis-server (its own, on a free port).")
    from django.utils import timezone

    from core.services import environment_get_or_create
    from integrations.models import Integration
    from syncs.models import ACTIVE_SYNC_STATES, Sync, SyncState
    from tests.support.multinode import MultinodeSize, multinode_run

    size = MultinodeSize(
        integrations=INTEGRATIONS,
        interval=INTERVAL,
        # A killed worker takes 10-20 s to be back on a loaded machine; its backlog follows.
        grace=20.0,
        windows=5,
        worker_kill_window=1,
        beat_kill_window=2,
        redis_restart_window=3,
        drain_timeout=120.0,
        sync_concurrency=4,
        capacity_burst=True,
    )
    environment = environment_get_or_create(name="production")
    # The suites before this one leave their integrations in the database (`make bench` runs
    # them all in one), among them a 50,000-employee account: the fleet's scheduler and
    # workers must have only the fleet to sync.
    Integration.objects.update(next_sync_at=None)
    Sync.objects.filter(state__in=ACTIVE_SYNC_STATES).update(
        state=SyncState.CANCELLED, finished_at=timezone.now()
    )
    # The receiver's request log would be one line per delivery on the bench's output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-multinode-") as workdir:
        result = multinode_run(environment=environment, workdir=Path(workdir), size=size, log=_log)
    _log(result.summary())
    return _rows(result)


def _rows(result: MultinodeResult) -> list[Row]:
    size = result.size
    setup = (
        f"{size.integrations} integrations every {size.interval:g} s; windows of "
        f"{size.window:.1f} s, checked {result.checked_windows}"
    )
    rows = [
        Row(
            "Multi-node: syncs overlapping",
            float(result.overlapping_syncs + max(0, result.most_active_at_once - 1)),
            1.0,
            "n",
            0.0,
            detail=(
                f"{setup}; one integration's syncs whose created..finished spans overlap "
                f"({result.overlapping_syncs}), plus any sample of {result.samples} (every "
                f"0.25 s) with 2 syncs of one integration QUEUED/RUNNING (most seen: "
                f"{result.most_active_at_once})"
            ),
        ),
        Row(
            "Multi-node: due integrations missed",
            float(len(result.missed)),
            1.0,
            "n",
            0.0,
            detail=(
                f"{setup}; (integration, window) pairs without a SUCCEEDED sync; a window is "
                f"interval x 1.05 (jitter) + {size.grace:g} s; fault windows left out"
            ),
        ),
        Row(
            "Multi-node: events lost",
            float(
                len(result.lost_events)
                + len(result.unknown_events)
                + len(result.inconsistent_duplicates)
                + result.rejected_requests
            ),
            1.0,
            "n",
            0.0,
            detail=(
                f"{result.events} events by id; lost {len(result.lost_events)}, unknown "
                f"{len(result.unknown_events)}, duplicates with another body "
                f"{len(result.inconsistent_duplicates)}, signatures rejected "
                f"{result.rejected_requests}; at-least-once duplicates (same webhook-id and "
                f"body): {result.duplicate_requests}"
            ),
        ),
        Row(
            "Multi-node: stuck syncs",
            float(result.stuck_syncs),
            1.0,
            "n",
            0.0,
            detail=(
                f"QUEUED/RUNNING after new work stopped and {size.drain_timeout:g} s to drain "
                f"(drained in {result.drain_seconds:.0f} s)"
            ),
        ),
        Row(
            "Multi-node: syncs/min vs asked by the interval",
            result.syncs_per_minute,
            result.required_syncs_per_minute,
            "/m",
            # The fault windows lose some: a killed worker is 10-20 s away.
            0.85,
            higher_is_better=True,
            detail=(
                f"SUCCEEDED syncs over the {result.run_seconds:.0f} s run vs integrations / "
                f"interval; queue-to-finish p50/p90 {result.sync_latency[0]:.1f}/"
                f"{result.sync_latency[1]:.1f} s, run p50/p90 {result.sync_duration[0]:.2f}/"
                f"{result.sync_duration[1]:.2f} s"
            ),
        ),
        Row(
            "Multi-node: deliveries/s vs events emitted/s",
            result.deliveries_per_second,
            result.events_per_second,
            "/s",
            0.9,
            higher_is_better=True,
            detail="requests the receiver got vs events written, both within the run",
        ),
    ]
    for fault in result.faults:
        recoveries = [fault.sync_recovery, fault.delivery_recovery]
        recovered = max(r if r is not None else float("inf") for r in recoveries)
        rows.append(
            Row(
                f"Multi-node: recovery after {fault.name} vs window",
                recovered,
                size.window,
                "s",
                1.0,
                detail=(
                    f"to the first completed sync queued after it "
                    f"{_seconds(fault.sync_recovery)}, to the first delivery of an event "
                    f"emitted after it {_seconds(fault.delivery_recovery)}"
                    + (
                        f"; {result.messages_lost_at_restart} messages lost with Redis"
                        if fault.name == "Redis restart"
                        else ""
                    )
                ),
            )
        )
    capacity = result.capacity or 0.0
    rows.append(
        Row(
            f"Multi-node: {ISSUE_INTEGRATIONS:,} integrations' round vs 3 h",
            ISSUE_INTEGRATIONS / capacity if capacity else float("inf"),
            settings.DELTA_SYNC_INTERVAL.total_seconds(),
            "s",
            1.0,
            detail=(
                f"one sync of each of {ISSUE_INTEGRATIONS:,} integrations at the capacity "
                f"measured with every integration due at once ({capacity:.1f} syncs/s, "
                f"{size.sync_concurrency} sync processes) vs DELTA_SYNC_INTERVAL's default"
            ),
        )
    )
    return rows


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"

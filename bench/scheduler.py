"""Scheduler tick cost: it must grow with the due integrations, not with all of them."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from bench.core import Row

ROUNDS = 5


def _add_integrations(count: int) -> None:
    from core.ids import new_integration_id
    from core.models import Environment
    from integrations.models import Integration, ScopeConfig

    environment = Environment.objects.get(name="production")
    scope, _ = ScopeConfig.objects.get_or_create(environment=environment, name="bench")
    later = timezone.now() + timedelta(days=1)
    for start in range(0, count, 5000):
        Integration.objects.bulk_create(
            [
                Integration(
                    id=new_integration_id("sandbox"),
                    environment=environment,
                    tool="sandbox",
                    organization_name=f"Bench {start + n}",
                    scope_config=scope,
                    next_sync_at=later,
                )
                for n in range(min(5000, count - start))
            ]
        )
    # Production databases keep statistics fresh (autovacuum); a bulk load must do it itself.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE integrations_integration")


def _tick_seconds(due: int) -> float:
    """Median time of a tick that finds `due` integrations due, state reset between rounds."""
    from integrations.models import Integration
    from syncs.models import Sync
    from syncs.services import scheduler_tick

    samples = []
    for _ in range(ROUNDS):
        ids = list(Integration.objects.order_by("?").values_list("pk", flat=True)[:due])
        Integration.objects.filter(pk__in=ids).update(
            next_sync_at=timezone.now() - timedelta(minutes=1)
        )
        started = time.perf_counter()
        result = scheduler_tick()
        samples.append(time.perf_counter() - started)
        assert result.enqueued == due, result
        Sync.objects.all().delete()
        Integration.objects.filter(pk__in=ids).update(
            next_sync_at=timezone.now() + timedelta(days=1)
        )
    return statistics.median(samples)


def run() -> list[Row]:
    from integrations.models import Integration

    # Integrations other suites created are not part of this measurement's "due".
    Integration.objects.update(next_sync_at=timezone.now() + timedelta(days=1))
    _add_integrations(10_000)
    small_1pct = _tick_seconds(100)
    small_fixed = small_1pct
    _add_integrations(90_000)
    large_1pct = _tick_seconds(1_000)
    large_fixed = _tick_seconds(100)
    return [
        Row(
            "Scheduler tick per due: 100k (1,000 due) vs 10k (100)",
            large_1pct / 1_000 * 1000,
            small_1pct / 100 * 1000,
            "ms",
            1.5,
        ),
        Row(
            "Scheduler tick, 100 due: among 100k vs 10k",
            large_fixed * 1000,
            small_fixed * 1000,
            "ms",
            1.5,
        ),
    ]

"""Celery workers' heartbeats (core.worker_heartbeat writes them, core.health reads them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core.models import WorkerHeartbeat

# A worker gone this long (a replaced container, a renamed host) is forgotten.
FORGOTTEN_AFTER = timedelta(days=1)


def worker_heartbeat_record(*, hostname: str, now: datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"seen_at": now or timezone.now()}
    )


def worker_heartbeats_forget_old(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - FORGOTTEN_AFTER
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return deleted


def worker_heartbeat_forget(*, hostname: str) -> None:
    """A worker stopping cleanly says so, so /readyz does not count it until its heartbeat
    grows old."""
    WorkerHeartbeat.objects.filter(hostname=hostname[:255]).delete()

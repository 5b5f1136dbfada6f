"""Celery tasks: thin, idempotent, ids only."""

from __future__ import annotations

from celery import shared_task

from syncs.runner import sync_run
from syncs.services import scheduler_tick, sync_history_prune


@shared_task(name="syncs.tasks.scheduler_tick_task", ignore_result=True)
def scheduler_tick_task() -> dict[str, int]:
    result = scheduler_tick()
    return {"enqueued": result.enqueued, "requeued": result.requeued, "reaped": result.reaped}


@shared_task(name="syncs.tasks.sync_run_task", ignore_result=True)
def sync_run_task(sync_id: str) -> None:
    sync_run(sync_id=sync_id)


@shared_task(name="syncs.tasks.sync_history_prune_task", ignore_result=True)
def sync_history_prune_task() -> int:
    return sync_history_prune()

"""Celery tasks: thin, idempotent, ids only."""

from __future__ import annotations

from celery import shared_task

from webhooks.delivery import deliveries_sweep, delivery_attempt
from webhooks.services import webhook_history_prune


@shared_task(name="webhooks.tasks.webhook_delivery_task", ignore_result=True)
def webhook_delivery_task(delivery_id: str) -> None:
    delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.tasks.webhook_sweep_task", ignore_result=True)
def webhook_sweep_task() -> dict[str, int]:
    result = deliveries_sweep()
    return {"resent": result.resent, "reclaimed": result.reclaimed}


@shared_task(name="webhooks.tasks.webhook_history_prune_task", ignore_result=True)
def webhook_history_prune_task() -> int:
    return webhook_history_prune()

"""Celery tasks: thin, idempotent, ids only."""

from __future__ import annotations

from celery import shared_task

from webhooks.delivery import deliveries_send, deliveries_sweep
from webhooks.services import webhook_history_prune


@shared_task(name="webhooks.tasks.webhook_deliveries_send_task", ignore_result=True)
def webhook_deliveries_send_task() -> int:
    """A wake-up: sends whatever is due (not only what the waking commit emitted), so any
    number of wake-ups for the same deliveries are harmless."""
    return deliveries_send()


@shared_task(name="webhooks.tasks.webhook_sweep_task", ignore_result=True)
def webhook_sweep_task() -> dict[str, int]:
    result = deliveries_sweep()
    return {"resent": result.resent, "reclaimed": result.reclaimed}


@shared_task(name="webhooks.tasks.webhook_history_prune_task", ignore_result=True)
def webhook_history_prune_task() -> int:
    return webhook_history_prune()

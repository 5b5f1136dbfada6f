"""Celery tasks of the integrations app: thin, idempotent."""

from __future__ import annotations

from celery import shared_task

from integrations.services import request_logs_prune


@shared_task(name="integrations.tasks.request_logs_prune_task", ignore_result=True)
def request_logs_prune_task() -> int:
    return request_logs_prune()

"""Environments, and the API request log kept for each."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from core.models import Environment, RequestLog
from core.pruning import rows_delete_in_batches


def environment_get_or_create(*, name: str) -> Environment:
    environment, _ = Environment.objects.get_or_create(name=name)
    return environment


def request_logs_prune(*, now: datetime | None = None) -> int:
    """Delete request logs older than REQUEST_LOG_RETENTION."""
    cutoff = (now or timezone.now()) - settings.REQUEST_LOG_RETENTION
    return rows_delete_in_batches(RequestLog.objects.filter(created_at__lt=cutoff))

"""Sending Celery tasks after commit, so that a broker outage never fails a committed change;
and the kernel's own task, pruning the request log.

Every app hands work to the workers this way (deliveries, retries, syncs, the scheduler
tick), so it lives in the shared kernel. The work is committed either way, and each caller
has a periodic recovery that picks up what was not sent (the webhook sweeper, the scheduler
tick): failing the request would fail a change that is already saved, and would skip the
on-commit callbacks after this one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import current_app, shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from core.services import request_logs_prune

logger = logging.getLogger(__name__)


def tasks_send_on_commit(
    task: str,
    arg_lists: Sequence[Sequence[object]],
    *,
    recovery: str,
    countdown: float | None = None,
) -> None:
    """Once the transaction commits, send `task` once per argument list; with the broker
    unreachable, log what was left to `recovery` and stop."""
    if not arg_lists:
        return

    def send() -> None:
        for sent, args in enumerate(arg_lists):
            try:
                current_app.send_task(task, args=list(args), countdown=countdown)
            except OperationalError:
                logger.warning(
                    "Broker unavailable: %s of %s %s left to %s",
                    len(arg_lists) - sent,
                    len(arg_lists),
                    task,
                    recovery,
                )
                return

    transaction.on_commit(send)


@shared_task(name="core.tasks.request_logs_prune_task", ignore_result=True)
def request_logs_prune_task() -> int:
    return request_logs_prune()

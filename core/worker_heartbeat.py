"""Each Celery worker records that it is alive, so /readyz can tell "workers seen recently"
without asking them: a `control.ping`/`inspect()` broadcast per probe would cost a round trip
to every worker and a timeout's wait when one is missing (STYLE.md rules `inspect()` out).

A worker bootstep (Celery's "Extensions and Bootsteps" guide): on start, and then every
WORKER_HEARTBEAT_INTERVAL on the worker's own timer, the worker's hostname and the time go into
the database (`WorkerHeartbeat`), which the web processes read. Wired in kombo_site/celery.py.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import bootsteps
from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def worker_heartbeat_write(hostname: str, *, forget_old: bool = False) -> None:
    # Models load with the apps, after kombo_site.celery (and so this module) is imported.
    from core.services.workers import worker_heartbeat_record, worker_heartbeats_forget_old

    try:
        worker_heartbeat_record(hostname=hostname)
        if forget_old:
            worker_heartbeats_forget_old()
    except DatabaseError:
        # The database being away is /readyz's database check to report; the worker goes on.
        logger.warning("Could not record the heartbeat of worker %s", hostname, exc_info=True)
    finally:
        # Written from the worker's main process (its timer), which runs no task: a connection
        # kept open there would be inherited by pool children and idle between heartbeats.
        if not connection.in_atomic_block:
            connection.close()


def worker_heartbeat_clear(hostname: str) -> None:
    from core.services.workers import worker_heartbeat_forget

    try:
        worker_heartbeat_forget(hostname=hostname)
    except DatabaseError:
        logger.warning("Could not clear the heartbeat of worker %s", hostname, exc_info=True)
    finally:
        if not connection.in_atomic_block:
            connection.close()


class WorkerHeartbeatStep(bootsteps.StartStopStep):
    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.entry: Any = None

    def start(self, worker: Any) -> None:
        worker_heartbeat_write(worker.hostname, forget_old=True)
        self.entry = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_INTERVAL.total_seconds(),
            worker_heartbeat_write,
            (worker.hostname,),
        )

    def stop(self, worker: Any) -> None:
        if self.entry is not None:
            self.entry.cancel()
            self.entry = None
            worker_heartbeat_clear(worker.hostname)

"""Celery wiring: configuration comes from Django settings (`CELERY_*`); every task's log
lines carry its id and name (core.log_context); every worker records a heartbeat for /readyz
(core.worker_heartbeat)."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from core.log_context import on_task_postrun, on_task_prerun
from core.worker_heartbeat import WorkerHeartbeatStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kombo_site.settings")

app = Celery("kombo_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["worker"].add(WorkerHeartbeatStep)
task_prerun.connect(on_task_prerun, weak=False)
task_postrun.connect(on_task_postrun, weak=False)

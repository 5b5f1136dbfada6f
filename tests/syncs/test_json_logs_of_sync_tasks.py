"""Inside a Celery task every log line carries the task's id and name, set from Celery's
`task_prerun` signal and taken back on `task_postrun` (Celery's "Signals" reference: both are
sent by the worker around the task's body, in the process and thread that run it); a sync run
adds the integration it works on."""

from __future__ import annotations

import logging

import pytest

from core.models import Environment
from syncs.models import SyncTrigger
from syncs.services import sync_enqueue
from syncs.tasks import sync_run_task
from tests.support.factories import sandbox_integration
from tests.support.logs import json_logs

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_logs_the_task_and_the_integration_of_a_sync_run(
    sandbox_hr: str, environment: Environment
) -> None:
    integration = sandbox_integration(environment=environment, employees=3).integration
    sync, _ = sync_enqueue(integration=integration, sync_type="FULL", trigger=SyncTrigger.API)

    with json_logs() as lines:
        logging.getLogger("kombo.before").info("Before the task")
        result = sync_run_task.apply(args=[sync.pk])
        logging.getLogger("kombo.after").info("After the task")

    logged = lines()
    finished = [line for line in logged if line["message"].startswith(f"Sync {sync.pk} ")]
    assert finished, logged
    assert finished[0]["task_id"] == result.id
    assert finished[0]["task_name"] == "syncs.tasks.sync_run_task"
    assert finished[0]["integration_id"] == integration.pk
    auth_checks = [line for line in logged if line["message"].startswith("Auth check ")]
    assert [line["integration_id"] for line in auth_checks] == [integration.pk]
    # task_postrun puts back what was there before the task.
    (before,) = [line for line in logged if line["logger"] == "kombo.before"]
    (after,) = [line for line in logged if line["logger"] == "kombo.after"]
    assert not {"task_id", "task_name"} & after.keys()
    assert after.get("integration_id") == before.get("integration_id")

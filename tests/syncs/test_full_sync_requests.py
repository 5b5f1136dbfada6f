"""A FULL sync someone asked for (scope edit, relink to another scope config, force-sync) always
runs, right after the sync that was queued or running when it was asked for; `data_expired_at`
clears once a FULL sync that started after the change succeeds.

Expectations: DESIGN.md (a relink with a new scope config queues a FULL sync; editing a scope
config expires the data and the next sync fills the new fields) and the `kombo` SDK's
description of `data_expired_at` ("It is cleared after a successful sync ... Otherwise it will
be set to `null` with the next successful sync")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import Integration, SyncType
from integrations.read_models import HRIS_EMPLOYEES
from integrations.services import scope_config_update
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import Employee, Sync, SyncState, SyncTrigger
from syncs.runner import sync_claim, sync_run_claimed
from syncs.services import scheduler_tick, sync_enqueue
from tests.support.factories import SandboxSetup, ScopeConfigFactory, sandbox_integration
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")


def _settings(**employee_fields: str) -> dict[str, Any]:
    fields = dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED") | employee_fields
    return {"hris_employees": {"setting": "ENABLED", "fields": fields}}


def _narrow_integration(environment: Environment) -> SandboxSetup:
    scope = ScopeConfigFactory(
        environment=environment, name="Names", settings=_settings(first_name="ENABLED")
    )
    return sandbox_integration(environment=environment, scope_config=scope, employees=5)


def _widen(setup: SandboxSetup) -> None:
    scope_config_update(
        scope_config=setup.integration.scope_config,
        name="Names and emails",
        settings=_settings(first_name="ENABLED", work_email="ENABLED"),
        actor=OPERATOR,
    )


def _emails() -> set[Any]:
    return {row.data.get("work_email") for row in Employee.objects.all()}


def _claimed_a_second_ago(sync: Sync) -> Sync:
    with time_machine.travel(timezone.now() - timedelta(seconds=1), tick=False):
        claimed = sync_claim(sync_id=sync.pk)
    assert claimed is not None
    return claimed


def _fresh(integration: Integration) -> Integration:
    integration.refresh_from_db()
    return integration


def test_it_runs_a_full_sync_requested_while_a_sync_runs_right_after_it(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = _narrow_integration(environment)
    running, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.SCHEDULE
    )
    # The sync started a moment ago; the operator widens the scope while it reads the old one.
    claimed = _claimed_a_second_ago(running)
    _widen(setup)
    sync_run_claimed(sync=claimed)

    claimed.refresh_from_db()
    integration = _fresh(setup.integration)
    assert claimed.state == SyncState.SUCCEEDED
    assert _emails() == {None}
    # The request survived the sync that was running and is due now, not in three hours.
    assert integration.full_sync_requested_at is not None
    assert integration.data_expired_at is not None
    assert integration.next_sync_at is not None
    assert integration.next_sync_at <= timezone.now()

    assert scheduler_tick().enqueued == 1
    [after] = run_queued_syncs()
    integration = _fresh(setup.integration)
    assert (after.type, after.state) == (SyncType.FULL, SyncState.SUCCEEDED)
    assert None not in _emails()
    assert integration.full_sync_requested_at is None
    assert integration.data_expired_at is None


def test_it_turns_a_queued_delta_sync_into_the_requested_full_sync(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = _narrow_integration(environment)
    queued, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.DELTA, trigger=SyncTrigger.SCHEDULE
    )
    _widen(setup)

    [ran] = run_queued_syncs()

    integration = _fresh(setup.integration)
    assert ran.pk == queued.pk
    assert (ran.type, ran.state) == (SyncType.FULL, SyncState.SUCCEEDED)
    assert None not in _emails()
    assert integration.full_sync_requested_at is None
    assert integration.data_expired_at is None
    assert scheduler_tick().enqueued == 0


def test_it_runs_a_full_sync_forced_while_a_delta_sync_runs_next(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = _narrow_integration(environment)
    running, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.DELTA, trigger=SyncTrigger.SCHEDULE
    )
    claimed = _claimed_a_second_ago(running)
    forced, created = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )
    sync_run_claimed(sync=claimed)

    assert (forced.pk, created) == (running.pk, False)
    assert scheduler_tick().enqueued == 1
    [after] = run_queued_syncs()
    assert after.type == SyncType.FULL
    assert _fresh(setup.integration).full_sync_requested_at is None


def test_it_keeps_the_data_expired_until_a_full_sync_succeeds(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = _narrow_integration(environment)
    _widen(setup)
    expired_at = _fresh(setup.integration).data_expired_at
    assert expired_at is not None
    sandbox_api_key_revoke(key=setup.key)

    sync_enqueue(integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API)
    [failed] = run_queued_syncs()

    integration = _fresh(setup.integration)
    assert failed.state == SyncState.AUTHENTICATION_FAILED
    assert integration.data_expired_at == expired_at
    assert integration.full_sync_requested_at is not None
    assert not Sync.objects.filter(state=SyncState.SUCCEEDED).exists()


def test_it_runs_a_full_sync_forced_while_an_owed_one_runs_once_more(
    sandbox_hr: str, environment: Environment
) -> None:
    """The running sync delivers the request made before it started, not the one forced
    during it: that one runs next."""
    setup = _narrow_integration(environment)
    with time_machine.travel(timezone.now() - timedelta(seconds=2), tick=False):
        _widen(setup)
    queued, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.DELTA, trigger=SyncTrigger.SCHEDULE
    )
    claimed = _claimed_a_second_ago(queued)
    assert claimed.type == SyncType.FULL
    sync_enqueue(integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API)
    sync_run_claimed(sync=claimed)

    integration = _fresh(setup.integration)
    assert integration.data_expired_at is None
    assert integration.full_sync_requested_at is not None
    assert integration.next_sync_at is not None
    assert integration.next_sync_at <= timezone.now()

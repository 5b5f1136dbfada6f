"""A sync: scope config decides what is read, permissions decide what can be, data lands in the
unified tables keyed by (integration, remote_id)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import SyncType
from integrations.read_models import HRIS_EMPLOYEES
from integrations.services import integration_set_enabled
from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL
from sandbox_hr.models import SandboxEmployee
from sandbox_hr.services import sandbox_employees_add
from syncs.models import Employee, Group, Sync, SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import ScopeConfigFactory, sandbox_integration
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _scope(environment: Environment, name: str, employee_fields: dict[str, str]) -> Any:
    fields = dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED") | employee_fields
    return ScopeConfigFactory(
        environment=environment,
        name=name,
        settings={
            "hris_employees": {"setting": "ENABLED", "fields": fields},
            "hris_teams": {
                "setting": "ENABLED",
                "fields": {"name": "ENABLED", "type": "ENABLED", "parent_id": "ENABLED"},
            },
        },
    )


def _sync(integration: Any, sync_type: SyncType = SyncType.FULL) -> Sync:
    sync, created = sync_enqueue(
        integration=integration, sync_type=sync_type, trigger=SyncTrigger.API
    )
    assert created
    ran = sync_run(sync_id=sync.pk)
    assert ran is not None
    ran.refresh_from_db()
    return ran


def test_it_syncs_what_the_scope_enables_and_stores_the_rest_as_null(
    sandbox_hr: str, environment: Environment
) -> None:
    scope = _scope(environment, "Names only", {"first_name": "ENABLED", "last_name": "ENABLED"})
    setup = sandbox_integration(environment=environment, scope_config=scope, employees=12)

    sync = _sync(setup.integration)

    assert sync.state == SyncState.SUCCEEDED
    assert sync.warnings == []
    assert sync.counts["hris_employees"]["created"] == 12
    assert Employee.objects.filter(integration=setup.integration).count() == 12
    source = SandboxEmployee.objects.filter(account=setup.account).first()
    assert source is not None
    row = Employee.objects.get(integration=setup.integration, remote_id=source.id)
    assert row.data["first_name"] == source.first_name
    assert row.data["last_name"] == source.last_name
    assert row.data["work_email"] is None
    assert set(row.data) == set(HRIS_EMPLOYEES.fields)
    assert Group.objects.filter(integration=setup.integration).count() > 0
    finished = WebhookEvent.objects.get(type="sync-finished", integration_id=setup.integration.pk)
    assert finished.payload["data"]["sync_state"] == "SUCCEEDED"
    changed = WebhookEvent.objects.get(type="data-changed", integration_id=setup.integration.pk)
    assert {m["name"] for m in changed.payload["data"]["changed_models"]} == {
        "hris_employees",
        "hris_teams",
    }


def test_it_warns_about_a_field_the_key_cannot_read_and_syncs_the_rest(
    sandbox_hr: str, environment: Environment
) -> None:
    scope = _scope(
        environment,
        "Wider",
        {"first_name": "ENABLED", "work_email": "ENABLED", "date_of_birth": "ENABLED"},
    )
    setup = sandbox_integration(
        environment=environment, scope_config=scope, permissions=(PERM_EMPLOYEES, PERM_GROUPS)
    )

    sync = _sync(setup.integration)

    # Kombo: "Sync has warnings — the last sync was successful with warnings".
    assert sync.state == SyncState.SUCCEEDED
    assert sync.warnings == [
        {
            "permission": PERM_PERSONAL,
            "model_id": "hris_employees",
            "field_id": "date_of_birth",
            "message": "Not all permissions are granted: Sandbox HR: the credentials cannot "
            f"read field 'date_of_birth' (needs '{PERM_PERSONAL}').",
        }
    ]
    rows = Employee.objects.filter(integration=setup.integration)
    assert rows.count() == 12
    assert all(row.data["first_name"] and row.data["work_email"] for row in rows)
    assert all(row.data["date_of_birth"] is None for row in rows)


def test_it_skips_a_model_whose_permission_is_missing(
    sandbox_hr: str, environment: Environment
) -> None:
    scope = _scope(environment, "Default", {"first_name": "ENABLED"})
    setup = sandbox_integration(
        environment=environment, scope_config=scope, permissions=(PERM_EMPLOYEES,)
    )

    sync = _sync(setup.integration)

    # Kombo: "Sync has warnings — the last sync was successful with warnings".
    assert sync.state == SyncState.SUCCEEDED
    assert sync.warnings == [
        {
            "permission": PERM_GROUPS,
            "model_id": "hris_teams",
            "field_id": None,
            "message": "Not all permissions are granted: Sandbox HR: the credentials lack the "
            f"permission '{PERM_GROUPS}' to read hris_teams.",
        }
    ]
    assert "hris_teams" not in sync.counts
    assert not Group.objects.filter(integration=setup.integration).exists()
    assert Employee.objects.filter(integration=setup.integration).count() == 12


def test_it_marks_rows_a_full_sync_no_longer_sees_as_deleted(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    _sync(setup.integration)
    managers = SandboxEmployee.objects.filter(manager__isnull=False).values("manager_id")
    gone = SandboxEmployee.objects.filter(account=setup.account).exclude(pk__in=managers).first()
    assert gone is not None
    gone_id = gone.pk
    gone.delete()

    sync = _sync(setup.integration)

    assert sync.counts["hris_employees"]["deleted"] == 1
    assert sync.counts["hris_employees"]["unchanged"] == 11
    row = Employee.objects.get(integration=setup.integration, remote_id=gone_id)
    assert row.remote_deleted_at is not None


def test_it_fetches_only_changes_in_a_delta_sync(sandbox_hr: str, environment: Environment) -> None:
    setup = sandbox_integration(environment=environment)
    _sync(setup.integration)
    before = {row.remote_id: row.changed_at for row in Employee.objects.all()}
    sandbox_employees_add(account=setup.account, count=2)

    sync = _sync(setup.integration, SyncType.DELTA)

    assert sync.state == SyncState.SUCCEEDED
    assert sync.counts["hris_employees"]["fetched"] == 2
    assert sync.counts["hris_employees"]["created"] == 2
    assert Employee.objects.filter(integration=setup.integration).count() == 14
    unchanged = Employee.objects.filter(remote_id__in=before)
    assert all(row.changed_at == before[row.remote_id] for row in unchanged)


def test_it_leaves_changed_at_alone_when_nothing_changed(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    _sync(setup.integration)
    before = dict(Employee.objects.values_list("remote_id", "changed_at"))

    sync = _sync(setup.integration)

    assert sync.counts["hris_employees"]["unchanged"] == 12
    assert dict(Employee.objects.values_list("remote_id", "changed_at")) == before
    assert (
        not WebhookEvent.objects.filter(type="data-changed")
        .exclude(created_at__lt=sync.started_at)
        .exists()
    )


def test_it_cancels_a_queued_sync_of_a_disabled_integration(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )
    integration_set_enabled(integration=setup.integration, enabled=False, actor=Actor.system())

    ran = sync_run(sync_id=sync.pk)

    assert ran is not None
    ran.refresh_from_db()
    assert ran.state == SyncState.CANCELLED
    assert not Employee.objects.exists()


def test_it_runs_a_sync_once_even_when_its_task_arrives_twice(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )

    assert sync_run(sync_id=sync.pk) is not None
    assert sync_run(sync_id=sync.pk) is None
    assert WebhookEvent.objects.filter(type="sync-finished").count() == 1


def test_it_schedules_the_next_sync_when_one_finishes(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)

    _sync(setup.integration)

    setup.integration.refresh_from_db()
    assert setup.integration.next_sync_at is not None
    wait = setup.integration.next_sync_at - timezone.now()
    assert 2.8 * 3600 < wait.total_seconds() < 3.2 * 3600

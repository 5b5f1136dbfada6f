"""A FULL sync tells a changed row from an unchanged one: Kombo's `data-changed` webhook fires
only for models whose data changed, and a changed record's `changed_at` moves (Kombo's
`updated_after` filter reads it), while a record that comes back after being deleted remotely is
live again and changed."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Environment
from integrations.models import SyncType
from sandbox_hr.models import SandboxEmployee
from syncs.models import Employee, Sync, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import sandbox_integration
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _sync(integration: Any) -> Sync:
    sync, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )
    ran = sync_run(sync_id=sync.pk)
    assert ran is not None
    ran.refresh_from_db()
    return ran


def _data_changed_after(sync: Sync) -> list[str]:
    events = WebhookEvent.objects.filter(type="data-changed", created_at__gte=sync.started_at)
    return [m["name"] for event in events for m in event.payload["data"]["changed_models"]]


def _leaf(account: Any) -> SandboxEmployee:
    """An employee nobody reports to (deleting a manager would change their reports too)."""
    managers = SandboxEmployee.objects.filter(manager__isnull=False).values("manager_id")
    employee = SandboxEmployee.objects.filter(account=account).exclude(pk__in=managers).first()
    assert employee is not None
    return employee


def test_it_counts_a_changed_row_as_updated_and_moves_only_its_changed_at(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    _sync(setup.integration)
    before = dict(Employee.objects.values_list("remote_id", "changed_at"))
    employee = _leaf(setup.account)
    employee.job_title = "Chief Sandbox Officer"
    employee.save()

    sync = _sync(setup.integration)

    assert sync.counts["hris_employees"] == {
        "fetched": 12,
        "created": 0,
        "updated": 1,
        "unchanged": 11,
        "deleted": 0,
    }
    row = Employee.objects.get(integration=setup.integration, remote_id=employee.pk)
    assert row.data["job_title"] == "Chief Sandbox Officer"
    assert row.changed_at > before[employee.pk]
    after = dict(Employee.objects.exclude(pk=row.pk).values_list("remote_id", "changed_at"))
    assert after == {remote_id: before[remote_id] for remote_id in after}
    assert _data_changed_after(sync) == ["hris_employees"]


def test_it_counts_a_row_that_comes_back_as_updated_and_live_again(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    _sync(setup.integration)
    employee = _leaf(setup.account)
    employee_id = employee.pk
    employee.delete()
    _sync(setup.integration)
    gone = Employee.objects.get(integration=setup.integration, remote_id=employee_id)
    assert gone.remote_deleted_at is not None
    employee.pk = employee_id
    employee.save(force_insert=True)

    sync = _sync(setup.integration)

    assert sync.counts["hris_employees"]["updated"] == 1
    assert sync.counts["hris_employees"]["created"] == 0
    back = Employee.objects.get(integration=setup.integration, remote_id=employee_id)
    assert back.remote_deleted_at is None
    assert back.changed_at > gone.changed_at
    assert back.last_seen_sync_id == sync.pk
    assert "hris_employees" in _data_changed_after(sync)

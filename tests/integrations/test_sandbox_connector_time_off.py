"""Syncing absence types, absences and time-off balances through the real `sandbox` connector
from the live Sandbox HR, into the unified rows the HRIS API serves.

Expected shapes come from the `kombo` SDK's `GetHrisAbsenceTypesPositiveResponseResult`,
`GetHrisAbsencesPositiveResponseResult` and `GetHrisTimeOffBalancesPositiveResponseResult`
(units HOURS/DAYS, statuses REQUESTED/APPROVED/DECLINED/CANCELLED, dates `YYYY-MM-DD`); the
permission a Sandbox HR key needs for them is Sandbox HR's own `absences:read`.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Environment
from integrations.read_models import READ_MODELS
from integrations.tools.sandbox import PERM_ABSENCES
from sandbox_hr.models import SandboxAbsence, SandboxAbsenceType, SandboxTimeOffBalance
from syncs.models import (
    Absence,
    AbsenceType,
    Employee,
    Sync,
    SyncState,
    SyncTrigger,
    TimeOffBalance,
)
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import (
    ALL_PERMISSIONS,
    SandboxSetup,
    ScopeConfigFactory,
    sandbox_integration,
)

pytestmark = pytest.mark.django_db(transaction=True)

TIME_OFF_MODELS = ("hris_absence_types", "hris_absences", "hris_time_off_balances")


def _scope(environment: Environment) -> Any:
    return ScopeConfigFactory(
        environment=environment,
        name="Time off",
        settings={
            model_id: {
                "setting": "ENABLED",
                "fields": dict.fromkeys(READ_MODELS[model_id].fields, "ENABLED"),
            }
            for model_id in ("hris_employees", *TIME_OFF_MODELS)
        },
    )


def _synced(environment: Environment, permissions: tuple[str, ...]) -> tuple[SandboxSetup, Sync]:
    setup = sandbox_integration(
        environment=environment,
        scope_config=_scope(environment),
        permissions=permissions,
        employees=6,
    )
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type="FULL", trigger=SyncTrigger.OPERATOR
    )
    sync_run(sync_id=sync.pk)
    sync.refresh_from_db()
    return setup, sync


def test_it_syncs_absence_types_with_their_units(sandbox_hr: str, environment: Environment) -> None:
    setup, sync = _synced(environment, ALL_PERMISSIONS)

    assert sync.state == SyncState.SUCCEEDED
    rows = {
        row.remote_id: row.data for row in AbsenceType.objects.filter(integration=setup.integration)
    }
    vendor = SandboxAbsenceType.objects.filter(account=setup.account)
    assert set(rows) == {t.pk for t in vendor}
    by_name = {data["name"]: data for data in rows.values()}
    assert by_name["Vacation"]["unit"] == "DAYS"
    assert by_name["Vacation"]["half_days_supported"] is True
    assert by_name["Sick leave"]["half_days_supported"] is False
    assert by_name["Overtime compensation"]["unit"] == "HOURS"
    # Sandbox HR has no times of day: the field is not read.
    assert by_name["Vacation"]["exact_times_supported"] is None


def test_it_syncs_every_absence_with_its_employee_and_type(
    sandbox_hr: str, environment: Environment
) -> None:
    setup, sync = _synced(environment, ALL_PERMISSIONS)

    rows = {
        row.remote_id: row.data for row in Absence.objects.filter(integration=setup.integration)
    }
    vendor = {a.pk: a for a in SandboxAbsence.objects.filter(account=setup.account)}
    assert set(rows) == set(vendor)
    assert sync.counts["hris_absences"]["fetched"] == len(vendor)
    for remote_id, absence in vendor.items():
        data = rows[remote_id]
        assert data["employee_id"] == absence.employee_id
        assert data["type_id"] == absence.type_id
        assert data["start_date"] == absence.start_date.isoformat()
        assert data["end_date"] == absence.end_date.isoformat()
        assert data["start_half_day"] is absence.start_half_day
        assert data["end_half_day"] is absence.end_half_day
        assert data["amount"] == float(absence.amount)
        assert data["unit"] == absence.unit.upper()
        assert data["status"] == absence.status.upper()
        assert data["employee_note"] == absence.note
        assert data["remote_created_at"] == absence.created_at.isoformat()
        assert data["start_time"] is None


def test_it_syncs_one_balance_per_employee_and_type(
    sandbox_hr: str, environment: Environment
) -> None:
    setup, _ = _synced(environment, ALL_PERMISSIONS)

    rows = {
        row.remote_id: row.data
        for row in TimeOffBalance.objects.filter(integration=setup.integration)
    }
    vendor = list(SandboxTimeOffBalance.objects.filter(account=setup.account))
    assert (
        len(rows)
        == len(vendor)
        == 6 * SandboxAbsenceType.objects.filter(account=setup.account).count()
    )
    for balance in vendor:
        data = rows[balance.pk]
        assert (data["employee_id"], data["type_id"]) == (balance.employee_id, balance.type_id)
        assert data["balance"] == float(balance.balance)
        assert data["used"] == float(balance.used)
        assert data["balance_unit"] == data["used_unit"] == balance.unit.upper()


def test_it_warns_about_a_key_without_absences_read_and_still_syncs_employees(
    sandbox_hr: str, environment: Environment
) -> None:
    without = tuple(p for p in ALL_PERMISSIONS if p != PERM_ABSENCES)

    setup, sync = _synced(environment, without)

    assert sync.state == SyncState.SUCCEEDED
    warned = {(w["model_id"], w["permission"]) for w in sync.warnings}
    assert warned >= {(model_id, PERM_ABSENCES) for model_id in TIME_OFF_MODELS}
    for model_id in TIME_OFF_MODELS:
        assert (
            "Not all permissions are granted: Sandbox HR: the credentials lack the permission "
            f"'{PERM_ABSENCES}' to read {model_id}."
        ) in [w["message"] for w in sync.warnings]
    assert Employee.objects.filter(integration=setup.integration).count() == 6
    assert not Absence.objects.filter(integration=setup.integration).exists()
    assert not TimeOffBalance.objects.filter(integration=setup.integration).exists()

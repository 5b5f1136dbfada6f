"""Personio absence types, absences and time-off balances, read over HTTP from the fake.

Sources (developer.personio.de): "List Time-Off Types" (`/reference/get_company-time-off-types`),
"List Time-Offs" (`/v1.0/reference/get_company-time-offs`: absences counted in days, `offset`
the page number, `updated_from` a date), the changelog "Employee API: absence balance endpoint"
(`GET /company/employees/{employee_id}/absences/balance`), and the OpenAPI file
`personio-personnel-data-api-oa3.yaml` of github.com/personio/api-docs (`TimeOffTypeResource`,
`Absence`, `EmployeeAbsenceBalance`); the discussion "half_day_start and half_day_end are
integers?" for the 0/1 half-day flags. Unified shapes: the `kombo` SDK's
`GetHrisAbsencesPositiveResponse`, `GetHrisAbsenceTypesPositiveResponse` and
`GetHrisTimeOffBalancesPositiveResponse` results.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.models import Environment
from integrations.models import SyncType
from integrations.read_models import READ_MODELS
from integrations.tools.base import AuthOutcome, Page, ToolError
from integrations.tools.personio import PERM_ABSENCES, PersonioTool
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
from tests.support.factories import IntegrationFactory, ScopeConfigFactory
from tests.support.fakes.personio import (
    ASA,
    HOME_OFFICE_HOURS,
    JOSE,
    SCOPE_EMPLOYEES,
    SICK_DAYS,
    VACATION,
    ZOE,
    FakePersonio,
    FakeTimeOff,
    seed_employees,
)
from tests.support.fakes.server import Fault

tool = PersonioTool()


def _all(model_id: str) -> frozenset[str]:
    return frozenset(READ_MODELS[model_id].stored_fields)


def records_of(pages: list[Page]) -> dict[str, dict[str, Any]]:
    return {record["remote_id"]: record for page in pages for record in page}


def test_it_reads_absence_types_with_their_unit_and_half_day_rule(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()

    types = records_of(list(tool.fetch(creds, "hris_absence_types", _all("hris_absence_types"))))

    assert types[str(VACATION)] == {
        "remote_id": "1234",
        "name": "Paid vacation",
        "unit": "DAYS",
        "half_days_supported": True,
        "custom_fields": {
            "category": None,
            "certification_required": False,
            "substitute_option": "disabled",
            "approval_required": True,
        },
    }
    assert (types[str(HOME_OFFICE_HOURS)]["unit"], types[str(SICK_DAYS)]["unit"]) == (
        "HOURS",
        "DAYS",
    )
    assert types[str(SICK_DAYS)]["half_days_supported"] is False
    # Personio says nothing about exact times: the field is not made up.
    assert all("exact_times_supported" not in record for record in types.values())


def test_it_reads_absences_with_plain_dates_half_days_and_status(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()

    absences = records_of(list(tool.fetch(creds, "hris_absences", _all("hris_absences"))))

    # Absences counted in hours are not what /company/time-offs serves.
    assert set(absences) == {"9001", "9002", "9003"}
    assert absences["9002"] == {
        "remote_id": "9002",
        "employee_id": str(JOSE),
        "type_id": str(VACATION),
        "start_date": "2025-04-01",
        "end_date": "2025-04-02",
        "start_half_day": True,
        "end_half_day": False,
        "amount": 1.5,
        "unit": "DAYS",
        "status": "REQUESTED",
        "employee_note": "Dentist in the morning",
        "remote_created_at": "2025-01-10T09:00:00+01:00",
        "remote_updated_at": "2025-03-01T12:00:00+00:00",
    }
    zoe = absences["9001"]
    assert (zoe["employee_id"], zoe["start_date"], zoe["end_date"], zoe["status"]) == (
        str(ZOE),
        "2025-03-10",
        "2025-03-14",
        "APPROVED",
    )
    assert zoe["remote_created_at"] == "2025-02-01T08:00:00+01:00"
    assert absences["9003"]["type_id"] == str(SICK_DAYS)


def test_it_pages_through_time_offs_by_page_number(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()
    fake_personio.time_offs.extend(
        FakeTimeOff(9100 + n, ASA, VACATION, "2024-08-01", "2024-08-01", 1) for n in range(4)
    )

    pages = list(
        PersonioTool(absence_page_size=2).fetch(creds, "hris_absences", _all("hris_absences"))
    )

    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert len(records_of(pages)) == 7
    assert [
        (r.args["offset"], r.args["limit"])
        for r in fake_personio.requests_to("/v1/company/time-offs")
    ] == [("0", "2"), ("1", "2"), ("2", "2"), ("3", "2")]


def test_it_asks_only_for_absences_updated_since_the_day_before_a_delta_point(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    since = datetime(2025, 2, 1, 0, 30, tzinfo=UTC)

    absences = records_of(
        list(tool.fetch(creds, "hris_absences", _all("hris_absences"), since=since))
    )

    assert set(absences) == {"9002"}
    (request,) = fake_personio.requests_to("/v1/company/time-offs")
    assert request.args["updated_from"] == "2025-01-31"


def test_it_reads_each_employees_balance_per_absence_type(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    pages = list(
        PersonioTool(page_size=15).fetch(
            creds, "hris_time_off_balances", _all("hris_time_off_balances")
        )
    )

    balances = records_of(pages)
    # A page of balances per page of employees, never the whole company at once.
    assert len(pages) == 4
    assert len(balances) == len(fake_personio.employees) * len(fake_personio.time_off_types)
    assert balances[f"{ZOE}:{VACATION}"] == {
        "remote_id": f"{ZOE}:{VACATION}",
        "employee_id": str(ZOE),
        "type_id": str(VACATION),
        "balance": 14.0,
        "balance_unit": "DAYS",
    }
    assert balances[f"{JOSE}:{VACATION}"]["balance"] == 20.5
    assert balances[f"{ASA}:{HOME_OFFICE_HOURS}"]["balance_unit"] == "HOURS"
    balance_calls = [r for r in fake_personio.requests if r.path.endswith("/absences/balance")]
    assert len(balance_calls) == len(fake_personio.employees)


def test_it_skips_the_balance_of_an_employee_deleted_since_the_listing(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    gone = f"/v1/company/employees/{JOSE}/absences/balance"
    fake_personio.fail_next(
        Fault(
            status=404,
            body='{"success": false, "error": {"code": 404, "message": "Es ist ein Problem"}}',
            matches=lambda request: request.path == gone,
        )
    )

    balances = records_of(
        list(tool.fetch(creds, "hris_time_off_balances", _all("hris_time_off_balances")))
    )

    assert not [key for key in balances if key.startswith(f"{JOSE}:")]
    assert f"{ZOE}:{VACATION}" in balances


def test_it_reports_a_credential_without_the_absences_scope(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create(scopes=(SCOPE_EMPLOYEES,))

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert PERM_ABSENCES not in result.granted_permissions
    gaps = tool.permission_gaps(
        model_id="hris_absences", field_ids=["start_date"], granted=result.granted_permissions
    )
    assert [gap.message for gap in gaps] == [
        "Personio: the API credential has no read access to absences "
        "(access scope 'Absences'), needed for hris_absences."
    ]
    with pytest.raises(ToolError) as failure:
        next(tool.fetch(creds, "hris_absences", _all("hris_absences")))
    assert failure.value.transient is False
    assert "access scope 'Absences', HTTP 403" in str(failure.value)


@pytest.mark.django_db(transaction=True)
def test_it_stores_absence_types_absences_and_balances_in_a_sync(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    fake_personio.employees = seed_employees(12)
    scope = ScopeConfigFactory(
        environment=environment,
        name="Time off",
        settings={
            model_id: {
                "setting": "ENABLED",
                "fields": dict.fromkeys(READ_MODELS[model_id].fields, "ENABLED"),
            }
            for model_id in ("hris_absence_types", "hris_absences", "hris_time_off_balances")
        },
    )
    integration = IntegrationFactory(
        environment=environment,
        tool="personio",
        scope_config=scope,
        remote_account_id="",
        credentials=fake_personio.credential_create(),
    )
    queued, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )

    sync = sync_run(sync_id=queued.pk)

    assert isinstance(sync, Sync)
    sync.refresh_from_db()
    assert sync.state == SyncState.SUCCEEDED, sync.error
    assert AbsenceType.objects.filter(integration=integration).count() == 3
    absence = Absence.objects.get(integration=integration, remote_id="9002")
    assert (absence.data["employee_id"], absence.data["type_id"]) == (str(JOSE), str(VACATION))
    assert (absence.data["start_date"], absence.data["start_half_day"]) == ("2025-04-01", True)
    # Unsupported or not-yet-read fields are stored empty, not invented.
    assert (absence.data["start_time"], absence.data["end_time"]) == (None, None)
    assert TimeOffBalance.objects.filter(integration=integration).count() == 12 * 3
    balance = TimeOffBalance.objects.get(integration=integration, remote_id=f"{ZOE}:{VACATION}")
    assert (balance.data["balance"], balance.data["balance_unit"], balance.data["used"]) == (
        14.0,
        "DAYS",
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_it_skips_absence_models_with_a_warning_when_the_scope_is_missing(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    fake_personio.employees = seed_employees(12)
    integration = IntegrationFactory(
        environment=environment,
        tool="personio",
        remote_account_id="",
        credentials=fake_personio.credential_create(scopes=(SCOPE_EMPLOYEES,)),
    )
    queued, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )

    sync = sync_run(sync_id=queued.pk)

    assert isinstance(sync, Sync)
    sync.refresh_from_db()
    assert sync.error == ""
    assert {w["model_id"] for w in sync.warnings} == {
        "hris_absence_types",
        "hris_absences",
        "hris_time_off_balances",
    }
    assert all("access scope 'Absences'" in w["message"] for w in sync.warnings)
    assert Absence.objects.filter(integration=integration).count() == 0
    assert Employee.objects.filter(integration=integration).count() == 12

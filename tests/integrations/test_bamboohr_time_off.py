"""BambooHR time off: absence types, absences and balances, read through the `bamboohr` connector
from a fake of BambooHR's API, and stored by a sync.

Expectations come from BambooHR's API reference as its official SDK (BambooHR/bhr-api-python,
docs/TimeOffApi.md) spells it:
- list-time-off-types, `GET /v1/meta/time_off/types` -> `{timeOffTypes: [{id, name, units,
  color, icon}], defaultHours}` (docs/TimeOffTypesAndDefaultHours*.md);
- list-time-off-requests, `GET /v1/time_off/requests`: `start` and `end` required (400 without
  them), `start` bounds a request's end date and `end` its start date; statuses approved,
  denied, superceded, requested, canceled; each request `{id, employeeId, start, end, created,
  status: {status, lastChanged}, type: {id, name}, amount: {unit, amount}, notes: {employee}}`
  (docs/TimeOffRequest1*.md);
- get-time-off-balance, `GET /v1/employees/{id}/time_off/calculator`: `[{timeOffType, name,
  units, balance, end, policyType, usedYearToDate}]`, amounts as decimal strings, as of the
  company's today without `end` (docs/TimeOffBalanceEntry.md);
- time-off-add-a-time-off-request (documentation.bamboohr.com): a request with a
  `previousRequest` cancels the original and marks the new one its successor.
Kombo's unified values (the `kombo` SDK models): units HOURS | DAYS, statuses REQUESTED
APPROVED DECLINED CANCELLED DELETED; an unknown vendor value is None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from core.models import Environment
from integrations.read_models import HRIS_ABSENCE_TYPES, HRIS_ABSENCES, HRIS_TIME_OFF_BALANCES
from integrations.tools.bamboohr import PERM_TIME_OFF, PERM_TIME_OFF_BALANCES, BambooHrTool
from integrations.tools.base import AuthOutcome, ToolError
from syncs.models import Absence, AbsenceType, SyncState, SyncTrigger, TimeOffBalance
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory, ScopeConfigFactory
from tests.support.fakes.server import Fault

if TYPE_CHECKING:
    from tests.support.fakes.bamboohr import FakeBambooHr

tool = BambooHrTool()


def credentials(fake: FakeBambooHr, **grant: Any) -> dict[str, str]:
    return {"companyDomain": "acme", "apiKey": fake.issue_key("acme", **grant)}


def fetched(fake: FakeBambooHr, model_id: str, fields: tuple[str, ...], **grant: Any) -> Any:
    pages = list(tool.fetch(credentials(fake, **grant), model_id, frozenset(fields)))
    return {record["remote_id"]: record for page in pages for record in page}


def test_it_reads_absence_types_with_their_units(fake_bamboohr: FakeBambooHr) -> None:
    types = fetched(fake_bamboohr, "hris_absence_types", HRIS_ABSENCE_TYPES.fields)

    assert types == {
        "77": {"remote_id": "77", "name": "Vacation", "unit": "DAYS"},
        "78": {"remote_id": "78", "name": "Sick", "unit": "HOURS"},
        # Weeks are neither hours nor days: unknown, not guessed.
        "79": {"remote_id": "79", "name": "Sabbatical", "unit": None},
    }


def test_it_reads_every_absence_with_its_status_amount_and_note(
    fake_bamboohr: FakeBambooHr,
) -> None:
    fields = HRIS_ABSENCES.stored_fields

    absences = fetched(fake_bamboohr, "hris_absences", fields)

    assert absences["101"] == {
        "remote_id": "101",
        "employee_id": "2",
        "type_id": "77",
        "start_date": "2025-08-04",
        "end_date": "2025-08-06",
        "amount": 3.0,
        "unit": "DAYS",
        "status": "APPROVED",
        "employee_note": "Summer in Asturias",
    }
    assert {key: absences[key]["status"] for key in absences} == {
        "101": "APPROVED",
        "102": "REQUESTED",
        "103": "DECLINED",
        "104": "CANCELLED",
        # Superseded by a changed request: the original is cancelled.
        "105": "CANCELLED",
        "106": "APPROVED",
    }
    assert (absences["102"]["amount"], absences["102"]["unit"]) == (4.5, "HOURS")
    assert absences["102"]["employee_note"] is None
    # A request years ahead is read too.
    assert absences["106"]["start_date"] == "2030-01-07"


def test_it_asks_for_requests_in_a_window_with_both_required_dates(
    fake_bamboohr: FakeBambooHr,
) -> None:
    fetched(fake_bamboohr, "hris_absences", ("start_date",))

    calls = [r for r in fake_bamboohr.requests if r.path.endswith("/v1/time_off/requests")]
    assert len(calls) == 1
    assert calls[0].args["start"] == "1900-01-01"
    assert calls[0].args["end"] > "2035-01-01"
    assert calls[0].authorization is not None
    assert calls[0].authorization.type == "basic"


def test_it_reads_each_employees_balances(fake_bamboohr: FakeBambooHr) -> None:
    balances = fetched(
        fake_bamboohr, "hris_time_off_balances", HRIS_TIME_OFF_BALANCES.stored_fields
    )

    assert balances["1:77"] == {
        "remote_id": "1:77",
        "employee_id": "1",
        "type_id": "77",
        "balance": 12.5,
        "balance_unit": "DAYS",
        "used": 7.5,
        "used_unit": "DAYS",
    }
    assert (balances["2:77"]["balance"], balances["2:77"]["used"]) == (-1.0, 26.0)
    assert balances["1:78"]["balance_unit"] == "HOURS"
    assert set(balances) == {"1:77", "1:78", "2:77", "2:78", "250:77"}
    calculator_calls = [r for r in fake_bamboohr.requests if r.path.endswith("/calculator")]
    # One call per employee, each for today's balance.
    assert len(calculator_calls) == 347
    assert all("end" not in r.args for r in calculator_calls)


def test_it_yields_balances_one_page_per_page_of_employees(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr)

    pages = tool.fetch(creds, "hris_time_off_balances", frozenset({"balance"}))
    first = next(pages)

    # The first page (employees 1 to 100) holds employees 1 and 2 only; 250 comes later.
    assert {record["remote_id"] for record in first} == {"1:77", "1:78", "2:77", "2:78"}
    asked = [r.path for r in fake_bamboohr.requests if r.path.endswith("/calculator")]
    assert len(asked) == 100
    assert [record["remote_id"] for page in pages for record in page] == ["250:77"]


def test_it_grants_time_off_only_to_users_who_may_view_it(fake_bamboohr: FakeBambooHr) -> None:
    with_time_off = tool.check_auth(credentials(fake_bamboohr))
    without = tool.check_auth(credentials(fake_bamboohr, time_off=False))

    assert {PERM_TIME_OFF, PERM_TIME_OFF_BALANCES} <= with_time_off.granted_permissions
    assert without.outcome == AuthOutcome.OK
    assert not {PERM_TIME_OFF, PERM_TIME_OFF_BALANCES} & without.granted_permissions
    gaps = tool.permission_gaps(
        model_id="hris_absences", field_ids=["start_date"], granted=without.granted_permissions
    )
    assert [(gap.permission, gap.message) for gap in gaps] == [
        (PERM_TIME_OFF, "BambooHR: the API key's user cannot view time off")
    ]


def test_it_gives_no_balances_to_a_user_without_the_employee_dataset(
    fake_bamboohr: FakeBambooHr,
) -> None:
    result = tool.check_auth(credentials(fake_bamboohr, dataset=False))

    assert PERM_TIME_OFF in result.granted_permissions
    assert PERM_TIME_OFF_BALANCES not in result.granted_permissions


@pytest.mark.parametrize(
    "model_id", ["hris_absence_types", "hris_absences", "hris_time_off_balances"]
)
def test_it_stops_for_good_naming_the_permission_when_time_off_is_refused(
    fake_bamboohr: FakeBambooHr, model_id: str
) -> None:
    with pytest.raises(ToolError) as failure:
        fetched(fake_bamboohr, model_id, ("name", "start_date", "balance"), time_off=False)

    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)
    assert "(needs 'time_off" in str(failure.value)


@pytest.mark.django_db
def test_it_stores_absence_types_absences_and_balances_in_a_sync(
    fake_bamboohr: FakeBambooHr,
) -> None:
    environment = Environment.objects.create(name="time-off")
    scope = ScopeConfigFactory(
        environment=environment,
        name="Time off",
        settings={
            model.id: {"setting": "ENABLED", "fields": dict.fromkeys(model.fields, "ENABLED")}
            for model in (HRIS_ABSENCE_TYPES, HRIS_ABSENCES, HRIS_TIME_OFF_BALANCES)
        },
    )
    integration = IntegrationFactory(
        environment=environment,
        tool="bamboohr",
        credentials=credentials(fake_bamboohr),
        remote_account_id="acme",
        scope_config=scope,
    )
    sync, _ = sync_enqueue(integration=integration, sync_type="FULL", trigger=SyncTrigger.OPERATOR)

    sync_run(sync_id=sync.pk)

    sync.refresh_from_db()
    assert (sync.state, sync.warnings) == (SyncState.SUCCEEDED, [])
    types = {row.remote_id: row.data for row in AbsenceType.objects.filter(integration=integration)}
    assert types["77"]["name"] == "Vacation"
    assert types["77"]["unit"] == "DAYS"
    absence = Absence.objects.get(integration=integration, remote_id="101")
    assert absence.data["employee_id"] == "2"
    assert absence.data["type_id"] == "77"
    assert (absence.data["amount"], absence.data["status"]) == (3.0, "APPROVED")
    assert Absence.objects.filter(integration=integration).count() == 6
    balance = TimeOffBalance.objects.get(integration=integration, remote_id="1:78")
    assert (balance.data["balance"], balance.data["balance_unit"]) == (40.0, "HOURS")
    assert TimeOffBalance.objects.filter(integration=integration).count() == 5


def test_it_skips_an_employee_deleted_since_their_id_was_read(fake_bamboohr: FakeBambooHr) -> None:
    # get-time-off-balance answers 404 "Employee not found".
    fake_bamboohr.fail_next(
        Fault(
            404, matches=lambda request: request.path.endswith("/employees/1/time_off/calculator")
        )
    )

    balances = fetched(fake_bamboohr, "hris_time_off_balances", ("balance",))

    assert set(balances) == {"2:77", "2:78", "250:77"}

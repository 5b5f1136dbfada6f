"""BambooHR employments: the compensation table, with the job title of the job information row in
effect, read through the `bamboohr` connector from a fake of BambooHR's API, and stored by a sync.

Expectations come from BambooHR's "Tabular Data" page (bamboohr.com/api/documentation/tables.php)
and reference/get-changed-employee-table-data (documentation.bamboohr.com):
`GET /v1/employees/{id}/tables/{table}`; `jobInfo` columns date, location, division,
department, jobTitle, reportsTo; `compensation` columns startDate, endDate, rate ("56.00 USD"),
type, reason, comment, paidPer ("Hour", "Day", "Week", "Month", "Quarter", "Year"), payPeriod
("Daily", "Weekly", "Every other week", "Twice a month", ...), paySchedule. Kombo's unified
values (the `kombo` SDK's employment model): pay_period HOUR DAY WEEK ... YEAR, pay_frequency
DAILY WEEKLY BIWEEKLY MONTHLY SEMIMONTHLY ...; an unknown vendor value is None.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from core.models import Environment
from integrations.read_models import HRIS_EMPLOYMENTS
from integrations.tools.bamboohr import PERM_TABLE_COMPENSATION, PERM_TABLE_JOB_INFO, BambooHrTool
from integrations.tools.base import Coverage, ToolError
from syncs.models import Employment, SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory, ScopeConfigFactory
from tests.support.fakes.server import Fault

if TYPE_CHECKING:
    from tests.support.fakes.bamboohr import FakeBambooHr

tool = BambooHrTool()
FIELDS = frozenset(HRIS_EMPLOYMENTS.stored_fields)


def credentials(fake: FakeBambooHr, **grant: Any) -> dict[str, str]:
    return {"companyDomain": "acme", "apiKey": fake.issue_key("acme", **grant)}


def employments(pages: Any) -> dict[str, dict[str, Any]]:
    return {record["remote_id"]: record for page in pages for record in page}


def test_it_reads_each_compensation_row_as_an_employment(fake_bamboohr: FakeBambooHr) -> None:
    records = employments(tool.fetch(credentials(fake_bamboohr), "hris_employments", FIELDS))

    assert records["2:1"] == {
        "remote_id": "2:1",
        "employee_id": "2",
        "job_title": "Senior Engineer",
        "pay_rate": 65000.0,
        "pay_period": "YEAR",
        "pay_frequency": "SEMIMONTHLY",
        "pay_currency": "EUR",
        "effective_date": "2017-09-18",
    }
    # The title in effect from the raise's start date on.
    assert (records["2:2"]["job_title"], records["2:2"]["pay_rate"]) == ("VP Engineering", 120000.0)
    assert records["2:2"]["pay_frequency"] == "MONTHLY"
    assert records["3:1"] == {
        "remote_id": "3:1",
        "employee_id": "3",
        "job_title": "Staff Engineer",
        "pay_rate": 45.5,
        "pay_period": "HOUR",
        "pay_frequency": "BIWEEKLY",
        "pay_currency": "SEK",
        "effective_date": "2019-04-01",
    }
    assert set(records) == {"2:1", "2:2", "3:1", "4:1"}


def test_it_leaves_pay_units_bamboohr_does_not_name_unknown(fake_bamboohr: FakeBambooHr) -> None:
    records = employments(tool.fetch(credentials(fake_bamboohr), "hris_employments", FIELDS))

    # Paid "per Pay Period" on a schedule outside BambooHR's list; no job information rows.
    assert records["4:1"] == {
        "remote_id": "4:1",
        "employee_id": "4",
        "job_title": None,
        "pay_rate": 3000.0,
        "pay_period": None,
        "pay_frequency": None,
        "pay_currency": "USD",
        "effective_date": "2020-02-01",
    }


def test_it_reads_job_information_only_when_the_job_title_is_wanted(
    fake_bamboohr: FakeBambooHr,
) -> None:
    creds = credentials(fake_bamboohr)

    records = employments(tool.fetch(creds, "hris_employments", frozenset({"pay_rate"})))

    assert records["2:2"] == {"remote_id": "2:2", "pay_rate": 120000.0}
    assert not [r for r in fake_bamboohr.requests if r.path.endswith("/tables/jobInfo")]
    assert (
        len([r for r in fake_bamboohr.requests if r.path.endswith("/tables/compensation")]) == 347
    )


def test_it_reads_only_changed_employees_tables_in_a_delta(fake_bamboohr: FakeBambooHr) -> None:
    later = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    fake_bamboohr.update_employee("acme", "2", later, lastName="Núñez García")
    creds = credentials(fake_bamboohr)

    records = employments(
        tool.fetch(creds, "hris_employments", FIELDS, since=datetime(2025, 1, 1, tzinfo=UTC))
    )

    assert set(records) == {"2:1", "2:2"}
    table_calls = {r.path for r in fake_bamboohr.requests if "/tables/" in r.path}
    assert table_calls == {
        "/acme/v1/employees/2/tables/compensation",
        "/acme/v1/employees/2/tables/jobInfo",
    }


def test_it_grants_each_table_the_users_access_level_can_view(
    fake_bamboohr: FakeBambooHr,
) -> None:
    everything = tool.check_auth(credentials(fake_bamboohr))
    no_job_info = tool.check_auth(credentials(fake_bamboohr, tables=frozenset({"compensation"})))
    no_tables = tool.check_auth(credentials(fake_bamboohr, tables=frozenset()))

    assert {PERM_TABLE_COMPENSATION, PERM_TABLE_JOB_INFO} <= everything.granted_permissions
    assert PERM_TABLE_COMPENSATION in no_job_info.granted_permissions
    assert PERM_TABLE_JOB_INFO not in no_job_info.granted_permissions
    gaps = tool.permission_gaps(
        model_id="hris_employments",
        field_ids=["pay_rate", "job_title"],
        granted=no_job_info.granted_permissions,
    )
    assert [(gap.field_id, gap.message) for gap in gaps] == [
        ("job_title", "BambooHR: the API key's user cannot view the jobInfo table")
    ]
    assert not {PERM_TABLE_COMPENSATION, PERM_TABLE_JOB_INFO} & no_tables.granted_permissions


def test_it_stops_for_good_naming_the_table_when_it_is_refused(
    fake_bamboohr: FakeBambooHr,
) -> None:
    creds = credentials(fake_bamboohr, tables=frozenset())

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(creds, "hris_employments", FIELDS))

    assert failure.value.transient is False
    assert "(needs 'table:compensation')" in str(failure.value)


def test_it_says_which_employment_fields_bamboohr_cannot_give() -> None:
    support = BambooHrTool.models["hris_employments"]

    assert support.field_support("custom_fields").coverage == Coverage.UNSUPPORTED
    assert support.field_support("employment_type").coverage == Coverage.NOT_IMPLEMENTED
    assert tool.model_support("hris_legal_entities").coverage == Coverage.UNSUPPORTED


@pytest.mark.django_db
def test_it_stores_employments_in_a_sync(fake_bamboohr: FakeBambooHr) -> None:
    environment = Environment.objects.create(name="employments")
    scope = ScopeConfigFactory(
        environment=environment,
        name="Pay",
        settings={
            "hris_employments": {
                "setting": "ENABLED",
                "fields": dict.fromkeys(HRIS_EMPLOYMENTS.fields, "ENABLED"),
            }
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
    rows = {row.remote_id: row.data for row in Employment.objects.filter(integration=integration)}
    assert set(rows) == {"2:1", "2:2", "3:1", "4:1"}
    assert rows["2:2"]["employee_id"] == "2"
    assert rows["2:2"]["pay_rate"] == 120000.0
    assert rows["2:2"]["pay_currency"] == "EUR"
    assert rows["2:2"]["job_title"] == "VP Engineering"


def test_it_skips_an_employee_deleted_since_their_id_was_read(fake_bamboohr: FakeBambooHr) -> None:
    fake_bamboohr.fail_next(
        Fault(
            404, matches=lambda request: request.path.endswith("/employees/2/tables/compensation")
        )
    )

    records = employments(tool.fetch(credentials(fake_bamboohr), "hris_employments", FIELDS))

    assert set(records) == {"3:1", "4:1"}

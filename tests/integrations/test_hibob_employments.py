"""HiBob employments: one per row of an employee's salary table, with the employment type and
job title in effect on its date, read from a fake HiBob that serves the employee tables.

Sources (apidocs.hibob.com): reference/employee-tables (tables sit in categories; all rows need
"View selected employees' <category> section histories"), reference/get_people-id-salaries
(`{"values": [{id, effectiveDate, base: {value, currency}, payPeriod, payFrequency}]}`, the
payPeriod and payFrequency vocabularies), reference/get_people-id-employment and
reference/get_people-id-work (`type`, `title`, `effectiveDate`). Kombo's pay period, pay
frequency and employment type enums: the `kombo` SDK's employment model.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from integrations.read_models import HRIS_EMPLOYMENTS
from integrations.tools.base import ToolError
from integrations.tools.hibob import (
    PERM_EMPLOYMENT_HISTORY,
    PERM_SALARY_HISTORY,
    PERM_WORK_HISTORY,
    HiBobTool,
)
from tests.support.fakes.hibob import FakeHiBob

tool = HiBobTool()
TABLES = ("payroll_history", "employment_history", "work_history")
EMPLOYMENT_FIELDS = frozenset(HRIS_EMPLOYMENTS.stored_fields)


def credentials(fake: FakeHiBob, features: Iterable[str] = TABLES) -> dict[str, str]:
    user_id, token = fake.add_service_user(features=features)
    return {"service_user_id": user_id, "token": token}


def by_id(pages: list[list[dict[str, object]]]) -> dict[str, dict[str, object]]:
    return {str(record["remote_id"]): record for page in pages for record in page}


def test_it_reads_one_employment_per_salary_row_with_the_type_and_title_then_in_effect(
    fake_hibob: FakeHiBob,
) -> None:
    zoe, jose = fake_hibob.employees[:2]

    pages = list(tool.fetch(credentials(fake_hibob), "hris_employments", EMPLOYMENT_FIELDS))

    assert [len(page) for page in pages] == [201, 30]
    employments = by_id(pages)
    assert employments[f"{zoe.id}:1"] == {
        "remote_id": f"{zoe.id}:1",
        "employee_id": zoe.id,
        "job_title": "Chief Executive Officer",
        "pay_rate": 185000.0,
        "pay_period": "YEAR",
        "pay_frequency": "SEMIMONTHLY",
        "employment_type": "FULL_TIME",
        "pay_currency": "USD",
        "effective_date": "2020-01-01",
        "custom_fields": None,
    }
    # The hiring rate: hourly, paid every four weeks (no Kombo value), as a contractor.
    first = employments[f"{zoe.id}:2"]
    assert (first["pay_rate"], first["pay_period"], first["pay_frequency"]) == (62.5, "HOUR", None)
    assert (first["employment_type"], first["job_title"]) == ("CONTRACT", "Head of Operations")
    jose_pay = next(e for e in employments.values() if e["employee_id"] == jose.id)
    assert (jose_pay["pay_period"], jose_pay["pay_frequency"]) == ("MONTH", "BIWEEKLY")
    assert (jose_pay["employment_type"], jose_pay["pay_currency"]) == ("PART_TIME", "EUR")


def test_it_reads_pay_alone_when_the_group_sees_only_payroll_histories(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(fake_hibob, ["payroll_history"])
    granted = tool.check_auth(creds).granted_permissions
    assert PERM_SALARY_HISTORY in granted
    assert not {PERM_EMPLOYMENT_HISTORY, PERM_WORK_HISTORY} & granted
    gaps = tool.permission_gaps(
        model_id="hris_employments", field_ids=HRIS_EMPLOYMENTS.fields, granted=granted
    )
    assert [(gap.field_id, gap.permission) for gap in gaps] == [
        ("job_title", PERM_WORK_HISTORY),
        ("employment_type", PERM_EMPLOYMENT_HISTORY),
    ]
    fake_hibob.requests.clear()

    readable = EMPLOYMENT_FIELDS - {"job_title", "employment_type"}
    employments = by_id(list(tool.fetch(creds, "hris_employments", readable)))

    zoe = fake_hibob.employees[0]
    assert employments[f"{zoe.id}:1"]["pay_rate"] == 185000.0
    assert "job_title" not in employments[f"{zoe.id}:1"]
    paths = {request.path.rsplit("/", 1)[-1] for request in fake_hibob.requests}
    assert paths == {"search", "salaries"}


def test_it_stops_for_good_without_the_payroll_histories(fake_hibob: FakeHiBob) -> None:
    creds = credentials(fake_hibob, ["employment_history", "work_history"])

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(creds, "hris_employments", EMPLOYMENT_FIELDS))

    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)
    assert "Payroll section histories" in str(failure.value)

"""Personio's dates become plain dates without moving a day.

Source: the OpenAPI file `personio-personnel-data-api-oa3.yaml` (github.com/personio/api-docs)
and "List Company Employees" (developer.personio.de `/reference/get_company-employees`): date
attributes come as midnight in the company's zone (`hire_date: 2014-11-09T00:00:00+01:00`),
time-off dates as `2017-12-27T00:00:00+0100`, timestamps such as `created_at` as
`2017-05-23T09:49:03+02:00`. Unified rule: dates `YYYY-MM-DD`, datetimes ISO 8601 with offset.
"""

from __future__ import annotations

from integrations.tools.personio import PersonioTool
from tests.support.fakes.personio import VACATION, ZOE, FakePersonio, FakeTimeOff

tool = PersonioTool()


def test_it_keeps_the_calendar_day_of_a_midnight_date_east_of_utc(
    fake_personio: FakePersonio,
) -> None:
    zoe = fake_personio.employee(ZOE)
    # 2024-02-29T23:00Z and 2024-12-31T22:00Z in UTC: converting first would lose a day.
    zoe.values["hire_date"] = "2024-03-01T00:00:00+01:00"
    zoe.values["termination_date"] = "2025-01-01T00:00:00+02:00"
    zoe.values["created_at"] = "2024-03-01T00:15:00+0100"
    creds = fake_personio.credential_create()

    records = {
        r["remote_id"]: r
        for page in tool.fetch(
            creds,
            "hris_employees",
            frozenset({"start_date", "termination_date", "remote_created_at"}),
        )
        for r in page
    }

    assert records[str(ZOE)] == {
        "remote_id": str(ZOE),
        "start_date": "2024-03-01",
        "termination_date": "2025-01-01",
        "remote_created_at": "2024-03-01T00:15:00+01:00",
    }


def test_it_keeps_the_calendar_days_of_an_absence(fake_personio: FakePersonio) -> None:
    fake_personio.time_offs = [FakeTimeOff(9500, ZOE, VACATION, "2025-01-01", "2025-01-02", 2)]
    creds = fake_personio.credential_create()

    (page,) = tool.fetch(creds, "hris_absences", frozenset({"start_date", "end_date"}))

    assert page == [{"remote_id": "9500", "start_date": "2025-01-01", "end_date": "2025-01-02"}]

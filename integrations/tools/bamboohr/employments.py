"""BambooHR's compensation and job information tables -> unified employments.

Pages followed: "Tabular Data" (bamboohr.com/api/documentation/tables.php) and
reference/get-changed-employee-table-data (documentation.bamboohr.com):
- `GET /v1/employees/{id}/tables/{table}` lists one employee's rows of a table, each with its
  row `id`. The `jobInfo` columns: date, location, division, department, jobTitle, reportsTo.
  The `compensation` columns: startDate, endDate, rate (a currency field written
  "56.00 USD"), type, reason, comment, paidPer ("Hour", "Day", "Week", "Month", "Quarter",
  "Year": what the rate is per), payPeriod (how often a paycheck comes: "Daily", "Weekly",
  "Every other week", "Twice a month", ...), paySchedule (a schedule the company names).
- A change in any field of an employee bumps the employee's last-changed time, so the changed
  employee ids (`/v1/employees/changed`) cover table changes too.
- Custom tables are not in the API, so employments carry no custom fields.

Where the docs are silent (and what is done):
- Whether row ids are unique across employees: an employment's id is "{employee}:{row}".
- The job title of a compensation row: the job information row in effect on its start date
  (the latest `date` on or before it).
- Pay period names beyond those listed ("Quarterly", "Twice a year", "Yearly" by BambooHR's
  wording elsewhere) map as they read; "Pay Period" and "Piece" rates and company-named pay
  schedules have no unified value: None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from integrations.tools.bamboohr.client import Company, read, unexpected_body
from integrations.tools.bamboohr.fields import PERM_TABLE_COMPENSATION, PERM_TABLE_JOB_INFO
from integrations.tools.bamboohr.mapping import date_text, text
from integrations.tools.base import Page, select_fields

_PAID_PER = {
    "hour": "HOUR",
    "day": "DAY",
    "week": "WEEK",
    "month": "MONTH",
    "quarter": "QUARTER",
    "year": "YEAR",
}
_PAY_PERIOD = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "every other week": "BIWEEKLY",
    "twice a month": "SEMIMONTHLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "twice a year": "SEMIANNUALLY",
    "yearly": "ANNUALLY",
}
_RATE = re.compile(r"(-?[\d,]*\.?\d+)\s*([A-Za-z]{3})?")


def _lookup(table: Mapping[str, str], value: Any) -> str | None:
    key = text(value)
    return None if key is None else table.get(key.lower())


def parse_rate(value: Any) -> tuple[float | None, str | None]:
    """ "120000.00 EUR" -> (120000.0, "EUR")."""
    raw = text(value)
    match = _RATE.fullmatch(raw or "")
    if match is None:
        return None, None
    amount = float(match.group(1).replace(",", ""))
    currency = match.group(2)
    return amount, currency.upper() if currency else None


def _job_title_on(job_rows: Sequence[Mapping[str, Any]], day: str | None) -> str | None:
    if day is None:
        return None
    in_effect = [
        row
        for row in job_rows
        if (start := date_text(row.get("date"))) is not None and start <= day
    ]
    if not in_effect:
        return None
    return text(max(in_effect, key=lambda row: str(row["date"])).get("jobTitle"))


def map_employment(
    employee_id: str, row: Mapping[str, Any], job_rows: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    effective_date = date_text(row.get("startDate"))
    pay_rate, currency = parse_rate(row.get("rate"))
    return {
        "remote_id": f"{employee_id}:{row['id']}",
        "employee_id": employee_id,
        "job_title": _job_title_on(job_rows, effective_date),
        "pay_rate": pay_rate,
        "pay_period": _lookup(_PAID_PER, row.get("paidPer")),
        "pay_frequency": _lookup(_PAY_PERIOD, row.get("payPeriod")),
        "pay_currency": currency,
        "effective_date": effective_date,
    }


def _table(company: Company, employee_id: str, table: str, permission: str) -> list[Any]:
    body = read(
        company,
        f"/v1/employees/{employee_id}/tables/{table}",
        f"{table} table",
        permission=permission,
        missing_ok=True,
    )
    if body is None:
        return []
    if not isinstance(body, list):
        raise unexpected_body(f"{table} table")
    return body


def fetch_employments(
    company: Company, fields: frozenset[str], employee_id_pages: Iterable[list[str]]
) -> Iterator[Page]:
    for employee_ids in employee_id_pages:
        page: Page = []
        for employee_id in employee_ids:
            rows = _table(company, employee_id, "compensation", PERM_TABLE_COMPENSATION)
            job_rows = (
                _table(company, employee_id, "jobInfo", PERM_TABLE_JOB_INFO)
                if "job_title" in fields and rows
                else []
            )
            try:
                page.extend(
                    select_fields(map_employment(employee_id, row, job_rows), fields)
                    for row in rows
                )
            except (KeyError, TypeError, AttributeError, ValueError):
                raise unexpected_body("compensation table") from None
        yield page

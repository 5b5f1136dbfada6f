"""HiBob's employee tables -> employments: one per row of the salary table.

Pages followed (apidocs.hibob.com):
- reference/employee-tables: tables sit in categories; all their rows need "View selected
  employees' <category> section histories" (the section permission alone shows the current
  row), and the employee must be among the people the group may access.
- reference/get_people-id-salaries: `GET /people/{id}/salaries` -> `{"values": [{id, reason,
  effectiveDate, base: {value, currency}, payPeriod, payFrequency}]}`; `payPeriod` is one of
  Annual, Hourly, Daily, Weekly, Monthly and `payFrequency` one of Weekly, Monthly, Pro rata,
  Every two weeks, Twice a month, Every four weeks; `currency` is a three-letter code.
- reference/get_people-id-employment: `GET /people/{id}/employment` -> `{"values": [{id,
  effectiveDate, contract, type, salaryPayType, ...}]}`.
- reference/get_people-id-work: `GET /people/{id}/work` -> `{"values": [{id, effectiveDate,
  title, department, site, siteId, ...}]}`.

A salary row's employment type and job title are those of the employment and work rows in
effect on its effective date (the latest row starting on or before it). History row ids are
unique per employee only, so an employment's remote id is "<employee id>:<salary row id>".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from integrations.tools.base import Page, select_fields
from integrations.tools.hibob.client import (
    PER_EMPLOYEE_RETRIES,
    Denied,
    Unusable,
    get_json,
    values_of,
)

_PAY_PERIOD = {
    "annual": "YEAR",
    "hourly": "HOUR",
    "daily": "DAY",
    "weekly": "WEEK",
    "monthly": "MONTH",
}
# "Every four weeks" has no Kombo value: it is left None rather than guessed.
_PAY_FREQUENCY = {
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "pro rata": "PRO_RATA",
    "every two weeks": "BIWEEKLY",
    "twice a month": "SEMIMONTHLY",
}
_EMPLOYMENT_TYPE = {
    "full time": "FULL_TIME",
    "part time": "PART_TIME",
    "contract": "CONTRACT",
    "contractor": "CONTRACT",
    "intern": "INTERNSHIP",
    "internship": "INTERNSHIP",
    "freelance": "FREELANCE",
    "freelancer": "FREELANCE",
    "working student": "WORKING_STUDENT",
    "apprentice": "APPRENTICESHIP",
    "apprenticeship": "APPRENTICESHIP",
    "trainee": "TRAINING",
    "training": "TRAINING",
}


def _key(value: Any) -> str:
    return " ".join(str(value).lower().replace("-", " ").replace("_", " ").split())


def _rows(credentials: Mapping[str, str], employee_id: str, table: str) -> list[dict[str, Any]]:
    try:
        body = get_json(
            credentials,
            f"/people/{quote(employee_id, safe='')}/{table}",
            retry_network_errors=PER_EMPLOYEE_RETRIES,
        )
    except Denied as refused:
        # An employee the group may not access (or one removed since the search) has no rows
        # to give; a 403 is the missing table permission and stops the read.
        if refused.status_code == 404:
            return []
        raise
    return sorted(values_of(body, "values"), key=lambda row: str(row.get("effectiveDate") or ""))


def _in_effect(rows: list[dict[str, Any]], day: str | None) -> dict[str, Any] | None:
    current = None
    for row in rows:
        if day is not None and str(row.get("effectiveDate") or "") <= day:
            current = row
    return current


def fetch_employments(
    credentials: Mapping[str, str],
    fields: frozenset[str],
    *,
    employee_batches: Iterable[list[str]],
) -> Iterator[Page]:
    for batch in employee_batches:
        page: Page = []
        for employee_id in batch:
            salaries = _rows(credentials, employee_id, "salaries")
            if not salaries:
                continue
            employment = (
                _rows(credentials, employee_id, "employment") if "employment_type" in fields else []
            )
            work = _rows(credentials, employee_id, "work") if "job_title" in fields else []
            for salary in salaries:
                page.append(
                    select_fields(map_salary(employee_id, salary, employment, work), fields)
                )
        yield page


def map_salary(
    employee_id: str,
    salary: Mapping[str, Any],
    employment: list[dict[str, Any]],
    work: list[dict[str, Any]],
) -> dict[str, Any]:
    if salary.get("id") is None:
        raise Unusable("a salary entry without an ID")
    effective = str(salary["effectiveDate"]) if salary.get("effectiveDate") else None
    base_value = salary.get("base")
    base: Mapping[str, Any] = base_value if isinstance(base_value, dict) else {}
    rate = base.get("value")
    employment_row = _in_effect(employment, effective)
    work_row = _in_effect(work, effective)
    title = work_row.get("title") if work_row else None
    return {
        "remote_id": f"{employee_id}:{salary['id']}",
        "employee_id": employee_id,
        "job_title": str(title) if title else None,
        "pay_rate": float(rate)
        if isinstance(rate, int | float) and not isinstance(rate, bool)
        else None,
        "pay_period": _PAY_PERIOD.get(_key(salary.get("payPeriod"))),
        "pay_frequency": _PAY_FREQUENCY.get(_key(salary.get("payFrequency"))),
        "employment_type": (
            _EMPLOYMENT_TYPE.get(_key(employment_row.get("type"))) if employment_row else None
        ),
        "pay_currency": str(base["currency"]).upper() if base.get("currency") else None,
        "effective_date": effective,
        "custom_fields": None,
    }

"""BambooHR time off -> unified absence types, absences and time-off balances.

Pages followed (BambooHR's API reference, as its official SDK BambooHR/bhr-api-python spells
it in docs/TimeOffApi.md and the models it names):
- list-time-off-types, `GET /v1/meta/time_off/types`: `{timeOffTypes: [{id, name, units, color,
  icon}], defaultHours: [...]}`, the company's active types.
- list-time-off-requests, `GET /v1/time_off/requests?start=&end=`: both dates required (400
  otherwise); `start` bounds each request's end date and `end` its start date, so a window
  returns every request overlapping it. Filters `status` (approved, denied, superceded,
  requested, canceled), `type`, `employeeId`, `action` (view by default: what the user may
  see). Each request: `{id, employeeId, start, end, created, status: {status, lastChanged},
  type: {id, name}, amount: {unit, amount}, dates, notes: {employee, manager}}`. Not paged, and
  no changed-since filter: every sync reads the whole window.
- get-time-off-balance, `GET /v1/employees/{id}/time_off/calculator?end=`: one entry per
  assigned type, `{timeOffType, name, units, balance, end, policyType, usedYearToDate}`, the
  amounts as decimal strings.
- time-off-add-a-time-off-request: a request given a `previousRequest` is "canceled and the new
  request will be marked as its successor": a superseded request is a cancelled one.

Where the docs are silent: which window holds every request (from 1900-01-01, a date no HR
record precedes, to ten years ahead, past any planned leave); `weeks` or other units (unknown:
None); whether a half day is the morning or the afternoon (the `dates` map has amounts only, so
the half-day and time fields are not offered).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from integrations.tools.bamboohr.client import Company, read, unexpected_body
from integrations.tools.bamboohr.dataset import employee_id_pages
from integrations.tools.bamboohr.fields import PERM_TIME_OFF, PERM_TIME_OFF_BALANCES
from integrations.tools.bamboohr.mapping import date_text, text
from integrations.tools.base import Page, select_fields

TYPES_PATH = "/v1/meta/time_off/types"
REQUESTS_PATH = "/v1/time_off/requests"
_WINDOW_START = "1900-01-01"
_WINDOW_YEARS_AHEAD = 10
# Absences are yielded in pages of this size (the API answers the window in one list).
_PAGE = 200

_UNIT = {"days": "DAYS", "day": "DAYS", "hours": "HOURS", "hour": "HOURS"}
_STATUS = {
    "approved": "APPROVED",
    "requested": "REQUESTED",
    "denied": "DECLINED",
    "declined": "DECLINED",
    "canceled": "CANCELLED",
    "cancelled": "CANCELLED",
    "superceded": "CANCELLED",
    "superseded": "CANCELLED",
}


def _unit(value: Any) -> str | None:
    unit = text(value)
    return None if unit is None else _UNIT.get(unit.lower())


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def fetch_absence_types(company: Company, fields: frozenset[str]) -> Page:
    body = read(company, TYPES_PATH, "time off types", permission=PERM_TIME_OFF)
    try:
        return [
            select_fields(
                {
                    "remote_id": str(kind["id"]),
                    "name": text(kind.get("name")),
                    "unit": _unit(kind.get("units")),
                },
                fields,
            )
            for kind in body["timeOffTypes"]
        ]
    except (KeyError, TypeError, AttributeError):
        raise unexpected_body("time off types") from None


def map_absence(raw: Mapping[str, Any]) -> dict[str, Any]:
    status = text((raw.get("status") or {}).get("status"))
    amount = raw.get("amount") or {}
    return {
        "remote_id": str(raw["id"]),
        "employee_id": str(raw["employeeId"]),
        "type_id": str(raw["type"]["id"]),
        "start_date": date_text(raw.get("start")),
        "end_date": date_text(raw.get("end")),
        "amount": _number(amount.get("amount")),
        "unit": _unit(amount.get("unit")),
        "status": None if status is None else _STATUS.get(status.lower()),
        "employee_note": text((raw.get("notes") or {}).get("employee")),
    }


def fetch_absences(company: Company, fields: frozenset[str]) -> Iterator[Page]:
    window_end = (datetime.now(UTC) + timedelta(days=365 * _WINDOW_YEARS_AHEAD)).date().isoformat()
    body = read(
        company,
        REQUESTS_PATH,
        "time off requests",
        params={"start": _WINDOW_START, "end": window_end},
        permission=PERM_TIME_OFF,
    )
    if not isinstance(body, list):
        raise unexpected_body("time off requests")
    for start in range(0, len(body), _PAGE):
        try:
            yield [select_fields(map_absence(raw), fields) for raw in body[start : start + _PAGE]]
        except (KeyError, TypeError, AttributeError):
            raise unexpected_body("time off requests") from None


def _balances(company: Company, employee_id: str, fields: frozenset[str]) -> Page:
    # Without `end` the calculator answers as of the company's today: the current balance.
    body = read(
        company,
        f"/v1/employees/{employee_id}/time_off/calculator",
        "time off balances",
        permission=PERM_TIME_OFF_BALANCES,
        missing_ok=True,
    )
    if body is None:
        return []
    try:
        records = []
        for entry in body:
            unit = _unit(entry.get("units"))
            type_id = str(entry["timeOffType"])
            records.append(
                select_fields(
                    {
                        "remote_id": f"{employee_id}:{type_id}",
                        "employee_id": employee_id,
                        "type_id": type_id,
                        "balance": _number(entry.get("balance")),
                        "balance_unit": unit,
                        "used": _number(entry.get("usedYearToDate")),
                        "used_unit": unit,
                    },
                    fields,
                )
            )
        return records
    except (KeyError, TypeError, AttributeError):
        raise unexpected_body("time off balances") from None


def fetch_balances(company: Company, fields: frozenset[str], page_size: int) -> Iterator[Page]:
    """Today's balances, one page per page of employees (the calculator is per employee)."""
    for employee_ids in employee_id_pages(company, page_size):
        yield [
            record
            for employee_id in employee_ids
            for record in _balances(company, employee_id, fields)
        ]

"""HiBob's Time off API -> absence types, absences and time-off balances.

Pages followed (apidocs.hibob.com):
- docs/explore-time-off-api: each policy belongs to a policy type (Holiday, Sick, ...); an
  employee has at most one policy per type; the balance is per employee and policy type.
- reference/time-off-policies: policy types need the *Features* permission "Time off >
  Settings > Manage company's time off settings". `GET /timeoff/policy-types` ->
  `{"policyTypes": [name, ...]}`; `GET /timeoff/policy-types/{policyType}` -> `{name, activity,
  bookingWorkDaysOnly, unit}` (`unit`: `days` | `hours`). A policy type is known by its name
  only, so the name is its remote id.
- reference/time-off and reference/get_timeoff-whosout: "See who's out" (People's data > Time
  off) reads requests; `GET /timeoff/whosout?from&to` (dates) lists the requests in that range
  for the people the service user may see, as `{"outs": [...]}`, with `includeHourly`,
  `includePrivate` (private policy types by their real name) and `includePending`. Each
  request: `requestId`, `employeeId`, `policyType`, `policyTypeDisplayName`, `type` (days,
  hours, portionOnRange, hoursOnRange, ...), `startDate`/`startPortion`, `endDate`/
  `endPortion` (`all_day`, `morning`, `afternoon`), `date`/`hoursOnDate` for hourly requests,
  `status` (approved or pending), `durationUnit` (`days` | `hours`), `totalDuration` (calendar
  span, weekends included) and `totalCost` (what the balance is charged).
- reference/get_timeoff-requests-changes and changelog/time-off-changes-endpoint-update:
  `GET /timeoff/requests/changes?since=<ISO 8601 timestamp>&includePending=true` ->
  `{"changes": [...]}`: a snapshot of the request at each change with `changeType`
  (Created, Updated, Canceled, Deleted); `since` may reach back 6 months at most.
- reference/time-off-balance: People's data > Time off > Balance > "See selected people's time
  off and sick leave balances"; `GET /timeoff/employees/{id}/balance?policyType&date` ->
  `{employeeId, policy, totalBalanceAsOfDate, totalTaken, ...}` in the policy type's unit.

Where the docs are silent: whether `policyTypeDisplayName` of a change equals the policy type's
name (taken as the type's id when `policyType` is missing), what an employee without a policy
of a type gets for its balance (a 404 is read as "no such balance"), and any limit on the
whosout range (read a month at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from integrations.tools.base import Page, ToolError, select_fields
from integrations.tools.hibob.client import (
    PER_EMPLOYEE_RETRIES,
    Denied,
    Rejected,
    Unusable,
    get_json,
    values_of,
)

PAGE_SIZE = 200
# A full read of absences: a year back and a year ahead, a month per request.
FULL_READ_REACH = timedelta(days=366)
WINDOW = timedelta(days=31)
# The changes endpoint refuses a `since` more than 6 months back.
CHANGES_REACH = timedelta(days=180)

_UNIT = {"days": "DAYS", "hours": "HOURS"}
_STATUS = {
    "approved": "APPROVED",
    "pending": "REQUESTED",
    "declined": "DECLINED",
    "rejected": "DECLINED",
    "canceled": "CANCELLED",
    "cancelled": "CANCELLED",
}
_CHANGE_STATUS = {"canceled": "CANCELLED", "cancelled": "CANCELLED", "deleted": "DELETED"}
_HOURLY = {"hours"}


def policy_type_names(credentials: Mapping[str, str]) -> list[str]:
    body = get_json(credentials, "/timeoff/policy-types")
    names = body.get("policyTypes") if isinstance(body, dict) else None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise Unusable("unexpected response body")
    return names


def policy_type(credentials: Mapping[str, str], name: str) -> dict[str, Any]:
    body = get_json(credentials, f"/timeoff/policy-types/{quote(name, safe='')}")
    if not isinstance(body, dict):
        raise Unusable("unexpected response body")
    return body


def fetch_absence_types(credentials: Mapping[str, str], fields: frozenset[str]) -> Iterator[Page]:
    page: Page = []
    for name in policy_type_names(credentials):
        details = policy_type(credentials, name)
        page.append(
            select_fields(
                {
                    "remote_id": name,
                    "name": details.get("name") or name,
                    "unit": _UNIT.get(str(details.get("unit")).lower()),
                    # The policy type tells neither; its policies may, but each needs a read.
                    "half_days_supported": None,
                    "exact_times_supported": None,
                    "custom_fields": {
                        key: details[key]
                        for key in ("activity", "bookingWorkDaysOnly")
                        if key in details
                    }
                    or None,
                },
                fields,
            )
        )
        if len(page) == PAGE_SIZE:
            yield page
            page = []
    if page:
        yield page


def fetch_absences(
    credentials: Mapping[str, str],
    fields: frozenset[str],
    *,
    since: datetime | None,
    today: date,
) -> Iterator[Page]:
    if since is not None and since >= datetime.now(since.tzinfo) - CHANGES_REACH:
        yield from _changed_absences(credentials, fields, since)
        return
    start = today - FULL_READ_REACH
    end = today + FULL_READ_REACH
    first = True
    while start <= end:
        window_end = min(start + WINDOW - timedelta(days=1), end)
        body = get_json(
            credentials,
            "/timeoff/whosout",
            {
                "from": start.isoformat(),
                "to": window_end.isoformat(),
                "includeHourly": "true",
                "includePrivate": "true",
                "includePending": "true",
            },
        )
        page = [
            select_fields(map_request(out, change_type=None), fields)
            for out in values_of(body, "outs")
            # A request overlapping several windows is reported by the first one it is in.
            if first or (_first_day(out) or "") >= start.isoformat()
        ]
        if page:
            yield page
        first = False
        start = window_end + timedelta(days=1)


def _changed_absences(
    credentials: Mapping[str, str], fields: frozenset[str], since: datetime
) -> Iterator[Page]:
    body = get_json(
        credentials,
        "/timeoff/requests/changes",
        {"since": since.isoformat(), "includePending": "true"},
    )
    # Snapshots in the order the changes happened: the last one of a request is its state.
    latest: dict[str, dict[str, Any]] = {}
    for change in values_of(body, "changes"):
        record = map_request(change, change_type=change.get("changeType"))
        latest.pop(record["remote_id"], None)
        latest[record["remote_id"]] = select_fields(record, fields)
    records = list(latest.values())
    for start in range(0, len(records), PAGE_SIZE):
        yield records[start : start + PAGE_SIZE]


def _first_day(request: Mapping[str, Any]) -> str | None:
    value = request.get("startDate") or request.get("date")
    return str(value) if value else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def map_request(request: Mapping[str, Any], *, change_type: Any) -> dict[str, Any]:
    request_id = _text(request.get("requestId"))
    employee_id = _text(request.get("employeeId"))
    if request_id is None or employee_id is None:
        raise Unusable("a time off request without an ID or employee")
    kind = str(request.get("type") or request.get("requestRangeType") or "")
    if kind in _HOURLY:
        start_date = end_date = _text(request.get("date"))
    else:
        start_date, end_date = _text(request.get("startDate")), _text(request.get("endDate"))
    if kind == "portionOnRange":
        start_portion = end_portion = request.get("dayPortion")
    else:
        start_portion = request.get("startPortion") or request.get("startDatePortion")
        end_portion = request.get("endPortion") or request.get("endDatePortion")
    unit = _UNIT.get(str(request.get("durationUnit")).lower())
    amount = _number(request.get("totalCost"))
    if amount is None:
        amount = _number(request.get("totalDuration"))
    if amount is None and kind in _HOURLY:
        hours, minutes = _number(request.get("hoursOnDate")), _number(request.get("minutes"))
        if hours is not None:
            amount, unit = hours + (minutes or 0) / 60, "HOURS"
    status = _CHANGE_STATUS.get(str(change_type).lower()) or _STATUS.get(
        str(request.get("status")).lower()
    )
    return {
        "remote_id": request_id,
        "employee_id": employee_id,
        "type_id": _text(request.get("policyType")) or _text(request.get("policyTypeDisplayName")),
        "start_date": start_date,
        "end_date": end_date,
        # A day taken from the afternoon on starts at midday; one taken in the morning only
        # ends at midday.
        "start_half_day": _half_day(start_portion, "afternoon"),
        "end_half_day": _half_day(end_portion, "morning"),
        # Requests for specific hours carry them per day only (daily durations), not read.
        "start_time": None,
        "end_time": None,
        "amount": amount,
        "unit": unit,
        "status": status,
        "employee_note": None,
        "remote_created_at": None,
        "remote_updated_at": None,
    }


def _half_day(portion: Any, half: str) -> bool | None:
    if portion in (None, ""):
        return None
    return str(portion).lower() == half


def fetch_balances(
    credentials: Mapping[str, str],
    fields: frozenset[str],
    *,
    employee_batches: Iterable[list[str]],
    today: date,
) -> Iterator[Page]:
    units = {
        name: _UNIT.get(str(policy_type(credentials, name).get("unit")).lower())
        for name in policy_type_names(credentials)
    }
    for batch in employee_batches:
        page: Page = []
        for employee_id in batch:
            for name, unit in units.items():
                balance = _balance(credentials, employee_id, name, today)
                if balance is None:
                    continue
                page.append(
                    select_fields(
                        {
                            "remote_id": f"{employee_id}:{name}",
                            "employee_id": employee_id,
                            "type_id": name,
                            "balance": _number(balance.get("totalBalanceAsOfDate")),
                            "balance_unit": unit,
                            "used": _number(balance.get("totalTaken")),
                            "used_unit": unit,
                        },
                        fields,
                    )
                )
        yield page


def _balance(
    credentials: Mapping[str, str], employee_id: str, policy: str, today: date
) -> dict[str, Any] | None:
    try:
        body = get_json(
            credentials,
            f"/timeoff/employees/{quote(employee_id, safe='')}/balance",
            {"policyType": policy, "date": today.isoformat()},
            retry_network_errors=PER_EMPLOYEE_RETRIES,
        )
    except Denied as refused:
        if refused.status_code == 404:
            return None
        raise
    if not isinstance(body, dict):
        raise Unusable("unexpected response body")
    return body


def as_tool_error(failure: Rejected | Denied | Unusable, what: str, needs: str) -> ToolError:
    """A refused read names the permission it needs; the others say what went wrong."""
    if isinstance(failure, Denied) and failure.status_code == 403:
        return ToolError(
            f"HiBob {what}: HTTP 403 (the service user's permission group needs {needs})",
            transient=False,
        )
    return failure.tool_error(what)

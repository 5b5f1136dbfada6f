"""Personio time-off types, time-offs and absence balances -> unified absence records.

Shapes from the API reference (`/reference/get_company-time-off-types`,
`/reference/get_company-time-offs`, `/reference/get_company-employees-employee-id-absences-balance`)
and the OpenAPI file `personio-personnel-data-api-oa3.yaml` (`TimeOffTypeResource`, `Absence`,
`EmployeeAbsenceBalance`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from integrations.tools.personio.mapping import iso_datetime, plain_date

# `TimeOffTypeResource.unit` is `day` or `hour`.
_UNIT = {"day": "DAYS", "hour": "HOURS"}
# The reference shows `approved`; a request awaiting approval is `pending` (the create endpoint's
# `skip_approval=false`), and a rejected one is `rejected`. Personio deletes cancelled requests
# (developer.personio.de/discuss "Exposing rejected time-offs"), so no status says so.
_STATUS = {"approved": "APPROVED", "pending": "REQUESTED", "rejected": "DECLINED"}
# The type attributes with a unified field of their own; the rest are kept as custom fields.
_MAPPED_TYPE_ATTRIBUTES = frozenset({"id", "name", "unit", "half_day_requests_enabled"})


def _flag(value: Any) -> bool | None:
    # A forum answer notes `half_day_start` / `half_day_end` come back as 0 and 1.
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    return None


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def type_attributes(item: Any) -> dict[str, Any]:
    """A `TimeOffType` resource's attributes; raises on a malformed one."""
    attributes = item["attributes"]
    if not isinstance(attributes, dict) or attributes.get("id") is None:
        raise ValueError("a time-off type without an id")
    return attributes


def type_unit(attributes: Mapping[str, Any]) -> str | None:
    return _UNIT.get(str(attributes.get("unit")))


def map_absence_type(attributes: Mapping[str, Any]) -> dict[str, Any]:
    custom = {k: v for k, v in attributes.items() if k not in _MAPPED_TYPE_ATTRIBUTES}
    return {
        "remote_id": str(attributes["id"]),
        "name": attributes.get("name") or None,
        "unit": type_unit(attributes),
        "half_days_supported": _flag(attributes.get("half_day_requests_enabled")),
        "custom_fields": custom or None,
    }


def _nested_id(value: Any) -> str | None:
    """`{"attributes": {"id": 7}}` or, for an employee, `{"attributes": {"id": {"value": 7}}}`."""
    ref = value.get("attributes", {}).get("id") if isinstance(value, dict) else None
    if isinstance(ref, dict):
        ref = ref.get("value")
    return None if ref is None else str(ref)


def map_absence(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """A `TimeOffPeriod`. The time-offs endpoint serves absences counted in days only."""
    employee_id = _nested_id(attributes.get("employee"))
    if attributes.get("id") is None or employee_id is None:
        raise ValueError("a time-off without an id or an employee")
    status = attributes.get("status")
    return {
        "remote_id": str(attributes["id"]),
        "employee_id": employee_id,
        "type_id": _nested_id(attributes.get("time_off_type")),
        "start_date": plain_date(attributes.get("start_date")),
        "end_date": plain_date(attributes.get("end_date")),
        "start_half_day": _flag(attributes.get("half_day_start")),
        "end_half_day": _flag(attributes.get("half_day_end")),
        "amount": _number(attributes.get("days_count")),
        "unit": "DAYS",
        "status": _STATUS.get(str(status)) if status is not None else None,
        "employee_note": attributes.get("comment") or None,
        "remote_created_at": iso_datetime(attributes.get("created_at")),
        "remote_updated_at": iso_datetime(attributes.get("updated_at")),
    }


def map_balance(
    employee_id: str, item: Mapping[str, Any], units: Mapping[str, str | None]
) -> dict[str, Any]:
    """One absence type's balance of one employee; Personio gives it no id of its own."""
    type_id = str(item["id"])
    return {
        "remote_id": f"{employee_id}:{type_id}",
        "employee_id": employee_id,
        "type_id": type_id,
        "balance": _number(item.get("balance")),
        "balance_unit": units.get(type_id),
    }

"""Personio employee attribute maps -> unified employee records and the groups, work locations,
legal entities and employments they name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

# Personio has no full/part-time flag; Kombo infers it from the working hours. Our cut-off.
FULL_TIME_WEEKLY_HOURS = 35.0
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
# The `employment_type` attribute: the API reference shows `internal` and `external`. Personio
# calls freelancers and contractors "external"; an internal employee is full- or part-time by
# the working hours.
_EXTERNAL_EMPLOYMENT = "CONTRACT"
# `fix_salary_interval`: the reference shows `monthly`; `yearly` is the attribute's other choice.
_PAY_PERIOD = {"monthly": "MONTH", "yearly": "YEAR"}

# The API reference shows `active` and `onboarding`; `leave` and `inactive` are the Status
# attribute's other values. Anything else is passed through, as Kombo does.
_EMPLOYMENT_STATUS = {
    "active": "ACTIVE",
    "onboarding": "PENDING",
    "leave": "LEAVE",
    "inactive": "INACTIVE",
}
_GENDER = {"male": "MALE", "female": "FEMALE", "diverse": "NON_BINARY"}
# (attribute key, group id prefix, unified group type)
_GROUP_ATTRIBUTES = (
    ("department", "department", "DEPARTMENT"),
    ("team", "team", "TEAM"),
    ("cost_centers", "cost_center", "COST_CENTER"),
)


def _values(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Attribute values by key and, for custom attributes, by universal id."""
    values: dict[str, Any] = {}
    for key, attr in attributes.items():
        values[key] = attr.get("value")
        if key.startswith("dynamic_") and attr.get("universal_id"):
            values[attr["universal_id"]] = attr.get("value")
    return values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _reference_id(value: Any) -> str | None:
    """The id of a referenced object: `{"type", "attributes": {"id": 7 | {"value": 7}}}`."""
    if not isinstance(value, dict):
        return None
    ref = value.get("attributes", {}).get("id")
    if isinstance(ref, dict):
        ref = ref.get("value")
    return None if ref is None else str(ref)


def _hours(value: Any) -> float | None:
    try:
        hours = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return hours if hours > 0 else None


def _employment_type(kind: str | None, weekly_hours: float | None) -> str | None:
    if kind == "external":
        return _EXTERNAL_EMPLOYMENT
    if kind not in ("internal", None) or weekly_hours is None:
        return None
    return "FULL_TIME" if weekly_hours >= FULL_TIME_WEEKLY_HOURS else "PART_TIME"


def plain_date(value: Any) -> str | None:
    """`YYYY-MM-DD` as Personio wrote it: its dates are midnight in the company's zone
    (`2014-11-09T00:00:00+01:00`), so converting to UTC first would move them a day back."""
    if not isinstance(value, str) or not _DATE_PREFIX.match(value):
        return None
    return value[:10]


def iso_datetime(value: Any) -> str | None:
    """ISO 8601 with a `+HH:MM` offset; Personio writes some as `+0100`."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None


def map_employee(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    values = _values(attributes)
    first, last = _text(values.get("first_name")), _text(values.get("last_name"))
    hours = _hours(values.get("weekly_working_hours"))
    kind = _text(values.get("employment_type"))
    status = _text(values.get("status"))
    gender = _text(values.get("gender"))
    iban = _text(values.get("iban"))
    custom = {
        key: attr.get("value")
        for key, attr in attributes.items()
        if key.startswith("dynamic_") and not attr.get("universal_id")
    }
    group_ids = [group["remote_id"] for group in groups_of(attributes)]
    readable_group_attributes = any(key in attributes for key, _, _ in _GROUP_ATTRIBUTES)
    return {
        "remote_id": str(values["id"]),
        "first_name": first,
        "last_name": last,
        "display_full_name": " ".join(part for part in (first, last) if part) or None,
        "job_title": _text(values.get("position")),
        "work_email": _text(values.get("email")),
        "gender": _GENDER.get(gender, gender) if gender else None,
        "employment_status": _EMPLOYMENT_STATUS.get(status, status) if status else None,
        "employment_type": _employment_type(kind, hours),
        "weekly_hours": hours,
        "work_location_id": _reference_id(values.get("office")),
        "legal_entity_id": _reference_id(values.get("subcompany")),
        "manager_id": _reference_id(values.get("supervisor")),
        "start_date": plain_date(values.get("hire_date")),
        "termination_date": plain_date(values.get("termination_date")),
        "remote_created_at": iso_datetime(values.get("created_at")),
        "bank_accounts": [{"iban": iban}] if iban else None,
        "groups": group_ids if readable_group_attributes else None,
        "custom_fields": custom or None,
    }


def groups_of(attributes: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    groups = []
    for key, prefix, group_type in _GROUP_ATTRIBUTES:
        value = attributes.get(key, {}).get("value")
        for ref in value if isinstance(value, list) else [value]:
            ref_id = _reference_id(ref)
            if ref_id is not None and isinstance(ref, dict):
                groups.append(
                    {
                        "remote_id": f"{prefix}:{ref_id}",
                        "name": _text(ref.get("attributes", {}).get("name")),
                        "type": group_type,
                    }
                )
    return groups


def _named_reference(value: Any) -> tuple[str, str | None] | None:
    ref_id = _reference_id(value)
    if ref_id is None:
        return None
    return ref_id, _text(value.get("attributes", {}).get("name"))


def location_of(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The employee's office: v1 gives its id and name only, no address."""
    ref = _named_reference(attributes.get("office", {}).get("value"))
    if ref is None:
        return None
    return {"remote_id": ref[0], "name": ref[1], "type": None, "address": None}


def legal_entity_of(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The employee's subcompany: v1 gives its id and name only, no address."""
    ref = _named_reference(attributes.get("subcompany", {}).get("value"))
    if ref is None:
        return None
    return {"remote_id": ref[0], "name": ref[1], "address": None}


def _amount(value: Any) -> float | None:
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return None
    return amount if amount > 0 else None


def map_employment(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The employee's current contract. v1 keeps one salary per employee, no history: the
    employment's id is the employee's. A fixed salary wins over an hourly one."""
    values = _values(attributes)
    fixed, hourly = _amount(values.get("fix_salary")), _amount(values.get("hourly_salary"))
    if fixed is not None:
        interval = _text(values.get("fix_salary_interval"))
        pay_rate, pay_period = fixed, _PAY_PERIOD.get(interval or "")
    elif hourly is not None:
        pay_rate, pay_period = hourly, "HOUR"
    else:
        pay_rate, pay_period = None, None
    kind = _text(values.get("employment_type"))
    return {
        "remote_id": str(values["id"]),
        "employee_id": str(values["id"]),
        "job_title": _text(values.get("position")),
        "pay_rate": pay_rate,
        "pay_period": pay_period,
        "employment_type": _employment_type(kind, _hours(values.get("weekly_working_hours"))),
    }

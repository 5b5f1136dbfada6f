"""Deel people records -> unified employee records; departments -> unified groups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# `hiring_status` (the `hiring_statuses` filter of GET /people lists active, inactive,
# onboarding, offboarding) -> Kombo's employment status. Someone being offboarded is still
# employed until the offboarding completes.
_EMPLOYMENT_STATUS = {
    "active": "ACTIVE",
    "onboarding": "PENDING",
    "offboarding": "ACTIVE",
    "inactive": "INACTIVE",
}
# `hiring_type` says who employs the person (Deel as employer of record, the customer's own
# entity, a contractor agreement), not their hours: only contractors map to a Kombo type; the
# others pass through as Kombo does with values it cannot map.
_EMPLOYMENT_TYPE = {"contractor": "CONTRACT"}


class UnexpectedRecordError(Exception):
    """A people record or department without `id`: not an answer Deel's lists give."""


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: Any) -> str | None:
    # Dates come as `YYYY-MM-DD`; the termination day as a full ISO date-time.
    text = _text(value)
    return text[:10] if text else None


def _email(person: Mapping[str, Any], kind: str) -> str | None:
    emails = person.get("emails") or []
    return next(
        (
            _text(email.get("value"))
            for email in emails
            if isinstance(email, dict) and email.get("type") == kind
        ),
        None,
    )


def _mapped(value: Any, table: Mapping[str, str]) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return table.get(text.lower(), text)


def _reference(value: Any) -> str | None:
    return _text(value.get("id")) if isinstance(value, dict) else None


def _first(values: Any) -> str | None:
    return _text(values[0]) if isinstance(values, list) and values else None


def _address(person: Mapping[str, Any]) -> dict[str, Any] | None:
    addresses = person.get("addresses") or []
    if not isinstance(addresses, list) or not addresses or not isinstance(addresses[0], dict):
        return None
    address = addresses[0]
    unified = {
        "street_1": _text(address.get("streetAddress")),
        "street_2": None,
        "city": _text(address.get("locality")),
        "state": _text(address.get("region")),
        "zip_code": _text(address.get("postalCode")),
        "country": _text(address.get("country")),
    }
    return unified if any(unified.values()) else None


def _termination_date(person: Mapping[str, Any]) -> str | None:
    # An employee's last day comes from the termination of their primary contract; a
    # contractor's engagement ends on its completion date.
    return _date(person.get("direct_employee_termination_last_day")) or _date(
        person.get("completion_date")
    )


def _groups(person: Mapping[str, Any]) -> list[str]:
    department = _reference(person.get("department"))
    return [department] if department else []


_MAPPERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "employee_number": lambda p: _text(p.get("worker_id")),
    "first_name": lambda p: _text(p.get("first_name")),
    "last_name": lambda p: _text(p.get("last_name")),
    "display_full_name": lambda p: _text(p.get("full_name")),
    "nationality": lambda p: _first(p.get("nationalities")),
    "job_title": lambda p: _text(p.get("job_title")),
    "work_email": lambda p: _email(p, "work"),
    "personal_email": lambda p: _email(p, "personal"),
    "employment_status": lambda p: _mapped(p.get("hiring_status"), _EMPLOYMENT_STATUS),
    "employment_type": lambda p: _mapped(p.get("hiring_type"), _EMPLOYMENT_TYPE),
    "legal_entity_id": lambda p: _reference(p.get("client_legal_entity")),
    "manager_id": lambda p: _reference(p.get("direct_manager")),
    "date_of_birth": lambda p: _date(p.get("birth_date")),
    "start_date": lambda p: _date(p.get("start_date")),
    "termination_date": _termination_date,
    "remote_created_at": lambda p: _text(p.get("created_at")),
    "home_address": _address,
    "groups": _groups,
}
MAPPED_FIELDS = frozenset(_MAPPERS)


def map_person(person: Any, fields: frozenset[str]) -> dict[str, Any]:
    """The unified employee of one people record, with the wanted fields Deel provides."""
    if not isinstance(person, dict):
        raise UnexpectedRecordError("a people record that is not an object")
    remote_id = _text(person.get("id"))
    if remote_id is None:
        raise UnexpectedRecordError("a people record without an id")
    record: dict[str, Any] = {"remote_id": remote_id}
    for field_id, mapper in _MAPPERS.items():
        if field_id in fields:
            record[field_id] = mapper(person)
    return record


def map_department(department: Any, fields: frozenset[str]) -> dict[str, Any]:
    if not isinstance(department, dict) or _text(department.get("id")) is None:
        raise UnexpectedRecordError("a department without an id")
    group = {
        "remote_id": _text(department["id"]),
        "name": _text(department.get("name")),
        "type": "DEPARTMENT",
        "parent_id": _text(department.get("parent")),
    }
    return {key: value for key, value in group.items() if key == "remote_id" or key in fields}

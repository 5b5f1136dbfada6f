"""HiBob people-search records -> unified employee records; the department list -> groups."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from integrations.tools.hibob.fields import ROOT_ID, VENDOR_FIELDS, VendorField


class EmployeeWithoutIdError(Exception):
    """A record without `root.id`: not an answer HiBob's people search gives."""


# Human-readable labels (lower-cased, "-"/"_" as spaces) -> Kombo's values. Lists are
# company-editable, so an unknown label is passed through as Kombo does.
_EMPLOYMENT_STATUS = {
    "employed": "ACTIVE",
    "hired": "PENDING",
    "terminated": "INACTIVE",
    # Still employed until the termination date, but no longer working.
    "garden leave": "LEAVE",
    "leave": "LEAVE",
    "parental leave": "LEAVE",
}
_EMPLOYMENT_TYPE = {
    "full time": "FULL_TIME",
    "part time": "PART_TIME",
    "contract": "CONTRACT",
    "contractor": "CONTRACT",
    "fixed term": "CONTRACT",
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
_GENDER = {
    "male": "MALE",
    "female": "FEMALE",
    "non binary": "NON_BINARY",
    "nonbinary": "NON_BINARY",
    "diverse": "NON_BINARY",
    "not specified": "NOT_SPECIFIED",
    "prefer not to say": "NOT_SPECIFIED",
}
_MARITAL_STATUS = {
    "single": "SINGLE",
    "married": "MARRIED",
    "domestic partnership": "DOMESTIC_PARTNERSHIP",
    "civil partnership": "DOMESTIC_PARTNERSHIP",
    "widowed": "WIDOWED",
    "divorced": "DIVORCED",
    "separated": "SEPARATED",
    "not married": "NOT_MARRIED",
}
_ETHNICITY = {
    "white": "WHITE",
    "asian": "ASIAN",
    "hispanic or latino": "HISPANIC_LATINO",
    "native hawaiian or other pacific islander": "HAWAIIAN",
    "american indian or alaska native": "NATIVE_AMERICAN",
    "black or african american": "BLACK_AFRICAN_AMERICAN",
    "two or more races": "MULTIPLE_ETHNICITIES",
    "decline to self identify": "DECLINE_TO_SPECIFY",
    "decline to specify": "DECLINE_TO_SPECIFY",
}


def _walk(node: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def is_present(record: dict[str, Any], field: VendorField) -> bool:
    return field.slash_key in record or _walk(record, field.json_path)[0]


def field_value(record: dict[str, Any], field: VendorField) -> Any:
    slashed = record.get(field.slash_key)
    if isinstance(slashed, dict) and "value" in slashed:
        return slashed["value"]
    return _walk(record, field.json_path)[1]


def _human(record: dict[str, Any], field: VendorField) -> Any:
    """The human-readable value (list labels), or the machine value for plain fields."""
    found, value = _walk(record.get("humanReadable"), field.json_path)
    return value if found and value is not None else field_value(record, field)


def as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _label(value: Any) -> str | None:
    # Multi-list fields: the docs do not show their human-readable shape; take the first label.
    if isinstance(value, list):
        value = value[0] if value else None
    return as_text(value)


def _enum(value: Any, table: Mapping[str, str]) -> str | None:
    label = _label(value)
    if label is None:
        return None
    key = " ".join(label.lower().replace("-", " ").replace("_", " ").split())
    return table.get(key, label)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _timestamp(value: Any) -> str | None:
    text = as_text(value)
    # `time` fields are ISO 8601 without an offset; the docs do not name the zone: UTC assumed.
    if text and "+" not in text and not text.endswith("Z"):
        return f"{text}+00:00"
    return text


def _employee_id(value: Any) -> str | None:
    # `work.reportsTo` (type "employee") is the manager object; a bare ID is taken as is.
    if isinstance(value, dict):
        return as_text(value.get("id"))
    return as_text(value)


def map_employee(record: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    remote_id = as_text(field_value(record, ROOT_ID))
    if remote_id is None:
        raise EmployeeWithoutIdError("an employee without an ID")
    mapped: dict[str, Any] = {"remote_id": remote_id}
    for field_id in wanted:
        mapped[field_id] = _MAPPERS[field_id](record, VENDOR_FIELDS[field_id])
    return mapped


def _address(record: dict[str, Any], fields: tuple[VendorField, ...]) -> dict[str, Any] | None:
    line1, line2, city, state, zip_code, country = (
        as_text(_human(record, field)) for field in fields
    )
    address = {
        "street_1": line1,
        "street_2": line2,
        "city": city,
        "state": state,
        "zip_code": zip_code,
        # A country name, not ISO2: Kombo passes the original value through when it can't map.
        "country": country,
    }
    return address if any(address.values()) else None


def _department_ids(record: dict[str, Any], fields: tuple[VendorField, ...]) -> list[str]:
    department = as_text(field_value(record, fields[0]))
    return [department] if department else []


_Mapper = Callable[[dict[str, Any], tuple[VendorField, ...]], Any]
_MAPPERS: dict[str, _Mapper] = {
    "employee_number": lambda r, f: as_text(field_value(r, f[0])),
    "first_name": lambda r, f: as_text(field_value(r, f[0])),
    "last_name": lambda r, f: as_text(field_value(r, f[0])),
    "display_full_name": lambda r, f: as_text(field_value(r, f[0])),
    "nationality": lambda r, f: _label(_human(r, f[0])),
    "job_title": lambda r, f: _label(_human(r, f[0])),
    "work_email": lambda r, f: as_text(field_value(r, f[0])),
    "personal_email": lambda r, f: as_text(field_value(r, f[0])),
    "mobile_phone_number": lambda r, f: as_text(field_value(r, f[0])),
    "ssn": lambda r, f: as_text(field_value(r, f[0])),
    "gender": lambda r, f: _enum(_human(r, f[0]), _GENDER),
    "ethnicity": lambda r, f: _enum(_human(r, f[0]), _ETHNICITY),
    "marital_status": lambda r, f: _enum(_human(r, f[0]), _MARITAL_STATUS),
    "employment_status": lambda r, f: _enum(_human(r, f[0]), _EMPLOYMENT_STATUS),
    "employment_type": lambda r, f: _enum(_human(r, f[0]), _EMPLOYMENT_TYPE),
    "weekly_hours": lambda r, f: _number(field_value(r, f[0])),
    "avatar": lambda r, f: as_text(field_value(r, f[0])),
    "manager_id": lambda r, f: _employee_id(field_value(r, f[0])),
    "work_location_id": lambda r, f: as_text(field_value(r, f[0])),
    # Dates: machine values (ISO); human-readable ones follow the calling user's locale.
    "date_of_birth": lambda r, f: as_text(field_value(r, f[0])),
    "start_date": lambda r, f: as_text(field_value(r, f[0])),
    "termination_date": lambda r, f: as_text(field_value(r, f[0])),
    "remote_created_at": lambda r, f: _timestamp(field_value(r, f[0])),
    "home_address": _address,
    "groups": _department_ids,
}


def flatten_departments(items: Any, *, parent_id: str | None) -> Iterator[dict[str, Any]]:
    # Archived departments stay groups: people whose department was archived still name it.
    for item in items:
        remote_id = str(item["id"])
        yield {
            "remote_id": remote_id,
            "name": item.get("name") or item.get("value"),
            "type": "DEPARTMENT",
            "parent_id": parent_id,
        }
        yield from flatten_departments(item.get("children") or [], parent_id=remote_id)


def flatten_sites(items: Any) -> Iterator[dict[str, Any]]:
    """The `site` company list -> work locations. Items carry a name only (no address, no
    kind); archived sites stay, as people may still be at one."""
    for item in items:
        yield {
            "remote_id": str(item["id"]),
            "name": item.get("name") or item.get("value"),
            "type": None,
            "address": None,
        }
        yield from flatten_sites(item.get("children") or [])

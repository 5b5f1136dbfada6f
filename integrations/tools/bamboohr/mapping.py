"""BambooHR employee dataset rows -> unified employee records, and the groups' ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from integrations.tools.bamboohr.fields import ID_FIELD

_EMPLOYMENT_TYPE = {
    "full-time": "FULL_TIME",
    "full time": "FULL_TIME",
    "part-time": "PART_TIME",
    "part time": "PART_TIME",
    "contractor": "CONTRACT",
    "contract": "CONTRACT",
    "intern": "INTERNSHIP",
    "internship": "INTERNSHIP",
    "freelance": "FREELANCE",
    "freelancer": "FREELANCE",
    "working student": "WORKING_STUDENT",
    "apprentice": "APPRENTICESHIP",
    "apprenticeship": "APPRENTICESHIP",
    "trainee": "TRAINING",
}
# An employment status that says the person left, not how they are employed.
_NOT_AN_EMPLOYMENT_TYPE = {"terminated"}
_GENDER = {
    "male": "MALE",
    "female": "FEMALE",
    "non-binary": "NON_BINARY",
    "nonbinary": "NON_BINARY",
    "prefer not to say": "NOT_SPECIFIED",
    "not specified": "NOT_SPECIFIED",
}
_MARITAL_STATUS = {
    "single": "SINGLE",
    "married": "MARRIED",
    "domestic partnership": "DOMESTIC_PARTNERSHIP",
    "common law": "DOMESTIC_PARTNERSHIP",
    "civil partnership": "DOMESTIC_PARTNERSHIP",
    "divorced": "DIVORCED",
    "separated": "SEPARATED",
    "widowed": "WIDOWED",
}


def group_id(alias: str, option_id: str) -> str:
    return f"{alias}:{option_id}"


def text(value: Any) -> str | None:
    """A vendor value as trimmed text; None for nothing or blanks."""
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def date_text(value: Any) -> str | None:
    # BambooHR writes an unset date as 0000-00-00.
    value_text = text(value)
    return None if value_text is None or value_text.startswith("0000-00-00") else value_text


def _mapped(table: Mapping[str, str], value: Any) -> str | None:
    """The unified value for a vendor value; an unknown one passes through as it is."""
    value_text = text(value)
    return None if value_text is None else table.get(value_text.lower(), value_text)


def _employment_status(raw: Mapping[str, Any]) -> str | None:
    status = text(raw.get("status"))
    if status is None:
        return None
    if status.lower() == "active":
        return "ACTIVE"
    if status.lower() == "inactive":
        hire_date = date_text(raw.get("hireDate"))
        today = datetime.now(UTC).date().isoformat()
        return "PENDING" if hire_date is not None and hire_date > today else "INACTIVE"
    return status


def _employment_type(raw: Mapping[str, Any]) -> str | None:
    kind = text(raw.get("employmentStatus"))
    if kind is None or kind.lower() in _NOT_AN_EMPLOYMENT_TYPE:
        return None
    return _EMPLOYMENT_TYPE.get(kind.lower(), kind)


def _home_address(raw: Mapping[str, Any]) -> dict[str, str | None] | None:
    address = {
        "street_1": text(raw.get("addressLineOne")),
        "city": text(raw.get("city")),
        "state": text(raw.get("state")),
        "zip_code": text(raw.get("zipcode")),
        "country": text(raw.get("country")),
    }
    return address if any(address.values()) else None


def map_employee(
    raw: Mapping[str, Any], wanted: Sequence[str], list_ids: Mapping[tuple[str, str], str]
) -> dict[str, Any]:
    """One dataset row as a unified employee; `list_ids` maps (list alias, option name) to the
    option's id, as rows name list values (department, division, location) by name."""
    employee_id = text(raw[ID_FIELD])
    if employee_id is None:
        raise ValueError("an employee row without an id")
    first_name = text(raw.get("firstName"))
    last_name = text(raw.get("lastName"))
    shown_first = text(raw.get("preferredName")) or first_name
    values: dict[str, Any] = {
        "employee_number": text(raw.get("employeeNumber")),
        "first_name": first_name,
        "last_name": last_name,
        "display_full_name": " ".join(part for part in (shown_first, last_name) if part) or None,
        "job_title": text(raw.get("jobInformationJobTitle")),
        "work_email": text(raw.get("email")),
        "personal_email": text(raw.get("homeEmail")),
        "mobile_phone_number": text(raw.get("mobilePhone")),
        "gender": _mapped(_GENDER, raw.get("gender")),
        "marital_status": _mapped(_MARITAL_STATUS, raw.get("maritalStatus")),
        "employment_status": _employment_status(raw),
        "employment_type": _employment_type(raw),
        "manager_id": text(raw.get("supervisorEid")),
        "date_of_birth": date_text(raw.get("dateOfBirth")),
        "start_date": date_text(raw.get("hireDate")),
        "termination_date": date_text(raw.get("terminationDate")),
        "home_address": _home_address(raw),
        "work_location_id": list_ids.get(
            ("location", text(raw.get("jobInformationLocation")) or "")
        ),
        "groups": [
            list_ids[(alias, name)]
            for alias, source in (
                ("department", "jobInformationDepartment"),
                ("division", "jobInformationDivision"),
            )
            if (name := text(raw.get(source))) is not None and (alias, name) in list_ids
        ],
    }
    return {"remote_id": employee_id, **{name: values[name] for name in wanted}}

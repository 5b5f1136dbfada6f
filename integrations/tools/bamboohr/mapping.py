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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any) -> str | None:
    # BambooHR writes an unset date as 0000-00-00.
    text = _text(value)
    return None if text is None or text.startswith("0000-00-00") else text


def _mapped(table: Mapping[str, str], value: Any) -> str | None:
    """The unified value for a vendor value; an unknown one passes through as it is."""
    text = _text(value)
    return None if text is None else table.get(text.lower(), text)


def _employment_status(raw: Mapping[str, Any]) -> str | None:
    status = _text(raw.get("status"))
    if status is None:
        return None
    if status.lower() == "active":
        return "ACTIVE"
    if status.lower() == "inactive":
        hire_date = _date(raw.get("hireDate"))
        today = datetime.now(UTC).date().isoformat()
        return "PENDING" if hire_date is not None and hire_date > today else "INACTIVE"
    return status


def _employment_type(raw: Mapping[str, Any]) -> str | None:
    kind = _text(raw.get("employmentStatus"))
    if kind is None or kind.lower() in _NOT_AN_EMPLOYMENT_TYPE:
        return None
    return _EMPLOYMENT_TYPE.get(kind.lower(), kind)


def _home_address(raw: Mapping[str, Any]) -> dict[str, str | None] | None:
    address = {
        "street_1": _text(raw.get("addressLineOne")),
        "city": _text(raw.get("city")),
        "state": _text(raw.get("state")),
        "zip_code": _text(raw.get("zipcode")),
        "country": _text(raw.get("country")),
    }
    return address if any(address.values()) else None


def map_employee(
    raw: Mapping[str, Any], wanted: Sequence[str], group_ids: Mapping[tuple[str, str], str]
) -> dict[str, Any]:
    employee_id = _text(raw[ID_FIELD])
    if employee_id is None:
        raise ValueError("an employee row without an id")
    first_name = _text(raw.get("firstName"))
    last_name = _text(raw.get("lastName"))
    shown_first = _text(raw.get("preferredName")) or first_name
    values: dict[str, Any] = {
        "employee_number": _text(raw.get("employeeNumber")),
        "first_name": first_name,
        "last_name": last_name,
        "display_full_name": " ".join(part for part in (shown_first, last_name) if part) or None,
        "job_title": _text(raw.get("jobInformationJobTitle")),
        "work_email": _text(raw.get("email")),
        "personal_email": _text(raw.get("homeEmail")),
        "mobile_phone_number": _text(raw.get("mobilePhone")),
        "gender": _mapped(_GENDER, raw.get("gender")),
        "marital_status": _mapped(_MARITAL_STATUS, raw.get("maritalStatus")),
        "employment_status": _employment_status(raw),
        "employment_type": _employment_type(raw),
        "manager_id": _text(raw.get("supervisorEid")),
        "date_of_birth": _date(raw.get("dateOfBirth")),
        "start_date": _date(raw.get("hireDate")),
        "termination_date": _date(raw.get("terminationDate")),
        "home_address": _home_address(raw),
        "groups": [
            group_ids[(alias, name)]
            for alias, source in (
                ("department", "jobInformationDepartment"),
                ("division", "jobInformationDivision"),
            )
            if (name := _text(raw.get(source))) is not None and (alias, name) in group_ids
        ],
    }
    return {"remote_id": employee_id, **{name: values[name] for name in wanted}}

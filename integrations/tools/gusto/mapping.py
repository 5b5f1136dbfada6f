"""Gusto employee and department objects -> unified employee and group records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

# `current_employment_status` (the Employee schema's enum) -> Kombo's employment type. Variable
# and seasonal hours have no Kombo value; like Kombo, the original value is passed on.
_EMPLOYMENT_TYPE = {
    "full_time": "FULL_TIME",
    "part_time_under_twenty_hours": "PART_TIME",
    "part_time_twenty_plus_hours": "PART_TIME",
}


class UnexpectedRecordError(Exception):
    """A record without the fields Gusto's schema marks as required."""


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _date(value: Any) -> date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _primary_job(employee: Mapping[str, Any]) -> Mapping[str, Any] | None:
    jobs = [job for job in employee.get("jobs") or [] if isinstance(job, Mapping)]
    return next((job for job in jobs if job.get("primary")), jobs[0] if jobs else None)


def _start_date(employee: Mapping[str, Any]) -> date | None:
    """`hired_at` (the date hired to the company, in newer API versions), else the earliest
    `hire_date` of the jobs (a job's is the date hired or rehired for it)."""
    hired = _date(employee.get("hired_at"))
    if hired is not None:
        return hired
    dates = [
        found
        for job in employee.get("jobs") or []
        if isinstance(job, Mapping) and (found := _date(job.get("hire_date"))) is not None
    ]
    return min(dates) if dates else None


def _last_termination(employee: Mapping[str, Any]) -> Mapping[str, Any] | None:
    terminations = [
        termination
        for termination in employee.get("terminations") or []
        if isinstance(termination, Mapping) and _date(termination.get("effective_date"))
    ]
    return max(terminations, key=lambda t: str(t["effective_date"]), default=None)


def _termination_date(employee: Mapping[str, Any]) -> date | None:
    termination = _last_termination(employee)
    return _date(termination.get("effective_date")) if termination is not None else None


def employment_status(employee: Mapping[str, Any], today: date) -> str:
    """`terminated` covers a termination still to come; its `active` flag (or a past
    `effective_date`, the last day of work) says it has taken effect. Not yet onboarded, or
    hired for a later day: pending."""
    if employee.get("terminated"):
        termination = _last_termination(employee)
        if termination is None or termination.get("active"):
            return "INACTIVE"
        last_day = _date(termination.get("effective_date"))
        if last_day is not None and last_day < today:
            return "INACTIVE"
    start = _start_date(employee)
    if employee.get("onboarded") is False or (start is not None and start > today):
        return "PENDING"
    return "ACTIVE"


def _display_name(employee: Mapping[str, Any]) -> str | None:
    first = _text(employee.get("preferred_first_name")) or _text(employee.get("first_name"))
    parts = [part for part in (first, _text(employee.get("last_name"))) if part]
    return " ".join(parts) or None


def _job_title(employee: Mapping[str, Any]) -> str | None:
    job = _primary_job(employee)
    return _text(job.get("title")) if job is not None else None


def _groups(employee: Mapping[str, Any]) -> list[str]:
    department = _text(employee.get("department_uuid"))
    return [department] if department else []


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


_Mapper = Callable[[Mapping[str, Any], date], Any]
MAPPERS: dict[str, _Mapper] = {
    "employee_number": lambda e, _: _text(e.get("employee_code")),
    "first_name": lambda e, _: _text(e.get("first_name")),
    "last_name": lambda e, _: _text(e.get("last_name")),
    "display_full_name": lambda e, _: _display_name(e),
    "job_title": lambda e, _: _job_title(e),
    "work_email": lambda e, _: _text(e.get("work_email")),
    # `email` is the personal address in Gusto's schema; `work_email` the work one.
    "personal_email": lambda e, _: _text(e.get("email")),
    "mobile_phone_number": lambda e, _: _text(e.get("phone")),
    "employment_status": employment_status,
    "employment_type": lambda e, _: _employment_type(e.get("current_employment_status")),
    "manager_id": lambda e, _: _text(e.get("manager_uuid")),
    "date_of_birth": lambda e, _: _iso(_date(e.get("date_of_birth"))),
    "start_date": lambda e, _: _iso(_start_date(e)),
    "termination_date": lambda e, _: _iso(_termination_date(e)),
    "groups": lambda e, _: _groups(e),
}


def _employment_type(value: Any) -> str | None:
    text = _text(value)
    return _EMPLOYMENT_TYPE.get(text, text) if text else None


def map_employee(
    employee: Mapping[str, Any], fields: frozenset[str], *, today: date
) -> dict[str, Any]:
    remote_id = _text(employee.get("uuid"))
    if remote_id is None:
        raise UnexpectedRecordError("an employee without a uuid")
    mapped: dict[str, Any] = {"remote_id": remote_id}
    for field_id, mapper in MAPPERS.items():
        if field_id in fields:
            mapped[field_id] = mapper(employee, today)
    return mapped


def map_department(department: Mapping[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    remote_id = _text(department.get("uuid"))
    if remote_id is None:
        raise UnexpectedRecordError("a department without a uuid")
    # Gusto's departments are one flat list: no department has a parent.
    record = {
        "remote_id": remote_id,
        "name": _text(department.get("title")),
        "type": "DEPARTMENT",
        "parent_id": None,
    }
    return {key: value for key, value in record.items() if key in fields or key == "remote_id"}

"""What the Personio connector reads of each unified model, and the permission each part needs.

Every field the Personnel Data API v1 has no source for is UNSUPPORTED; one it has and we do not
read is NOT_IMPLEMENTED, with the reason beside it.
"""

from __future__ import annotations

from integrations.tools.base import Coverage, FieldSupport, ModelSupport
from integrations.tools.personio.fields import PERM_ABSENCES, PERM_EMPLOYEES, attribute_permission

_UNSUPPORTED = FieldSupport(Coverage.UNSUPPORTED)
_SUPPORTED = FieldSupport(Coverage.SUPPORTED)
# No v1 endpoint lists offices or subcompanies with an address: the employee attributes carry
# only their id and name.
_NO_ADDRESS = _UNSUPPORTED


def _attribute(key: str) -> FieldSupport:
    return FieldSupport(Coverage.SUPPORTED, attribute_permission(key), key)


MODELS = {
    "hris_employees": ModelSupport(
        Coverage.SUPPORTED,
        PERM_EMPLOYEES,
        {
            "first_name": _attribute("first_name"),
            "last_name": _attribute("last_name"),
            "display_full_name": _attribute("first_name"),
            "job_title": _attribute("position"),
            "work_email": _attribute("email"),
            "gender": _attribute("gender"),
            "employment_status": _attribute("status"),
            # `internal` / `external`; an internal employee's hours tell full from part time.
            "employment_type": _attribute("employment_type"),
            "weekly_hours": _attribute("weekly_working_hours"),
            "work_location_id": _attribute("office"),
            "legal_entity_id": _attribute("subcompany"),
            "manager_id": _attribute("supervisor"),
            "start_date": _attribute("hire_date"),
            "termination_date": _attribute("termination_date"),
            "remote_created_at": _attribute("created_at"),
            "bank_accounts": _attribute("iban"),
            "groups": _attribute("department"),
            # Whichever custom attributes the credential may read.
            "custom_fields": _SUPPORTED,
            # Not standard Personio attributes: only custom attributes, named per company.
            "employee_number": _UNSUPPORTED,
            "nationality": _UNSUPPORTED,
            "personal_email": _UNSUPPORTED,
            "mobile_phone_number": _UNSUPPORTED,
            "ssn": _UNSUPPORTED,
            "tax_id": _UNSUPPORTED,
            "ethnicity": _UNSUPPORTED,
            "marital_status": _UNSUPPORTED,
            "date_of_birth": _UNSUPPORTED,
            "home_address": _UNSUPPORTED,
            # The profile picture URL needs Personio's bearer token; we cache no files.
            "avatar": _UNSUPPORTED,
        },
    ),
    "hris_teams": ModelSupport(
        Coverage.SUPPORTED,
        PERM_EMPLOYEES,
        {
            "name": _attribute("department"),
            "type": _attribute("department"),
            # v1 exposes no hierarchy between departments, teams and cost centers.
            "parent_id": _UNSUPPORTED,
        },
    ),
    # One per employee, from the salary attributes (v1 keeps no contract history).
    "hris_employments": ModelSupport(
        Coverage.SUPPORTED,
        PERM_EMPLOYEES,
        {
            "job_title": _attribute("position"),
            "pay_rate": _attribute("fix_salary"),
            "pay_period": _attribute("fix_salary_interval"),
            "employment_type": _attribute("employment_type"),
            # v1 names no salary currency, payroll frequency or date a salary took effect.
            "pay_currency": _UNSUPPORTED,
            "pay_frequency": _UNSUPPORTED,
            "effective_date": _UNSUPPORTED,
            "custom_fields": _UNSUPPORTED,
        },
    ),
    # Offices, as the employees' `office` attribute names them.
    "hris_locations": ModelSupport(
        Coverage.SUPPORTED,
        PERM_EMPLOYEES,
        {"name": _attribute("office"), "address": _NO_ADDRESS, "type": _UNSUPPORTED},
    ),
    # Subcompanies, as the employees' `subcompany` attribute names them.
    "hris_legal_entities": ModelSupport(
        Coverage.SUPPORTED,
        PERM_EMPLOYEES,
        {"name": _attribute("subcompany"), "address": _NO_ADDRESS},
    ),
    "hris_absence_types": ModelSupport(
        Coverage.SUPPORTED,
        PERM_ABSENCES,
        {
            "name": _SUPPORTED,
            "unit": _SUPPORTED,
            "half_days_supported": _SUPPORTED,
            # A type says whether half days may be requested, nothing about exact times.
            "exact_times_supported": _UNSUPPORTED,
            "custom_fields": _SUPPORTED,
        },
    ),
    "hris_absences": ModelSupport(
        Coverage.SUPPORTED,
        PERM_ABSENCES,
        {
            "start_date": _SUPPORTED,
            "end_date": _SUPPORTED,
            "start_half_day": _SUPPORTED,
            "end_half_day": _SUPPORTED,
            # `/company/time-offs` serves absences counted in days; those counted in hours, with
            # their times, come from `/company/absence-periods`, which we do not read yet.
            "start_time": FieldSupport(Coverage.NOT_IMPLEMENTED),
            "end_time": FieldSupport(Coverage.NOT_IMPLEMENTED),
            "amount": _SUPPORTED,
            "unit": _SUPPORTED,
            "status": _SUPPORTED,
            "employee_note": _SUPPORTED,
            "remote_created_at": _SUPPORTED,
            "remote_updated_at": _SUPPORTED,
        },
    ),
    # Listing whose balances to read needs the Employees scope too (see the connector).
    "hris_time_off_balances": ModelSupport(
        Coverage.SUPPORTED,
        PERM_ABSENCES,
        {
            "balance": _SUPPORTED,
            "balance_unit": _SUPPORTED,
            # The balance endpoint gives what is left, not what was taken.
            "used": _UNSUPPORTED,
            "used_unit": _UNSUPPORTED,
        },
    ),
}

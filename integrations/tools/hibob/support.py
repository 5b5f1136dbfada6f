"""What the HiBob connector reads, the permission each read needs, and how Bob names it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.tools.base import Coverage, FieldSupport, ModelSupport
from integrations.tools.hibob.fields import (
    NOT_IMPLEMENTED,
    PERM_DEPARTMENTS,
    PERM_EMPLOYMENT_HISTORY,
    PERM_PEOPLE,
    PERM_SALARY_HISTORY,
    PERM_SITES,
    PERM_TIME_OFF_BALANCES,
    PERM_TIME_OFF_REQUESTS,
    PERM_TIME_OFF_SETTINGS,
    PERM_WORK_HISTORY,
    PERMISSION_FIELDS,
    VENDOR_FIELDS,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What each permission group setting is called in Bob, for the warnings.
NEEDS = {
    PERM_SITES: "access to the company list 'site'",
    PERM_TIME_OFF_REQUESTS: "People's data > Time off > See who's out",
    PERM_TIME_OFF_SETTINGS: "Features > Time off > Settings > Manage company's time off settings",
    PERM_TIME_OFF_BALANCES: (
        "People's data > Time off > Balance > See selected people's time off and sick leave "
        "balances (and Features > Time off > Settings to list the policy types)"
    ),
    PERM_SALARY_HISTORY: "People's data > Payroll > View selected employees' Payroll section "
    "histories",
    PERM_EMPLOYMENT_HISTORY: "People's data > Employment > View selected employees' Employment "
    "section histories",
    PERM_WORK_HISTORY: "People's data > Work > View selected employees' Work section histories",
}


def _field_supports() -> dict[str, FieldSupport]:
    supports = {
        field_id: FieldSupport(Coverage.SUPPORTED, fields[0].permission, fields[0].field_id)
        for field_id, fields in VENDOR_FIELDS.items()
    }
    supports.update(
        {field_id: FieldSupport(Coverage.NOT_IMPLEMENTED) for field_id in NOT_IMPLEMENTED}
    )
    return supports


def _supported(*field_ids: str) -> dict[str, FieldSupport]:
    return {field_id: FieldSupport(Coverage.SUPPORTED) for field_id in field_ids}


# Bob's field and category names stay as Bob's settings show them, like in the guide.
PERMISSIONS: dict[str, StrOrPromise] = {
    PERM_PEOPLE: _(
        "Search employees (People’s data: View on the employees’ “Basic info” category)"
    ),
    PERM_DEPARTMENTS: _("Read the company list of departments"),
    PERM_SITES: _("Read the company list of sites"),
    PERM_TIME_OFF_REQUESTS: _("See who’s out (People’s data: Time off)"),
    PERM_TIME_OFF_SETTINGS: _("Read the time off policy types (Features: Time off settings)"),
    PERM_TIME_OFF_BALANCES: _(
        "See people’s time off and sick leave balances (People’s data: Time off)"
    ),
    PERM_SALARY_HISTORY: _("View the employees’ Payroll section histories (salaries)"),
    PERM_EMPLOYMENT_HISTORY: _("View the employees’ Employment section histories"),
    PERM_WORK_HISTORY: _("View the employees’ Work section histories (job titles)"),
    **{
        permission: format_lazy(
            _("Read the employee field “{name}” ({field_id}) in the “{category}” category"),
            name=field.name,
            field_id=field.field_id,
            category=field.category,
        )
        for permission, field in PERMISSION_FIELDS.items()
    },
}
MODELS: dict[str, ModelSupport] = {
    "hris_employees": ModelSupport(Coverage.SUPPORTED, PERM_PEOPLE, _field_supports()),
    "hris_teams": ModelSupport(
        Coverage.SUPPORTED, PERM_DEPARTMENTS, _supported("name", "type", "parent_id")
    ),
    "hris_locations": ModelSupport(
        Coverage.SUPPORTED,
        PERM_SITES,
        {
            **_supported("name"),
            # A site is a list item: a name, nothing about its address or kind.
            "address": FieldSupport(Coverage.UNSUPPORTED),
            "type": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    # HiBob's public API documents no legal entity (no company list, no employee field).
    "hris_legal_entities": ModelSupport(Coverage.UNSUPPORTED, None),
    "hris_absence_types": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TIME_OFF_SETTINGS,
        {
            **_supported("name", "unit", "custom_fields"),
            # Half days and exact times are settings of a type's policies, which would
            # take a read per policy (GET /timeoff/policies); not read.
            "half_days_supported": FieldSupport(Coverage.NOT_IMPLEMENTED),
            "exact_times_supported": FieldSupport(Coverage.NOT_IMPLEMENTED),
        },
    ),
    "hris_absences": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TIME_OFF_REQUESTS,
        {
            **_supported(
                "start_date",
                "end_date",
                "start_half_day",
                "end_half_day",
                "amount",
                "unit",
                "status",
            ),
            # Specific hours and the request's description come only with a read per
            # request (GET /timeoff/employees/{id}/requests/{requestId}); not read.
            "start_time": FieldSupport(Coverage.NOT_IMPLEMENTED),
            "end_time": FieldSupport(Coverage.NOT_IMPLEMENTED),
            "employee_note": FieldSupport(Coverage.NOT_IMPLEMENTED),
            # Requests carry no creation or change timestamp.
            "remote_created_at": FieldSupport(Coverage.UNSUPPORTED),
            "remote_updated_at": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    "hris_time_off_balances": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TIME_OFF_BALANCES,
        _supported("balance", "balance_unit", "used", "used_unit"),
    ),
    "hris_employments": ModelSupport(
        Coverage.SUPPORTED,
        PERM_SALARY_HISTORY,
        {
            **_supported(
                "pay_rate", "pay_period", "pay_frequency", "pay_currency", "effective_date"
            ),
            "employment_type": FieldSupport(
                Coverage.SUPPORTED, PERM_EMPLOYMENT_HISTORY, "employment table: type"
            ),
            "job_title": FieldSupport(Coverage.SUPPORTED, PERM_WORK_HISTORY, "work table: title"),
            "custom_fields": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
}

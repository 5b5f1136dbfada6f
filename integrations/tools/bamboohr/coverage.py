"""What the BambooHR connector reads, and which of BambooHR's access each part needs.

The pages followed, and what is done where they are silent: see the package docstring and
`time_off.py` / `employments.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.tools.bamboohr.fields import (
    FIELD_LABELS,
    NOT_IMPLEMENTED,
    PERM_EMPLOYEE_DATASET,
    PERM_LISTS,
    PERM_TABLE_COMPENSATION,
    PERM_TABLE_JOB_INFO,
    PERM_TIME_OFF,
    PERM_TIME_OFF_BALANCES,
    SOURCES,
    UNSUPPORTED,
    field_permission,
)
from integrations.tools.base import Coverage, FieldSupport, ModelSupport

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PERMISSIONS: dict[str, StrOrPromise] = {
    PERM_EMPLOYEE_DATASET: _(
        "Query the employee dataset (BambooHR’s reporting API): the user’s access level "
        "must be allowed to run reports on employees"
    ),
    PERM_LISTS: _("Read the department, division and location lists"),
    PERM_TIME_OFF: _("View time off types and the time off requests of employees"),
    PERM_TIME_OFF_BALANCES: _(
        "View employees’ time off balances (and query the employee dataset to find them)"
    ),
    PERM_TABLE_COMPENSATION: _(
        "View each employee’s compensation table (pay rate, paid per, pay period)"
    ),
    PERM_TABLE_JOB_INFO: _("View each employee’s job information table (job titles)"),
    **{
        field_permission(vendor): format_lazy(
            _("Read each employee’s “{label}” (BambooHR field {field})"),
            label=label,
            field=vendor,
        )
        for vendor, label in FIELD_LABELS.items()
    },
}
# Not here, so UNSUPPORTED: hris_legal_entities. BambooHR's API has no legal entities:
# `company_information` describes the one account, and no employee field or table names
# the employing entity.
MODELS: dict[str, ModelSupport] = {
    "hris_employees": ModelSupport(
        Coverage.SUPPORTED,
        PERM_EMPLOYEE_DATASET,
        {
            **{
                unified: FieldSupport(Coverage.SUPPORTED, source.needs, source.reads[0])
                for unified, source in SOURCES.items()
            },
            **{unified: FieldSupport(Coverage.NOT_IMPLEMENTED) for unified in NOT_IMPLEMENTED},
            **{unified: FieldSupport(Coverage.UNSUPPORTED) for unified in UNSUPPORTED},
        },
    ),
    "hris_teams": ModelSupport(
        Coverage.SUPPORTED,
        PERM_LISTS,
        {
            "name": FieldSupport(Coverage.SUPPORTED),
            "type": FieldSupport(Coverage.SUPPORTED),
            # BambooHR's departments and divisions are flat lists.
            "parent_id": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    "hris_locations": ModelSupport(
        Coverage.SUPPORTED,
        PERM_LISTS,
        {
            "name": FieldSupport(Coverage.SUPPORTED),
            # A `location` list option is a name and nothing else.
            "address": FieldSupport(Coverage.UNSUPPORTED),
            "type": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    "hris_employments": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TABLE_COMPENSATION,
        {
            "job_title": FieldSupport(Coverage.SUPPORTED, PERM_TABLE_JOB_INFO, "jobTitle"),
            "pay_rate": FieldSupport(Coverage.SUPPORTED, vendor_field="rate"),
            "pay_period": FieldSupport(Coverage.SUPPORTED, vendor_field="paidPer"),
            "pay_frequency": FieldSupport(Coverage.SUPPORTED, vendor_field="payPeriod"),
            "pay_currency": FieldSupport(Coverage.SUPPORTED, vendor_field="rate"),
            "effective_date": FieldSupport(Coverage.SUPPORTED, vendor_field="startDate"),
            # The employment status table holds it; not read yet (employees carry it).
            "employment_type": FieldSupport(Coverage.NOT_IMPLEMENTED),
            # Custom tables are not in BambooHR's API.
            "custom_fields": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    "hris_absence_types": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TIME_OFF,
        {
            "name": FieldSupport(Coverage.SUPPORTED),
            "unit": FieldSupport(Coverage.SUPPORTED, vendor_field="units"),
            # A type is a name, a unit, a colour and an icon: nothing about half days,
            # exact times or custom fields.
            "half_days_supported": FieldSupport(Coverage.UNSUPPORTED),
            "exact_times_supported": FieldSupport(Coverage.UNSUPPORTED),
            "custom_fields": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    "hris_absences": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TIME_OFF,
        {
            **{
                name: FieldSupport(Coverage.SUPPORTED)
                for name in ("start_date", "end_date", "amount", "unit", "status")
            },
            "employee_note": FieldSupport(Coverage.SUPPORTED, vendor_field="notes"),
            # Requests are whole or partial days by amount only: which half, or which
            # hours, is not said.
            **{
                name: FieldSupport(Coverage.UNSUPPORTED)
                for name in ("start_half_day", "end_half_day", "start_time", "end_time")
            },
            # `created` and `status.lastChanged` are dates in the company's time zone,
            # with no time and no offset: no moment can be told from them.
            "remote_created_at": FieldSupport(Coverage.UNSUPPORTED),
            "remote_updated_at": FieldSupport(Coverage.UNSUPPORTED),
        },
    ),
    "hris_time_off_balances": ModelSupport(
        Coverage.SUPPORTED,
        PERM_TIME_OFF_BALANCES,
        {
            "balance": FieldSupport(Coverage.SUPPORTED),
            "balance_unit": FieldSupport(Coverage.SUPPORTED, vendor_field="units"),
            "used": FieldSupport(Coverage.SUPPORTED, vendor_field="usedYearToDate"),
            "used_unit": FieldSupport(Coverage.SUPPORTED, vendor_field="units"),
        },
    ),
}

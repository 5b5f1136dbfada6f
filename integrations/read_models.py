"""The unified read models (Kombo's `hris_*` models) and their fields.

Scope configs, tool coverage and the HRIS API all speak this vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ReadModel:
    id: str
    label: str
    category: str
    # What a scope config can turn on and off, field by field.
    fields: tuple[str, ...]
    # Read whenever the model is: the vendor's remote id of the record a row belongs to (an
    # absence's employee and type). A row means nothing without them, so no scope turns them
    # off; the API serves them as the referenced rows' Kombo ids.
    references: tuple[str, ...] = ()
    # Reference -> the read model its rows are in, when Kombo's model declares it non-null (an
    # absence's `employee_id`, a balance's `type`): a row is served only with that row, so a
    # scope config reading this model must read that one too.
    requires: tuple[tuple[str, str], ...] = ()

    @property
    def stored_fields(self) -> tuple[str, ...]:
        return self.references + self.fields


# Field names and order follow the `kombo` SDK's `GetHrisEmployeesPositiveResponseResult`.
HRIS_EMPLOYEES = ReadModel(
    id="hris_employees",
    label="Employees",
    category="HRIS",
    fields=(
        "employee_number",
        "first_name",
        "last_name",
        "display_full_name",
        "nationality",
        "job_title",
        "work_email",
        "personal_email",
        "mobile_phone_number",
        "ssn",
        "tax_id",
        "gender",
        "ethnicity",
        "marital_status",
        "employment_status",
        "employment_type",
        "weekly_hours",
        "avatar",
        "work_location_id",
        "legal_entity_id",
        "manager_id",
        "date_of_birth",
        "start_date",
        "termination_date",
        "remote_created_at",
        "home_address",
        "bank_accounts",
        "custom_fields",
        "groups",
    ),
)

# Kombo calls the groups model `hris_teams` (its webhooks and scope configs use that id) and
# serves it at /hris/groups.
HRIS_GROUPS = ReadModel(
    id="hris_teams",
    label="Groups",
    category="HRIS",
    fields=("name", "type", "parent_id"),
)

# The models below follow the `kombo` SDK's `GetHris<Model>PositiveResponseResult`: its fields
# but `id`, `remote_id`, `changed_at`, `remote_deleted_at` and the nested copies of referenced
# rows (an absence's `type`), which the API builds from the references.
HRIS_EMPLOYMENTS = ReadModel(
    id="hris_employments",
    label="Employments",
    category="HRIS",
    references=("employee_id",),
    requires=(("employee_id", "hris_employees"),),
    fields=(
        "job_title",
        "pay_rate",
        "pay_period",
        "pay_frequency",
        "employment_type",
        "pay_currency",
        "effective_date",
        "custom_fields",
    ),
)
HRIS_LOCATIONS = ReadModel(
    id="hris_locations",
    label="Work locations",
    category="HRIS",
    fields=("name", "address", "type"),
)
HRIS_LEGAL_ENTITIES = ReadModel(
    id="hris_legal_entities",
    label="Legal entities",
    category="HRIS",
    fields=("name", "address"),
)
HRIS_ABSENCE_TYPES = ReadModel(
    id="hris_absence_types",
    label="Absence types",
    category="HRIS",
    fields=("name", "unit", "half_days_supported", "exact_times_supported", "custom_fields"),
)
HRIS_ABSENCES = ReadModel(
    id="hris_absences",
    label="Absences",
    category="HRIS",
    references=("employee_id", "type_id"),
    requires=(("employee_id", "hris_employees"),),
    fields=(
        "start_date",
        "end_date",
        "start_half_day",
        "end_half_day",
        "start_time",
        "end_time",
        "amount",
        "unit",
        "status",
        "employee_note",
        "remote_created_at",
        "remote_updated_at",
    ),
)
HRIS_TIME_OFF_BALANCES = ReadModel(
    id="hris_time_off_balances",
    label="Time-off balances",
    category="HRIS",
    references=("employee_id", "type_id"),
    requires=(("employee_id", "hris_employees"), ("type_id", "hris_absence_types")),
    fields=("balance", "balance_unit", "used", "used_unit"),
)

READ_MODELS: dict[str, ReadModel] = {
    m.id: m
    for m in (
        HRIS_EMPLOYEES,
        HRIS_GROUPS,
        HRIS_EMPLOYMENTS,
        HRIS_LOCATIONS,
        HRIS_LEGAL_ENTITIES,
        HRIS_ABSENCE_TYPES,
        HRIS_ABSENCES,
        HRIS_TIME_OFF_BALANCES,
    )
}

# The models and fields as the hosted form names them for customers, in their language (the
# API's labels above stay English).
MODEL_LABELS: dict[str, StrOrPromise] = {
    "hris_employees": _("Employees"),
    "hris_teams": _("Groups"),
    "hris_employments": _("Employments and pay"),
    "hris_locations": _("Work locations"),
    "hris_legal_entities": _("Legal entities"),
    "hris_absence_types": _("Absence types"),
    "hris_absences": _("Absences"),
    "hris_time_off_balances": _("Time-off balances"),
}
FIELD_LABELS = {
    "employee_number": _("Employee number"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "display_full_name": _("Full name"),
    "nationality": _("Nationality"),
    "job_title": _("Job title"),
    "work_email": _("Work email"),
    "personal_email": _("Personal email"),
    "mobile_phone_number": _("Mobile phone number"),
    "ssn": _("Social security number"),
    "tax_id": _("Tax ID"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnicity"),
    "marital_status": _("Marital status"),
    "employment_status": _("Employment status"),
    "employment_type": _("Employment type"),
    "weekly_hours": _("Weekly hours"),
    "avatar": _("Profile picture"),
    "work_location_id": _("Work location"),
    "legal_entity_id": _("Legal entity"),
    "manager_id": _("Manager"),
    "date_of_birth": _("Date of birth"),
    "start_date": _("Start date"),
    "termination_date": _("Termination date"),
    "remote_created_at": _("Created in the HR system"),
    "home_address": _("Home address"),
    "bank_accounts": _("Bank accounts"),
    "custom_fields": _("Custom fields"),
    "groups": _("Departments and teams"),
    "name": _("Name"),
    "type": _("Type"),
    "parent_id": _("Parent group"),
    "pay_rate": _("Pay rate"),
    "pay_period": _("Pay period"),
    "pay_frequency": _("Pay frequency"),
    "pay_currency": _("Pay currency"),
    "effective_date": _("Effective date"),
    "address": _("Address"),
    "unit": _("Unit (days or hours)"),
    "half_days_supported": _("Half days allowed"),
    "exact_times_supported": _("Exact times allowed"),
    "end_date": _("End date"),
    "start_half_day": _("Starts at midday"),
    "end_half_day": _("Ends at midday"),
    "start_time": _("Start time"),
    "end_time": _("End time"),
    "amount": _("Duration"),
    "status": _("Status"),
    "employee_note": _("Employee's note"),
    "remote_updated_at": _("Last changed in the HR system"),
    "balance": _("Balance"),
    "balance_unit": _("Balance unit"),
    "used": _("Time taken"),
    "used_unit": _("Unit of time taken"),
}

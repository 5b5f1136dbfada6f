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
    fields: tuple[str, ...]


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

READ_MODELS: dict[str, ReadModel] = {m.id: m for m in (HRIS_EMPLOYEES, HRIS_GROUPS)}

# The models and fields as the hosted form names them for customers, in their language (the
# API's labels above stay English).
MODEL_LABELS: dict[str, StrOrPromise] = {
    "hris_employees": _("Employees"),
    "hris_teams": _("Groups"),
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
}

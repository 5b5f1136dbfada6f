"""The unified read models (Kombo's `hris_*` models) and their fields.

Scope configs, tool coverage and the HRIS API all speak this vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass


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

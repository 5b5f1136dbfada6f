"""The employee attributes we read, and the permissions that name them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

PERM_EMPLOYEES = "employees:read"
# The credential's "Absences" access scope: time-off types, time-offs and absence balances.
PERM_ABSENCES = "absences:read"
ATTRIBUTE_PREFIX = "attribute:"

# The readable employee attributes we map, with the labels Personio shows for them (lazy
# translations: the customer ticks them in Personio's screens, in their language).
ATTRIBUTE_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("Email"),
    "gender": _("Gender"),
    "status": _("Status"),
    "position": _("Position"),
    "supervisor": _("Supervisor"),
    "employment_type": _("Employment type"),
    "weekly_working_hours": _("Weekly hours"),
    "hire_date": _("Hire date"),
    "termination_date": _("Termination date"),
    "created_at": _("Created at"),
    "office": _("Office"),
    "subcompany": _("Subcompany"),
    "department": _("Department"),
    "team": _("Team"),
    "cost_centers": _("Cost center"),
    "iban": _("IBAN"),
    "fix_salary": _("Fix salary"),
    "fix_salary_interval": _("Salary interval"),
    "hourly_salary": _("Hourly salary"),
}


def attribute_permission(attribute: str) -> str:
    return f"{ATTRIBUTE_PREFIX}{attribute}"


def permission_of(key: str, attr: Mapping[str, Any]) -> str:
    """Standard attributes are named by their key; custom ones by their universal id if any."""
    if key.startswith("dynamic_"):
        return attribute_permission(attr.get("universal_id") or key)
    return attribute_permission(key)

"""The employee attributes we read, and the permissions that name them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PERM_EMPLOYEES = "employees:read"
ATTRIBUTE_PREFIX = "attribute:"

# The readable employee attributes we map, with the labels Personio shows for them.
ATTRIBUTE_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "gender": "Gender",
    "status": "Status",
    "position": "Position",
    "supervisor": "Supervisor",
    "weekly_working_hours": "Weekly hours",
    "hire_date": "Hire date",
    "termination_date": "Termination date",
    "created_at": "Created at",
    "office": "Office",
    "subcompany": "Subcompany",
    "department": "Department",
    "team": "Team",
    "cost_centers": "Cost center",
    "iban": "IBAN",
}


def attribute_permission(attribute: str) -> str:
    return f"{ATTRIBUTE_PREFIX}{attribute}"


def permission_of(key: str, attr: Mapping[str, Any]) -> str:
    """Standard attributes are named by their key; custom ones by their universal id if any."""
    if key.startswith("dynamic_"):
        return attribute_permission(attr.get("universal_id") or key)
    return attribute_permission(key)

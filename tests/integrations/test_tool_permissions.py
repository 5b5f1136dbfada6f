"""A scope turns into required permissions, and missing ones into precise warnings."""

from __future__ import annotations

from integrations.tools import tool_get
from integrations.tools.sandbox import (
    PERM_ABSENCES,
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_PERSONAL,
    PERM_SENSITIVE,
)

SANDBOX = tool_get("sandbox")


def test_it_lists_the_permissions_the_wanted_fields_need() -> None:
    needed = SANDBOX.permissions_needed("hris_employees", ["first_name", "date_of_birth", "groups"])

    assert needed == {PERM_EMPLOYEES, PERM_PERSONAL, PERM_GROUPS}
    assert SANDBOX.permissions_needed("hris_employees", ["first_name"]) == {PERM_EMPLOYEES}
    assert SANDBOX.permissions_needed("hris_absences", ["status"]) == {PERM_ABSENCES}
    # A field Sandbox HR does not have needs nothing beyond the model's own permission.
    assert SANDBOX.permissions_needed("hris_absences", ["start_time"]) == {PERM_ABSENCES}


def test_it_names_each_field_the_credentials_cannot_read() -> None:
    gaps = SANDBOX.permission_gaps(
        model_id="hris_employees",
        field_ids=["first_name", "ssn", "date_of_birth"],
        granted=frozenset({PERM_EMPLOYEES, PERM_PERSONAL}),
    )

    assert [(gap.permission, gap.field_id) for gap in gaps] == [(PERM_SENSITIVE, "ssn")]
    assert gaps[0].message == (
        f"Sandbox HR: the credentials cannot read field 'ssn' (needs '{PERM_SENSITIVE}')."
    )


def test_it_reports_a_whole_model_once_when_its_own_permission_is_missing() -> None:
    gaps = SANDBOX.permission_gaps(
        model_id="hris_teams", field_ids=["name", "type"], granted=frozenset({PERM_EMPLOYEES})
    )

    assert len(gaps) == 1
    assert (gaps[0].permission, gaps[0].field_id) == (PERM_GROUPS, None)
    assert "hris_teams" in gaps[0].message

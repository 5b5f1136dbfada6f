"""Which of a tool's permissions the hosted form asks the customer to grant: the ones the scope
config needs, required or optional, named the way the vendor's own screens name them.

Expected permissions come from the Sandbox HR connector's documented vocabulary (the module
docstring of `integrations.tools.sandbox`: names, work email and job need `employees:read`,
birth date and private contact `employees.personal:read`, tax numbers `employees.sensitive:read`,
departments `groups:read`)."""

from __future__ import annotations

from typing import Any

from integrations.models import ScopeConfig
from integrations.selectors.links import scope_permissions
from integrations.tools import tool_get
from integrations.tools.personio.connector import PersonioTool

SANDBOX = tool_get("sandbox")


def _scope(settings: dict[str, Any]) -> ScopeConfig:
    return ScopeConfig(name="test", settings=settings)


def _asked(scope: ScopeConfig) -> list[tuple[str, bool]]:
    return [(p.id, p.optional) for p in scope_permissions(tool=SANDBOX, scope=scope)]


def test_it_asks_for_what_enabled_fields_need_and_marks_optional_ones() -> None:
    scope = _scope(
        {
            "hris_employees": {
                "setting": "ENABLED",
                "fields": {"first_name": "ENABLED", "date_of_birth": "OPTIONAL", "ssn": "DISABLED"},
            }
        }
    )

    assert _asked(scope) == [("employees:read", False), ("employees.personal:read", True)]


def test_it_makes_a_permission_required_when_any_enabled_field_needs_it() -> None:
    scope = _scope(
        {
            "hris_employees": {
                "setting": "ENABLED",
                "fields": {"gender": "ENABLED", "date_of_birth": "OPTIONAL"},
            }
        }
    )

    assert ("employees.personal:read", False) in _asked(scope)


def test_it_asks_for_nothing_of_a_disabled_model_and_only_optionally_for_an_optional_one() -> None:
    scope = _scope(
        {
            "hris_employees": {"setting": "DISABLED", "fields": {"first_name": "ENABLED"}},
            "hris_teams": {"setting": "OPTIONAL", "fields": {"name": "ENABLED"}},
        }
    )

    assert _asked(scope) == [("groups:read", True)]


def test_it_names_personios_permissions_as_personios_credential_settings_do() -> None:
    """Personio's API credentials are granted access scopes (e.g. "Employees") and "readable
    employee attributes" by name (Personio's developer docs, "API credentials"): reading first
    names needs both, and the customer is told them in those words."""
    scope = _scope({"hris_employees": {"setting": "ENABLED", "fields": {"first_name": "ENABLED"}}})

    asked = scope_permissions(tool=PersonioTool(), scope=scope)

    assert [p.optional for p in asked] == [False, False]
    descriptions = [str(p.description) for p in asked]
    assert any("“Employees”" in text for text in descriptions), descriptions
    assert any("“First name”" in text for text in descriptions), descriptions

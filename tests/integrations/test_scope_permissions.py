"""Which of a tool's permissions the hosted form asks the customer to grant: the ones the scope
config needs, required or optional, named the way the vendor's own screens name them.

Expected permissions come from the Sandbox HR connector's documented vocabulary (the module
docstring of `integrations.tools.sandbox`: names, work email and job need `employees:read`,
birth date and private contact `employees.personal:read`, tax numbers `employees.sensitive:read`,
departments `groups:read`)."""

from __future__ import annotations

from typing import Any

import pytest

from integrations.models import ScopeConfig
from integrations.selectors import scope_permissions
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


@pytest.mark.parametrize("tool", [SANDBOX, PersonioTool()], ids=["sandbox", "personio"])
def test_it_describes_every_permission_in_plain_words(tool: Any) -> None:
    scope = _scope({"hris_employees": {"setting": "ENABLED", "fields": {"first_name": "ENABLED"}}})

    asked = scope_permissions(tool=tool, scope=scope)

    assert asked
    assert all(p.description == tool.permissions[p.id] for p in asked)

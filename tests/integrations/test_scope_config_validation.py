"""A scope config must make sense before any integration uses it."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Environment
from integrations.services import scope_config_create


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (["hris_employees"], "must be an object"),
        ({"hris_payslips": {"setting": "ENABLED"}}, "Unknown read model 'hris_payslips'"),
        ({"hris_employees": "ENABLED"}, "'setting' must be one of"),
        ({"hris_employees": {"setting": "ON"}}, "'setting' must be one of"),
        ({"hris_employees": {"setting": "ENABLED", "fields": {"salary": "ENABLED"}}}, "salary"),
        (
            {"hris_employees": {"setting": "ENABLED", "fields": {"first_name": "yes"}}},
            "hris_employees.first_name",
        ),
        # Kombo's absences and balances name an employee (and a balance its type) that must be
        # served too: the SDK's models declare `employee_id` and a balance's `type` non-null.
        ({"hris_absences": {"setting": "ENABLED"}}, "set hris_employees to ENABLED"),
        (
            {
                "hris_employees": {"setting": "OPTIONAL"},
                "hris_time_off_balances": {"setting": "ENABLED"},
                "hris_absence_types": {"setting": "ENABLED"},
            },
            "set hris_employees to ENABLED",
        ),
        (
            {
                "hris_employees": {"setting": "ENABLED"},
                "hris_time_off_balances": {"setting": "OPTIONAL"},
            },
            "set hris_absence_types to OPTIONAL",
        ),
    ],
)
@pytest.mark.django_db
def test_it_refuses_settings_that_do_not_make_sense(
    environment: Environment, settings: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        scope_config_create(environment=environment, name="Broken", settings=settings)


@pytest.mark.django_db
def test_it_accepts_a_sensible_config(environment: Environment) -> None:
    config = scope_config_create(
        environment=environment,
        name="Names",
        settings={"hris_employees": {"setting": "ENABLED", "fields": {"first_name": "OPTIONAL"}}},
    )

    assert config.field_setting("hris_employees", "first_name") == "OPTIONAL"

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

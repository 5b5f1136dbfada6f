"""The integration body is built as plain data: the shape and formats its serializer documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework import serializers

from core.models import ApiKey
from integrations.actors import Actor
from integrations.api.serializers import IntegrationPageSerializer, IntegrationSerializer
from integrations.models import Integration
from integrations.services import scope_config_update
from tests.support.factories import IntegrationFactory, scope_settings_all_enabled

pytestmark = pytest.mark.django_db


def fetch(api_key: tuple[ApiKey, str], integration: Integration) -> dict[str, Any]:
    # A host name URLField accepts (it refuses the test client's default `testserver`).
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}", HTTP_HOST="localhost")
    response = client.get(f"/api/v1/integrations/{integration.pk}")
    assert response.status_code == 200, response.content
    return dict(response.json()["data"])


def assert_documented(value: Any, field: serializers.Field, path: str) -> None:
    """`value` has the keys, nesting, nulls and choices that `field` documents, nothing else."""
    if value is None:
        assert field.allow_null, f"{path} is null"
    elif isinstance(field, serializers.ListSerializer | serializers.ListField):
        assert isinstance(value, list), path
        for n, item in enumerate(value):
            assert_documented(item, field.child, f"{path}[{n}]")
    elif isinstance(field, serializers.Serializer):
        assert isinstance(value, dict), path
        assert set(value) == set(field.fields), path
        for name, child in field.fields.items():
            assert_documented(value[name], child, f"{path}.{name}")
    elif isinstance(field, serializers.ChoiceField):
        assert value in field.choices, f"{path}: {value!r}"
    elif isinstance(field, serializers.BooleanField):
        assert isinstance(value, bool), path
    else:
        # Raises for a value the field would refuse: a malformed date, URL, or a number.
        field.run_validation(value)


def test_it_has_exactly_the_documented_shape(api_key: tuple[ApiKey, str]) -> None:
    integration: Integration = IntegrationFactory(
        environment=api_key[0].environment,
        data_expired_at=datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=UTC),
        opted_out=["hris_employees.ssn"],
    )
    body = fetch(api_key, integration)

    assert_documented(body, IntegrationSerializer(), "data")
    assert body["data_expired_at"] == "2026-03-01T12:30:05.123Z"
    assert body["end_user"] == {
        "organization_name": integration.organization_name,
        "creator_email": integration.creator_email,
        "origin_id": integration.origin_id,
    }
    assert body["tool"]["logo_url"].startswith("http://localhost/static/")
    employees = next(model for model in body["read_models"] if model["id"] == "hris_employees")
    ssn = next(field for field in employees["fields"] if field["id"] == "ssn")
    assert ssn["opted_out_by_customer"] is True
    assert ssn["is_available"] is False


@override_settings(TIME_ZONE="Europe/Berlin")
def test_it_writes_datetimes_in_utc_whatever_the_sites_time_zone(
    api_key: tuple[ApiKey, str],
) -> None:
    """As Kombo writes them (`Date.toISOString()`), not in the server's local time."""
    created = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    integration: Integration = IntegrationFactory(environment=api_key[0].environment)
    Integration.objects.filter(pk=integration.pk).update(created_at=created)

    body = fetch(api_key, integration)

    assert body["created_at"] == "2026-07-01T08:00:00.000Z"
    assert body["data_expired_at"] is None


def test_it_shows_scope_config_edits_and_opt_outs_at_once(api_key: tuple[ApiKey, str]) -> None:
    integration: Integration = IntegrationFactory(environment=api_key[0].environment)
    before = fetch(api_key, integration)
    employees = next(model for model in before["read_models"] if model["id"] == "hris_employees")
    assert employees["scope_config_setting"] == "ENABLED"

    settings = scope_settings_all_enabled()
    # With the models whose rows name an employee: they are served only with their employee.
    for model_id in (
        "hris_employees",
        "hris_employments",
        "hris_absences",
        "hris_time_off_balances",
    ):
        settings[model_id]["setting"] = "DISABLED"
    scope_config_update(
        scope_config=integration.scope_config,
        name=integration.scope_config.name,
        settings=settings,
        actor=Actor.system("tests"),
    )
    after_edit = fetch(api_key, integration)
    Integration.objects.filter(pk=integration.pk).update(opted_out=["hris_teams"])
    after_opt_out = fetch(api_key, integration)

    def state(body: dict[str, Any], model_id: str) -> dict[str, Any]:
        return next(model for model in body["read_models"] if model["id"] == model_id)

    assert state(after_edit, "hris_employees")["scope_config_setting"] == "DISABLED"
    assert state(after_edit, "hris_employees")["is_available"] is False
    assert state(after_edit, "hris_teams")["opted_out_by_customer"] is False
    assert state(after_opt_out, "hris_teams")["opted_out_by_customer"] is True
    assert state(after_opt_out, "hris_teams")["is_available"] is False


def test_it_lists_integrations_of_one_scope_config_with_their_own_opt_outs(
    api_key: tuple[ApiKey, str],
) -> None:
    environment = api_key[0].environment
    first: Integration = IntegrationFactory(environment=environment, opted_out=["hris_teams"])
    second: Integration = IntegrationFactory(environment=environment, opted_out=[])
    assert first.scope_config_id == second.scope_config_id

    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}", HTTP_HOST="localhost")
    response = client.get("/api/v1/integrations")
    assert response.status_code == 200, response.content
    page = response.json()["data"]

    assert_documented(page, IntegrationPageSerializer(), "data")
    by_id = {result["id"]: result for result in page["results"]}

    def teams(body: dict[str, Any]) -> dict[str, Any]:
        return next(model for model in body["read_models"] if model["id"] == "hris_teams")

    assert teams(by_id[first.pk])["opted_out_by_customer"] is True
    assert teams(by_id[second.pk])["opted_out_by_customer"] is False

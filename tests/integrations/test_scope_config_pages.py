"""The scope config pages of the dashboard: the list with usage counts, creating a config, and
the editor (settings per model and field, per-tool support, expiring the users' data)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import EventKind, Integration, IntegrationEvent, ScopeConfig
from integrations.read_models import READ_MODELS
from integrations.services import integration_delete, scope_config_migration_create
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, operator: object) -> None:
    client.force_login(operator)  # type: ignore[arg-type]


def _editor_data(scope_config: ScopeConfig, name: str | None = None, **changes: str) -> dict:
    """What the editor posts when the operator changes nothing but `changes`, given as
    `model__field="SETTING"` (or `model="SETTING"` for a model's own setting)."""
    data: dict[str, Any] = {"name": scope_config.name if name is None else name}
    for model in READ_MODELS.values():
        data[f"model-{model.id}"] = scope_config.model_setting(model.id)
        stored = (scope_config.settings.get(model.id) or {}).get("fields") or {}
        for field_id in model.fields:
            data[f"field-{model.id}-{field_id}"] = stored.get(field_id, "DISABLED")
    for key, value in changes.items():
        model_id, _, field_id = key.partition("__")
        data[f"field-{model_id}-{field_id}" if field_id else f"model-{model_id}"] = value
    return data


def _row(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', html, re.DOTALL)
    assert match, f"no row with {attribute}={value}"
    return match.group(1)


def _count_in_row(html: str, scope_config: ScopeConfig) -> int:
    row = _row(html, "data-scope-config-id", scope_config.pk)
    match = re.search(r"<span data-integration-count>(\d+)</span>", row)
    assert match
    return int(match.group(1))


def test_it_lists_configs_with_how_many_live_integrations_use_them(
    client: Client, operator: object, environment: Environment, other_environment: Environment
) -> None:
    _login(client, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    unused = ScopeConfigFactory(environment=environment, name="Unused")
    sandbox_basic = ScopeConfigFactory(environment=other_environment, name="Basic")
    IntegrationFactory.create_batch(2, environment=environment, scope_config=basic)
    gone = IntegrationFactory(environment=environment, scope_config=basic)
    integration_delete(integration=gone, actor=Actor.system("tests"))
    IntegrationFactory(environment=other_environment, scope_config=sandbox_basic)

    response = client.get("/dashboard/scope-configs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _count_in_row(html, basic) == 2
    assert _count_in_row(html, unused) == 0
    assert _count_in_row(html, sandbox_basic) == 1
    assert f'href="/dashboard/scope-configs/{basic.pk}/"' in html
    assert f'href="/dashboard/scope-configs/{basic.pk}/migrate/"' in html
    assert "sandbox" in _row(html, "data-scope-config-id", sandbox_basic.pk)


def test_it_lists_configs_in_a_constant_number_of_queries(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/scope-configs/").status_code == 200
        return len(queries)

    for n in range(2):
        config = ScopeConfigFactory(environment=environment, name=f"Config {n}")
        IntegrationFactory(environment=environment, scope_config=config)
    few = queries_for_the_list()
    for n in range(2, 20):
        config = ScopeConfigFactory(environment=environment, name=f"Config {n}")
        IntegrationFactory.create_batch(2, environment=environment, scope_config=config)

    assert queries_for_the_list() == few


def test_it_creates_a_config_and_opens_its_editor(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)

    response = client.post(
        "/dashboard/scope-configs/", {"name": "Payroll", "environment": "production"}
    )

    created = ScopeConfig.objects.get(name="Payroll")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/scope-configs/{created.pk}/"
    assert created.environment == environment
    assert created.settings == {}

    again = client.post(
        "/dashboard/scope-configs/", {"name": "Payroll", "environment": "production"}
    )
    assert again.status_code == 400
    assert "already exists" in again.content.decode()
    assert ScopeConfig.objects.filter(name="Payroll").count() == 1


def test_it_saves_and_expires_the_data_of_the_integrations_using_the_config(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    config = ScopeConfigFactory(environment=environment, name="Wide")
    other = ScopeConfigFactory(environment=environment, name="Other")
    users = IntegrationFactory.create_batch(2, environment=environment, scope_config=config)
    bystander = IntegrationFactory(environment=environment, scope_config=other)
    before = timezone.now()

    response = client.post(
        f"/dashboard/scope-configs/{config.pk}/",
        _editor_data(config, hris_employees__ssn="DISABLED", hris_teams__type="OPTIONAL"),
        follow=True,
    )

    assert response.status_code == 200
    assert "Saved. 2 integrations will refresh their data at the next sync." in (
        response.content.decode()
    )
    config.refresh_from_db()
    assert config.field_setting("hris_employees", "ssn") == "DISABLED"
    assert config.field_setting("hris_teams", "type") == "OPTIONAL"
    assert config.field_setting("hris_employees", "first_name") == "ENABLED"
    for user in users:
        user.refresh_from_db()
        assert user.data_expired_at is not None
        assert user.data_expired_at >= before
        assert user.full_sync_requested_at == user.data_expired_at
        event = user.events.get(kind=EventKind.SCOPE_CONFIG_CHANGED)
        assert event.actor_label == "operator"
        assert "hris_employees.ssn: ENABLED → DISABLED" in event.data["changes"]
    bystander.refresh_from_db()
    assert bystander.data_expired_at is None
    assert not bystander.events.filter(kind=EventKind.SCOPE_CONFIG_CHANGED).exists()


def test_it_renames_without_expiring_anyones_data(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    config = ScopeConfigFactory(environment=environment, name="Wide")
    user = IntegrationFactory(environment=environment, scope_config=config)

    response = client.post(
        f"/dashboard/scope-configs/{config.pk}/",
        _editor_data(config, name="Wide (2026)"),
        follow=True,
    )

    assert "Saved. 0 integrations will refresh their data" in response.content.decode()
    config.refresh_from_db()
    assert config.name == "Wide (2026)"
    user.refresh_from_db()
    assert user.data_expired_at is None


def test_it_ignores_field_changes_under_a_disabled_model(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    config = ScopeConfigFactory(environment=environment, name="Wide")
    client.post(
        f"/dashboard/scope-configs/{config.pk}/", _editor_data(config, hris_teams="DISABLED")
    )
    user = IntegrationFactory(environment=environment, scope_config=config)
    config.refresh_from_db()

    response = client.post(
        f"/dashboard/scope-configs/{config.pk}/",
        _editor_data(config, hris_teams__name="OPTIONAL"),
        follow=True,
    )

    assert "Saved. 0 integrations" in response.content.decode()
    user.refresh_from_db()
    assert user.data_expired_at is None
    config.refresh_from_db()
    # Kept for when the model is turned back on.
    assert config.settings["hris_teams"]["fields"]["name"] == "OPTIONAL"


def test_it_changes_nothing_for_invalid_input(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    config = ScopeConfigFactory(environment=environment, name="Wide")
    ScopeConfigFactory(environment=environment, name="Taken")
    user = IntegrationFactory(environment=environment, scope_config=config)
    settings_before = dict(config.settings)

    bad_value = client.post(
        f"/dashboard/scope-configs/{config.pk}/",
        _editor_data(config, hris_employees__ssn="MAYBE", hris_employees__gender="DISABLED"),
    )
    taken_name = client.post(
        f"/dashboard/scope-configs/{config.pk}/",
        _editor_data(config, name="Taken", hris_employees__gender="DISABLED"),
    )

    assert bad_value.status_code == 400
    html = bad_value.content.decode()
    assert "Nothing was saved" in html
    ssn_row = _row(html, "data-field-id", "hris_employees.ssn")
    assert "MAYBE is not one of the available choices" in ssn_row
    # The operator's other edits are still on the page to fix and resubmit.
    gender_row = _row(html, "data-field-id", "hris_employees.gender")
    assert re.search(r'<option value="DISABLED" selected>', gender_row)
    assert taken_name.status_code == 400
    assert "Another scope config of this environment has this name" in (taken_name.content.decode())
    config.refresh_from_db()
    assert (config.name, config.settings) == ("Wide", settings_before)
    user.refresh_from_db()
    assert user.data_expired_at is None
    assert not IntegrationEvent.objects.filter(kind=EventKind.SCOPE_CONFIG_CHANGED).exists()


def test_it_shows_which_tool_supports_each_field(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    config = ScopeConfigFactory(environment=environment, name="Wide")

    html = client.get(f"/dashboard/scope-configs/{config.pk}/").content.decode()

    assert 'id="tool-support-legend"' in html
    ssn = _row(html, "data-field-id", "hris_employees.ssn")
    assert 'data-tool="sandbox" data-coverage="SUPPORTED"' in ssn
    assert 'data-tool="hibob" data-coverage="SUPPORTED"' in ssn
    assert 'data-tool="personio" data-coverage="UNSUPPORTED"' in ssn
    assert "Personio —" in ssn
    assert "Sandbox HR ✓" in ssn
    assert '<select name="field-hris_employees-ssn"' in ssn
    assert '<option value="ENABLED" selected>' in ssn
    parent = _row(html, "data-field-id", "hris_teams.parent_id")
    assert 'data-tool="bamboohr" data-coverage="UNSUPPORTED"' in parent
    assert '<select name="model-hris_teams"' in html


def test_it_lists_past_migrations_on_the_editor(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    IntegrationFactory.create_batch(2, environment=environment, scope_config=basic)
    migration, _ = scope_config_migration_create(
        scope_config=wide,
        integrations=Integration.objects.filter(scope_config=basic),
        selection_label="all integrations on Basic",
        language="en",
        send_email=False,
        actor=Actor.system("tests"),
    )

    html = client.get(f"/dashboard/scope-configs/{wide.pk}/").content.decode()

    row = _row(html, "data-migration-id", migration.pk)
    assert "all integrations on Basic" in row
    assert "0 of 2" in row
    assert f'href="/dashboard/scope-configs/migrations/{migration.pk}/"' in row


def test_it_answers_404_for_unknown_configs(client: Client, operator: object) -> None:
    _login(client, operator)

    assert client.get("/dashboard/scope-configs/NoSuchConfig123/").status_code == 404
    assert client.get("/dashboard/scope-configs/NoSuchConfig123/migrate/").status_code == 404
    assert client.post("/dashboard/scope-configs/bad%00id/", {}).status_code == 404


def test_it_is_for_operators_only(
    client: Client, environment: Environment, django_user_model: Any
) -> None:
    config = ScopeConfigFactory(environment=environment, name="Wide")

    anonymous = client.get(f"/dashboard/scope-configs/{config.pk}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

    client.force_login(django_user_model.objects.create_user(username="customer"))
    assert client.get("/dashboard/scope-configs/").status_code == 403
    assert client.post(f"/dashboard/scope-configs/{config.pk}/", {}).status_code == 403


def test_it_refuses_a_post_without_a_csrf_token(operator: object, environment: Environment) -> None:
    config = ScopeConfigFactory(environment=environment, name="Wide")
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)  # type: ignore[arg-type]

    response = client.post(f"/dashboard/scope-configs/{config.pk}/", _editor_data(config))

    assert response.status_code == 403

"""The Django admin: every model is browsable, nothing secret is shown, writes go via services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from core.models import ApiKey, Environment, RequestLog
from core.services import api_key_authenticate, api_key_create
from integrations.models import (
    CredentialVersion,
    EventKind,
    Integration,
    IntegrationEvent,
    IntegrationStatus,
    ScopeConfig,
)
from tests.support.factories import IntegrationFactory

CANARY_SECRET = "sbx_ADMIN-canary-never-shown-5521"

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client: Client, operator: object) -> Client:
    client.force_login(operator)  # type: ignore[arg-type]
    return client


@pytest.fixture
def one_of_each(environment: Environment) -> dict[type[Model], Model]:
    integration = IntegrationFactory(
        environment=environment, credentials={"api_key": CANARY_SECRET}
    )
    api_key, _ = api_key_create(environment=environment, name="admin test key")
    log = RequestLog.objects.create(
        environment=environment,
        api_key=api_key,
        method="GET",
        path="/api/v1/check-api-key",
        status_code=200,
        integration_id=integration.pk,
        latency_ms=4,
    )
    return {
        Environment: environment,
        ApiKey: api_key,
        ScopeConfig: integration.scope_config,
        Integration: integration,
        CredentialVersion: CredentialVersion.objects.get(integration=integration),
        IntegrationEvent: IntegrationEvent.objects.filter(integration=integration).first(),  # type: ignore[dict-item]
        RequestLog: log,
    }


def _admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_it_registers_every_integrations_model() -> None:
    registered = {
        model for model in admin.site._registry if model._meta.app_label in {"core", "integrations"}
    }

    assert registered >= {
        Environment,
        ApiKey,
        ScopeConfig,
        Integration,
        CredentialVersion,
        IntegrationEvent,
        RequestLog,
    }


@pytest.mark.parametrize(
    "model",
    [
        Environment,
        ApiKey,
        ScopeConfig,
        Integration,
        CredentialVersion,
        IntegrationEvent,
        RequestLog,
    ],
)
def test_it_shows_changelist_and_change_page(
    superuser_client: Client, one_of_each: dict[type[Model], Model], model: type[Model]
) -> None:
    obj = one_of_each[model]

    changelist = superuser_client.get(_admin_url(model, "changelist"))
    change = superuser_client.get(_admin_url(model, "change", obj.pk))

    assert changelist.status_code == 200
    assert change.status_code == 200


def test_it_shows_the_admin_index(superuser_client: Client) -> None:
    assert superuser_client.get(reverse("admin:index")).status_code == 200


def test_it_never_shows_credentials(
    superuser_client: Client, one_of_each: dict[type[Model], Model]
) -> None:
    version = one_of_each[CredentialVersion]
    integration = one_of_each[Integration]
    assert isinstance(version, CredentialVersion)
    urls = [
        _admin_url(CredentialVersion, "change", version.pk),
        _admin_url(CredentialVersion, "changelist"),
        _admin_url(Integration, "change", integration.pk),
    ]

    for url in urls:
        html = superuser_client.get(url).content.decode()
        assert CANARY_SECRET not in html, url
        assert version.payload_encrypted not in html, url
        assert "payload" not in html.lower(), url


def test_it_offers_no_way_to_add_an_api_key(superuser_client: Client) -> None:
    response = superuser_client.get(_admin_url(ApiKey, "add"))

    assert response.status_code == 403


def test_it_cannot_edit_the_hash_of_an_api_key(
    superuser_client: Client, environment: Environment
) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="before")

    superuser_client.post(
        _admin_url(ApiKey, "change", api_key.pk), {"name": "after", "key_hash": "0" * 64}
    )

    api_key.refresh_from_db()
    assert api_key.name == "after"
    assert api_key.key_hash != "0" * 64
    assert api_key_authenticate(raw_key=raw_key) is not None


def test_it_revokes_api_keys_with_an_action(
    superuser_client: Client, environment: Environment
) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="leaked")

    superuser_client.post(
        _admin_url(ApiKey, "changelist"),
        {"action": "revoke_keys", "_selected_action": [api_key.pk]},
    )

    assert api_key_authenticate(raw_key=raw_key) is None


def test_it_disables_integrations_with_an_action_and_audits_it(
    superuser_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    superuser_client.post(
        _admin_url(Integration, "changelist"),
        {"action": "disable_integrations", "_selected_action": [integration.pk]},
    )

    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.INACTIVE
    event = IntegrationEvent.objects.get(integration=integration, kind=EventKind.DISABLED)
    assert event.actor_label == "operator"


def test_it_deletes_integrations_through_the_service(
    superuser_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    superuser_client.post(
        _admin_url(Integration, "changelist"),
        {"action": "delete_integrations", "_selected_action": [integration.pk]},
    )

    integration.refresh_from_db()
    assert integration.deleted_at is not None
    assert not CredentialVersion.objects.filter(integration=integration).exists()
    assert IntegrationEvent.objects.filter(integration=integration, kind=EventKind.DELETED).exists()


def test_it_adds_a_scope_config_but_keeps_existing_ones_read_only(
    superuser_client: Client, environment: Environment
) -> None:
    superuser_client.post(
        _admin_url(ScopeConfig, "add"),
        {
            "environment": environment.pk,
            "name": "Wider",
            "settings": '{"hris_teams": {"setting": "ENABLED", "fields": {}}}',
        },
    )
    scope_config = ScopeConfig.objects.get(environment=environment, name="Wider")

    superuser_client.post(
        _admin_url(ScopeConfig, "change", scope_config.pk),
        {"environment": environment.pk, "name": "Renamed", "settings": "{}"},
    )

    scope_config.refresh_from_db()
    assert scope_config.name == "Wider"
    assert scope_config.settings == {"hris_teams": {"setting": "ENABLED", "fields": {}}}


def test_it_creates_magic_links_in_bulk_with_a_target_scope_config(
    superuser_client: Client, environment: Environment, other_environment: Environment
) -> None:
    from integrations.models import ReconnectionLink
    from integrations.services import link_find
    from tests.support.factories import IntegrationFactory, ScopeConfigFactory

    ours = IntegrationFactory.create_batch(2, environment=environment)
    theirs = IntegrationFactory(environment=other_environment)
    wider = ScopeConfigFactory(environment=environment, name="Wider")
    selected = [i.pk for i in [*ours, theirs]]
    url = reverse("admin:integrations_integration_changelist")

    form = superuser_client.post(
        url, {"action": "create_magic_links", "_selected_action": selected}
    )
    assert "Target scope config" in form.content.decode()
    created = superuser_client.post(
        url,
        {
            "action": "create_magic_links",
            "_selected_action": selected,
            "apply": "1",
            "scope_config": wider.pk,
            "language": "de",
        },
    )

    html = created.content.decode()
    assert "no-store" in created["Cache-Control"]
    tokens = [part.split("<", 1)[0] for part in html.split("/connect/")[1:]]
    assert len(tokens) == 2
    links = [link_find(token=token) for token in tokens]
    assert {link.integration_id for link in links if link} == {i.pk for i in ours}
    assert all(link and link.target_scope_config_id == wider.pk for link in links)
    assert all(link and link.language == "de" for link in links)
    assert "Skipped" in html
    assert theirs.organization_name in html
    assert ReconnectionLink.objects.count() == 2

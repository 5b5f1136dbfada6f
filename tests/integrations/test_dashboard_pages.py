"""The operator dashboard: integrations list and page, actions, API keys, request logs."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.actors import Actor
from integrations.models import (
    ApiKey,
    CredentialSource,
    CredentialVersion,
    Environment,
    EventKind,
    Integration,
    IntegrationEvent,
    IntegrationStatus,
    RequestLog,
    SyncPausedReason,
)
from integrations.services import (
    api_key_authenticate,
    api_key_create,
    credential_version_add,
    integration_event_record,
)
from tests.support.factories import IntegrationFactory

CANARY_SECRET = "sbx_CANARY-d0-not-l3ak-7731"

pytestmark = pytest.mark.django_db


def _list_url(**params: str) -> str:
    url = reverse("dashboard:integration_list")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def _detail_url(integration: Integration) -> str:
    return reverse("dashboard:integration_detail", args=[integration.pk])


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/api-keys/",
        "/dashboard/logs/",
        "/dashboard/logs/abc/",
        "/dashboard/integrations/sandbox:abc/",
    ],
)
def test_it_requires_login(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_refuses_signed_in_users_who_are_not_staff(
    client: Client, django_user_model: type
) -> None:
    user = django_user_model.objects.create_user(username="customer", password="x")  # type: ignore[attr-defined]
    client.force_login(user)

    assert client.get("/dashboard/").status_code == 403


def test_it_lists_integrations_with_status_counts(
    operator_client: Client, environment: Environment
) -> None:
    active = IntegrationFactory(environment=environment, organization_name="Active Corp")
    IntegrationFactory(
        environment=environment,
        organization_name="Broken Corp",
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
    )
    deleted = IntegrationFactory(environment=environment, organization_name="Gone Corp")
    Integration.objects.filter(pk=deleted.pk).update(deleted_at=active.created_at)

    response = operator_client.get(_list_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Active Corp" in html
    assert "Broken Corp" in html
    assert "Gone Corp" not in html
    assert _detail_url(active) in html
    assert 'data-state-count="active">1<' in html
    assert 'data-state-count="invalid">1<' in html
    assert 'data-state-count="inactive">0<' in html
    assert "/static/tools/sandbox-icon.svg" in html


def test_it_filters_by_status_environment_and_tool(
    operator_client: Client, environment: Environment, other_environment: Environment
) -> None:
    IntegrationFactory(environment=environment, organization_name="Prod Active")
    IntegrationFactory(
        environment=environment, organization_name="Prod Invalid", status=IntegrationStatus.INVALID
    )
    IntegrationFactory(environment=other_environment, organization_name="Sandbox Active")

    by_status = operator_client.get(_list_url(state="invalid")).content.decode()
    by_environment = operator_client.get(_list_url(environment="sandbox")).content.decode()
    by_tool = operator_client.get(_list_url(tool="sandbox")).content.decode()

    assert "Prod Invalid" in by_status
    assert "Prod Active" not in by_status
    assert "Sandbox Active" not in by_status
    assert "Sandbox Active" in by_environment
    assert "Prod Active" not in by_environment
    assert all(name in by_tool for name in ("Prod Active", "Prod Invalid", "Sandbox Active"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organization_name", "Wonka"),
        ("creator_email", "charlie@wonka.example"),
        ("origin_id", "crm-4711"),
    ],
)
def test_it_searches_by_organisation_email_and_origin_id(
    operator_client: Client, environment: Environment, field: str, value: str
) -> None:
    IntegrationFactory(
        environment=environment,
        organization_name="Wonka Industries",
        creator_email="charlie@wonka.example",
        origin_id="crm-4711",
    )
    IntegrationFactory(environment=environment, organization_name="Other Corp")

    html = operator_client.get(_list_url(q=value)).content.decode()

    assert "Wonka Industries" in html
    assert "Other Corp" not in html


def test_it_searches_by_integration_id(operator_client: Client, environment: Environment) -> None:
    wanted = IntegrationFactory(environment=environment, organization_name="Wanted Corp")
    IntegrationFactory(environment=environment, organization_name="Other Corp")

    html = operator_client.get(_list_url(q=wanted.pk)).content.decode()

    assert "Wanted Corp" in html
    assert "Other Corp" not in html


def test_it_paginates_fifty_per_page(operator_client: Client, environment: Environment) -> None:
    IntegrationFactory.create_batch(55, environment=environment)

    first = operator_client.get(_list_url()).content.decode()
    second = operator_client.get(_list_url(page="2")).content.decode()

    assert first.count('class="row-link"') == 50
    assert "Page 1 of 2" in first
    assert second.count('class="row-link"') == 5
    assert "Page 2 of 2" in second


def test_it_ignores_unknown_filter_values(
    operator_client: Client, environment: Environment
) -> None:
    IntegrationFactory(environment=environment, organization_name="Still Listed")

    response = operator_client.get(
        _list_url(state="BOGUS", environment="nowhere", page="x", sort="nope")
    )

    assert response.status_code == 200
    assert "Still Listed" in response.content.decode()


def _list_query_count(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_list_url())
    assert response.status_code == 200
    return len(queries)


def test_it_lists_with_a_constant_number_of_queries(
    operator_client: Client, environment: Environment, other_environment: Environment
) -> None:
    IntegrationFactory.create_batch(5, environment=environment)
    few = _list_query_count(operator_client)

    IntegrationFactory.create_batch(100, environment=environment)
    IntegrationFactory.create_batch(95, environment=other_environment)
    many = _list_query_count(operator_client)

    assert few == many


def test_it_shows_the_integration_page(operator_client: Client, environment: Environment) -> None:
    integration = IntegrationFactory(
        environment=environment,
        organization_name="Detail Corp",
        creator_email="ops@detail.example",
        origin_id="crm-99",
        remote_account_id="acc_detail_42",
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        consecutive_auth_failures=4,
    )
    credential_version_add(
        integration=integration,
        credentials={"api_key": "sbx_rotated"},
        source=CredentialSource.RELINK_LINK,
        actor=Actor.customer(),
        set_by_user=None,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0 (RelinkBrowser)",
    )

    response = operator_client.get(_detail_url(integration))

    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Detail Corp",
        "ops@detail.example",
        "crm-99",
        "acc_detail_42",
        integration.scope_config.name,
        "production",
        "Sandbox HR",
        "Syncs are paused",
        "Employees",
        "hris_employees",
        "203.0.113.7",
        "Mozilla/5.0 (RelinkBrowser)",
        "Customer, through a reconnection link",
        "Credentials updated",
        "Integration created",
        "Disable integration",
    ):
        assert expected in html, expected


def test_it_404s_for_deleted_and_unknown_integrations(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)
    Integration.objects.filter(pk=integration.pk).update(deleted_at=integration.created_at)

    assert operator_client.get(_detail_url(integration)).status_code == 404
    assert operator_client.get("/dashboard/integrations/sandbox:nope/").status_code == 404


def _detail_query_count(client: Client, integration: Integration) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_detail_url(integration))
    assert response.status_code == 200
    return len(queries)


def test_it_shows_the_integration_page_with_a_constant_number_of_queries(
    operator_client: Client, environment: Environment, operator: object
) -> None:
    integration = IntegrationFactory(environment=environment)
    few = _detail_query_count(operator_client, integration)

    for index in range(60):
        credential_version_add(
            integration=integration,
            credentials={"api_key": f"sbx_{index}"},
            source=CredentialSource.OPERATOR,
            actor=Actor.operator(operator),  # type: ignore[arg-type]
            set_by_user=operator,
        )
        integration_event_record(
            integration=integration,
            kind=EventKind.STATUS_CHANGED,
            actor=Actor.system(),
            data={"from": "ACTIVE", "to": "INVALID"},
        )
    many = _detail_query_count(operator_client, integration)

    assert few == many


def test_it_disables_and_enables_an_integration(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment, organization_name="Toggle Corp")
    url = reverse("dashboard:integration_enabled_update", args=[integration.pk])

    response = operator_client.post(url, {"enabled": "false"}, follow=True)

    integration.refresh_from_db()
    assert integration.enabled is False
    assert integration.status == IntegrationStatus.INACTIVE
    assert "Toggle Corp is disabled" in response.content.decode()
    disabled = IntegrationEvent.objects.get(integration=integration, kind=EventKind.DISABLED)
    assert disabled.actor_type == "OPERATOR"
    assert disabled.actor_label == "operator"

    operator_client.post(url, {"enabled": "true"})

    integration.refresh_from_db()
    assert integration.enabled is True
    assert integration.status == IntegrationStatus.ACTIVE
    assert IntegrationEvent.objects.filter(integration=integration, kind=EventKind.ENABLED).exists()


def test_it_only_changes_state_with_post(operator_client: Client, environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    response = operator_client.get(
        reverse("dashboard:integration_enabled_update", args=[integration.pk])
    )

    assert response.status_code == 405
    integration.refresh_from_db()
    assert integration.enabled is True


def test_it_rejects_actions_without_csrf_token(environment: Environment, operator: object) -> None:
    integration = IntegrationFactory(environment=environment)
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)  # type: ignore[arg-type]

    response = client.post(
        reverse("dashboard:integration_enabled_update", args=[integration.pk]),
        {"enabled": "false"},
    )

    assert response.status_code == 403
    integration.refresh_from_db()
    assert integration.enabled is True


def test_it_deletes_an_integration_after_confirmation(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment, organization_name="Doomed Corp")
    url = reverse("dashboard:integration_delete", args=[integration.pk])

    confirmation = operator_client.get(url)

    assert confirmation.status_code == 200
    assert "Delete the integration with Doomed Corp?" in confirmation.content.decode()
    integration.refresh_from_db()
    assert integration.deleted_at is None

    response = operator_client.post(url, follow=True)

    integration.refresh_from_db()
    assert integration.deleted_at is not None
    assert not CredentialVersion.objects.filter(integration=integration).exists()
    deleted = IntegrationEvent.objects.get(integration=integration, kind=EventKind.DELETED)
    assert deleted.actor_label == "operator"
    assert response.redirect_chain[-1][0] == reverse("dashboard:integration_list")
    assert "Doomed Corp was deleted" in response.content.decode()
    assert operator_client.get(_detail_url(integration)).status_code == 404


def _created_key(html: str) -> str:
    match = re.search(r'<code id="new-api-key"[^>]*>(ks_[^<]+)</code>', html)
    assert match, "the new key is not on the page"
    return match.group(1)


def test_it_creates_an_api_key_and_shows_it_once(
    operator_client: Client, environment: Environment, operator: object
) -> None:
    response = operator_client.post(
        reverse("dashboard:api_key_list"), {"name": "Backend", "environment": "production"}
    )

    assert response.status_code == 200
    raw_key = _created_key(response.content.decode())
    api_key = ApiKey.objects.get(name="Backend")
    assert api_key.created_by == operator
    assert api_key.environment == environment
    assert "no-store" in response["Cache-Control"]
    assert raw_key not in operator_client.get(reverse("dashboard:api_key_list")).content.decode()
    assert raw_key not in str(operator_client.session.items())
    authenticated = api_key_authenticate(raw_key=raw_key)
    assert authenticated is not None
    assert authenticated.pk == api_key.pk


def test_it_refuses_an_api_key_without_a_name(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        reverse("dashboard:api_key_list"), {"name": "", "environment": "production"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_it_revokes_an_api_key(operator_client: Client, environment: Environment) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="Old backend")

    listing = operator_client.get(reverse("dashboard:api_key_list")).content.decode()
    assert "Old backend" in listing
    assert f"{api_key.prefix}…" in listing

    response = operator_client.post(
        reverse("dashboard:api_key_revoke", args=[api_key.pk]), follow=True
    )

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key_authenticate(raw_key=raw_key) is None
    assert "is revoked" in response.content.decode()


def test_it_never_shows_credentials_on_any_page(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment, credentials={"api_key": CANARY_SECRET}
    )
    log = RequestLog.objects.create(
        method="GET",
        path="/api/v1/integrations/x",
        status_code=200,
        integration_id=integration.pk,
        latency_ms=3,
    )
    payload = CredentialVersion.objects.get(integration=integration).payload_encrypted
    urls = [
        _list_url(),
        _list_url(q=integration.organization_name),
        _detail_url(integration),
        reverse("dashboard:integration_delete", args=[integration.pk]),
        reverse("dashboard:api_key_list"),
        reverse("dashboard:request_log_list"),
        reverse("dashboard:request_log_detail", args=[log.pk]),
    ]

    for url in urls:
        html = operator_client.get(url).content.decode()
        assert CANARY_SECRET not in html, url
        assert payload not in html, url


def test_it_shows_request_logs(operator_client: Client, environment: Environment) -> None:
    ok = RequestLog.objects.create(
        method="GET",
        path="/api/v1/check-api-key",
        status_code=200,
        integration_id="sandbox:abc",
        latency_ms=12,
    )
    failed = RequestLog.objects.create(
        method="POST",
        path="/api/v1/force-sync",
        status_code=404,
        integration_id="sandbox:xyz",
        error_code="PLATFORM.INTEGRATION_NOT_FOUND",
        latency_ms=7,
    )

    everything = operator_client.get(reverse("dashboard:request_log_list")).content.decode()
    by_status = operator_client.get("/dashboard/logs/?status_code=404").content.decode()
    by_integration = operator_client.get("/dashboard/logs/?integration_id=sandbox:abc").content
    detail = operator_client.get(reverse("dashboard:request_log_detail", args=[failed.pk]))

    assert "/api/v1/check-api-key" in everything
    assert "/api/v1/force-sync" in everything
    assert "/api/v1/force-sync" in by_status
    assert "/api/v1/check-api-key" not in by_status
    assert b"/api/v1/check-api-key" in by_integration
    assert b"/api/v1/force-sync" not in by_integration
    assert detail.status_code == 200
    assert "PLATFORM.INTEGRATION_NOT_FOUND" in detail.content.decode()
    assert failed.pk in detail.content.decode()
    assert ok.pk not in detail.content.decode()


def test_it_shows_the_log_of_a_request_with_an_odd_integration_id(
    operator_client: Client,
) -> None:
    log = RequestLog.objects.create(
        method="GET", path="/api/v1/x", status_code=400, integration_id="a/b c", latency_ms=1
    )

    response = operator_client.get(reverse("dashboard:request_log_detail", args=[log.pk]))

    assert response.status_code == 200
    assert "a/b c" in response.content.decode()


def test_it_404s_for_an_unknown_request_log(operator_client: Client) -> None:
    response = operator_client.get(reverse("dashboard:request_log_detail", args=["missing"]))

    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()


def test_it_renders_the_500_page_without_database_or_context(
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
) -> None:
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert "Something went wrong" in html

"""The site's pages as the browser tests walk them: one seeded world with something on every
dashboard page (integrations in every state, syncs with warnings, webhooks, logs, scope configs,
a migration, a relink link, an inspected request, an OAuth app), and the list of pages to visit
in it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from core.models import Environment, RequestLog
from core.services import api_key_create
from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    Integration,
    IntegrationStatus,
    LinkType,
    ScopeConfig,
)
from integrations.read_models import READ_MODELS
from integrations.services import (
    credential_version_add,
    integration_record_auth_result,
    integration_record_sync_finished,
    integration_set_enabled,
    relink_link_create,
    relink_link_revoke,
    scope_config_create,
    scope_config_migration_create,
)
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.base import AuthResult
from integrations.tools.sandbox import PERM_PERSONAL, SandboxOAuthTool
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import AuthCheck, AuthCheckTrigger, Sync, SyncState, SyncTrigger
from tests.support.factories import ALL_PERMISSIONS, IntegrationFactory
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import endpoint_create, event_emit
from webhooks.signing import signature_headers

REVOKED = "Sandbox HR rejected the API key (revoked or unknown)."
INSPECTOR_BIN = "narrow-screens"


@dataclass(frozen=True)
class Seeded:
    integration_id: str
    scope_config_id: str
    endpoint_id: str
    delivery_id: str
    request_log_id: str
    relink_path: str
    # An EMBEDDED relink link of an OAuth tool: "Continue to <Vendor>" instead of a form.
    oauth_relink_path: str
    migration_id: str
    # An integration in each of the list's states, and one whose last sync has warnings.
    integration_in_state: dict[str, str]
    sandbox_key_id: str
    api_key_id: str
    sync_id: str


@dataclass(frozen=True)
class PageCase:
    url: Callable[[Seeded], str]
    signed_in: bool = True
    # Text the page must show, so a filter matching nothing doesn't test an empty page instead.
    shows: str = ""


def _routed(case_id: str, url: Callable[[Seeded], str], shows: str = "") -> Any:
    return pytest.param(PageCase(url=url, shows=shows), id=case_id)


PAGES = [
    _routed("integration-list", lambda _: reverse("dashboard:integration_list")),
    _routed(
        "integration-list-filtered",
        lambda _: reverse("dashboard:integration_list") + "?q=initech&state=invalid",
        shows="Initech AG",
    ),
    _routed(
        "integration-invalid",
        lambda seeded: reverse("dashboard:integration_detail", args=[seeded.integration_id]),
        shows="INVALID",
    ),
    _routed(
        "integration-delete",
        lambda seeded: reverse("dashboard:integration_delete", args=[seeded.integration_id]),
    ),
    _routed("webhook-endpoints", lambda _: reverse("webhooks:endpoint_list")),
    _routed(
        "webhook-endpoint-edit",
        lambda seeded: reverse("webhooks:endpoint_edit", args=[seeded.endpoint_id]),
    ),
    _routed("webhook-deliveries", lambda _: reverse("webhooks:delivery_list")),
    _routed(
        "webhook-delivery",
        lambda seeded: reverse("webhooks:delivery_detail", args=[seeded.delivery_id]),
    ),
    _routed("api-keys", lambda _: reverse("dashboard:api_key_list")),
    _routed("oauth-apps", lambda _: reverse("dashboard:oauth_app_list"), shows="Saved here"),
    _routed(
        "api-key-revoke",
        lambda seeded: reverse("dashboard:api_key_revoke", args=[seeded.api_key_id]),
        shows="Revoke API key",
    ),
    _routed(
        "sync-log",
        lambda seeded: reverse("syncs:sync_detail", args=[seeded.sync_id]),
        shows="Data read",
    ),
    _routed("request-logs", lambda _: reverse("dashboard:request_log_list")),
    _routed(
        "request-log",
        lambda seeded: reverse("dashboard:request_log_detail", args=[seeded.request_log_id]),
    ),
    pytest.param(PageCase(url=lambda _: reverse("login"), signed_in=False), id="login"),
    pytest.param(PageCase(url=lambda seeded: seeded.relink_path, signed_in=False), id="connect"),
    pytest.param(
        PageCase(
            url=lambda seeded: seeded.oauth_relink_path,
            signed_in=False,
            shows="Continue to Sandbox HR (OAuth)",
        ),
        id="connect-oauth",
    ),
    _routed("scope-configs", lambda _: reverse("scope_configs:scope_config_list")),
    _routed(
        "scope-config-edit",
        lambda seeded: reverse("scope_configs:scope_config_edit", args=[seeded.scope_config_id]),
    ),
    _routed(
        "scope-config-migrate",
        lambda seeded: reverse("scope_configs:scope_config_migrate", args=[seeded.scope_config_id]),
    ),
    _routed(
        "scope-config-migration",
        lambda seeded: reverse(
            "scope_configs:scope_config_migration_detail", args=[seeded.migration_id]
        ),
        shows="Globex Corporation",
    ),
    _routed("sandbox-hr-control", lambda _: reverse("sandbox_control:overview")),
]


def _in_state(state: str, shows: str) -> Any:
    return _routed(
        f"integration-{state}",
        lambda seeded: reverse(
            "dashboard:integration_detail", args=[seeded.integration_in_state[state]]
        ),
        shows=shows,
    )


# The dashboard pages PAGES leaves out: the integration page in its other states, and pages
# only reached from a button (confirmations, the request inspector).
MORE_PAGES = [
    _in_state("active", "Globex Corporation"),
    _in_state("auth_failing", "Hooli Inc."),
    _in_state("inactive", "Umbrella SA"),
    _in_state("warnings", "Employees: 2 fields not readable"),
    _routed(
        "webhook-endpoint-delete",
        lambda seeded: reverse("webhooks:endpoint_delete", args=[seeded.endpoint_id]),
    ),
    _routed(
        "webhook-inspector",
        lambda _: reverse("webhooks:inspector", args=[INSPECTOR_BIN]),
        shows="integration-state-changed",
    ),
    _routed(
        "sandbox-hr-key-revoke",
        lambda seeded: reverse("sandbox_control:api_key_revoke", args=[seeded.sandbox_key_id]),
    ),
]


def _scope_settings(optional_fields: set[str]) -> dict[str, Any]:
    return {
        model.id: {
            "setting": "ENABLED",
            "fields": {
                name: "OPTIONAL" if name in optional_fields else "ENABLED" for name in model.fields
            },
        }
        for model in READ_MODELS.values()
    }


def _permission_warning(field_id: str) -> dict[str, Any]:
    """A warning as the sync runner stores it for a field the key cannot read."""
    return {
        "permission": PERM_PERSONAL,
        "model_id": "hris_employees",
        "field_id": field_id,
        "message": "Not all permissions are granted: Sandbox HR: the credentials cannot read "
        f"field '{field_id}' (needs '{PERM_PERSONAL}').",
    }


def _integration_with_history(environment: Environment, scope: ScopeConfig) -> Integration:
    """An INVALID integration with what its page shows: syncs with warnings, auth checks,
    reconnection links, several credential versions and the audit events of all that."""
    actor = Actor.system("tests")
    integration = IntegrationFactory(
        environment=environment,
        organization_name="Initech AG",
        creator_email="ops@initech.example",
        origin_id="customer-3",
        scope_config=scope,
    )
    credential_version_add(
        integration=integration,
        credentials={"api_key": "sbx_rotated"},
        source=CredentialSource.RELINK_LINK,
        actor=actor,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari",
    )
    now = timezone.now()
    Sync.objects.create(
        integration=integration,
        type="FULL",
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.PARTIALLY_FAILED,
        started_at=now - timedelta(days=5),
        finished_at=now - timedelta(days=5) + timedelta(seconds=42),
        progress=100,
        counts={"hris_employees": {"fetched": 57}, "hris_teams": {"fetched": 6}},
        warnings=["Not all permissions are granted: hris_employees.ssn needs employees:sensitive"],
    )
    for day in range(4, -1, -1):
        sync = Sync.objects.create(
            integration=integration,
            type="FULL",
            trigger=SyncTrigger.SCHEDULE,
            state=SyncState.AUTHENTICATION_FAILED,
            started_at=now - timedelta(days=day),
            finished_at=now - timedelta(days=day) + timedelta(seconds=1),
            error=REVOKED,
        )
        AuthCheck.objects.create(
            integration=integration,
            sync=sync,
            trigger=AuthCheckTrigger.SYNC,
            outcome="INVALID_CREDENTIALS",
            message=REVOKED,
            latency_ms=120 + day,
        )
        integration_record_auth_result(
            integration_id=integration.pk,
            result=AuthResult.invalid(REVOKED),
            now=now - timedelta(days=day),
        )
    revoked, _ = relink_link_create(
        integration=integration, link_type=LinkType.EMBEDDED, language="en", actor=actor
    )
    relink_link_revoke(link=revoked, actor=actor)
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.INVALID
    return integration


def _integrations_in_other_states(environment: Environment) -> dict[str, str]:
    failing = IntegrationFactory(environment=environment, organization_name="Hooli Inc.")
    integration_record_auth_result(integration_id=failing.pk, result=AuthResult.invalid(REVOKED))
    disabled = IntegrationFactory(environment=environment, organization_name="Umbrella SA")
    integration_set_enabled(integration=disabled, enabled=False, actor=Actor.system("tests"))
    warned = IntegrationFactory(environment=environment, organization_name="Acme GmbH")
    now = timezone.now()
    sync = Sync.objects.create(
        integration=warned,
        type="FULL",
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.PARTIALLY_FAILED,
        started_at=now - timedelta(minutes=3),
        finished_at=now - timedelta(minutes=2),
        progress=100,
        counts={"hris_employees": {"fetched": 31}, "hris_teams": {"fetched": 4}},
        warnings=[_permission_warning("date_of_birth"), _permission_warning("home_address")],
    )
    integration_record_sync_finished(
        integration_id=warned.pk,
        state=sync.state,
        finished_at=now - timedelta(minutes=2),
        warning_count=len(sync.warnings),
    )
    return {"auth_failing": failing.pk, "inactive": disabled.pk, "warnings": warned.pk}


def _inspected_request(environment: Environment) -> None:
    """A signed webhook, as the request inspector received it."""
    _, secret = endpoint_create(
        environment_id=environment.pk,
        url=f"https://hooks.example.com/inspector/{INSPECTOR_BIN}/",
        description="Inspector",
    )
    body = json.dumps(
        {
            "id": "evt_7Xk2P9mQ4rT8vW3yZ6aB1cD5",
            "type": "integration-state-changed",
            "data": {"integration_id": "sandbox:7Xk2P9mQ4rT8vW3yZ6aB1cD5", "state": "INVALID"},
        }
    )
    headers = signature_headers(
        secrets=[secret],
        message_id="evt_7Xk2P9mQ4rT8vW3yZ6aB1cD5",
        timestamp=timezone.now(),
        body=body,
    )
    response = Client().post(
        f"/inspector/{INSPECTOR_BIN}/", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200


def seed_site(environment: Environment) -> Seeded:
    default = scope_config_create(
        environment=environment, name="Default", settings=_scope_settings({"personal_email"})
    )
    wider = scope_config_create(
        environment=environment,
        name="Extended (all fields)",
        settings=_scope_settings({"personal_email", "mobile_phone_number", "date_of_birth"}),
    )
    account = sandbox_account_create(name="Initech AG", employees=5, seed=1)
    sandbox_key, _ = sandbox_api_key_create(
        account=account, name="kombo-site", permissions=ALL_PERMISSIONS
    )
    endpoint, _ = endpoint_create(
        environment_id=environment.pk,
        url="https://hooks.example.com/kombo",
        description="Production receiver",
        event_types=["integration-state-changed", "sync-finished"],
    )
    globex = IntegrationFactory(environment=environment, organization_name="Globex Corporation")
    integration = _integration_with_history(environment, default)
    event = event_emit(
        environment_id=environment.pk,
        type="sync-finished",
        data={"integration_id": integration.pk},
        integration_id=integration.pk,
    )
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=timezone.now(),
        request_headers={"content-type": "application/json", "webhook-id": event.pk},
        status_code=503,
        latency_ms=87,
        response_excerpt="Service Unavailable",
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED,
        attempt_count=1,
        last_status_code=503,
        last_error="HTTP 503 from the endpoint",
    )
    log = RequestLog.objects.create(
        environment=environment,
        method="POST",
        path=f"/api/v1/integrations/{integration.pk}/relink",
        status_code=400,
        integration_id=integration.pk,
        error_code="PLATFORM.INPUT_INVALID",
        latency_ms=23,
    )
    RequestLog.objects.create(
        environment=environment,
        method="GET",
        path="/api/v1/check-api-key",
        status_code=200,
        latency_ms=4,
    )
    _, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
        scope_config=wider,
    )
    migration, _ = scope_config_migration_create(
        scope_config=wider,
        integrations=Integration.objects.filter(organization_name="Globex Corporation"),
        selection_label="Globex, picked",
        language="en",
        send_email=False,
        actor=Actor.system("tests"),
    )
    _inspected_request(environment)
    oauth_app_save(
        environment_id=environment.pk,
        tool_id=SandboxOAuthTool.id,
        client_id="kombo-site-demo-app",
        client_secret="demo-client-secret",
    )
    oauth_integration = IntegrationFactory(
        environment=environment,
        tool=SandboxOAuthTool.id,
        organization_name="Wayne Enterprises",
        scope_config=default,
        credentials={"access_token": "sbxat_seeded", "refresh_token": "sbxrt_seeded"},
    )
    _, oauth_url = relink_link_create(
        integration=oauth_integration,
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
    )
    return Seeded(
        oauth_relink_path=oauth_url.removeprefix(settings.BASE_URL),
        migration_id=migration.pk,
        integration_id=integration.pk,
        scope_config_id=default.pk,
        endpoint_id=endpoint.pk,
        delivery_id=delivery.pk,
        request_log_id=log.pk,
        relink_path=url.removeprefix(settings.BASE_URL),
        integration_in_state={
            "active": globex.pk,
            "invalid": integration.pk,
            **_integrations_in_other_states(environment),
        },
        sandbox_key_id=sandbox_key.pk,
        api_key_id=api_key_create(environment=environment, name="Backend")[0].pk,
        sync_id=Sync.objects.filter(integration=integration).values_list("pk", flat=True)[0],
    )


def sign_in(page: Page, base_url: str, user: Any) -> None:
    """The operator's session cookie, without going through the sign-in page each time."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )

"""A world with something for every dashboard page and action to work on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings
from pytest_httpserver import HTTPServer

from core.models import Environment, RequestLog
from core.services import api_key_create
from integrations.actors import Actor
from integrations.models import LinkType, ReconnectionLink, ScopeConfigMigration, SyncType
from integrations.services import relink_link_create, scope_config_migration_create
from sandbox_hr.models import SandboxEmployee
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import Sync, SyncState, SyncTrigger
from tests.support.factories import IntegrationFactory, ScopeConfigFactory
from tests.support.roles import SANDBOX_PERMISSION, World
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import endpoint_create, event_emit


@pytest.fixture
def world(environment: Environment, httpserver: HTTPServer) -> Iterator[World]:
    # The sandbox connector's auth check reaches a server refusing the key: a real check that
    # leaves an AuthCheck row, without a live Sandbox HR.
    httpserver.expect_request("/sandbox-hr/api/v1/me").respond_with_json(
        {"error": "invalid key"}, status=401
    )
    scope_config = ScopeConfigFactory(environment=environment, name="Basic")
    integration = IntegrationFactory(environment=environment, scope_config=scope_config)
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    link, _ = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        scope_config=None,
        actor=Actor.system("tests"),
    )
    other = IntegrationFactory(environment=environment, scope_config=scope_config)
    migration, _ = scope_config_migration_create(
        scope_config=wide,
        integrations=[other],
        selection_label="one",
        language="en",
        send_email=False,
        actor=Actor.system("tests"),
    )
    endpoint, _ = endpoint_create(
        environment_id=environment.pk, url="https://receiver.example/hooks"
    )
    delivery = event_emit(
        environment_id=environment.pk,
        type="sync-finished",
        data={"integration_id": integration.pk},
        integration_id=integration.pk,
        only_endpoint=endpoint,
    ).deliveries.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempt_count=11
    )
    account = sandbox_account_create(name="Matrix GmbH", employees=2)
    sandbox_key, _ = sandbox_api_key_create(
        account=account, name="kombo-site", permissions=[SANDBOX_PERMISSION]
    )
    world = World(
        environment=environment,
        integration=integration,
        link=link,
        scope_config=scope_config,
        wide=wide,
        migration=migration,
        api_key=api_key_create(environment=environment, name="existing")[0],
        sync=Sync.objects.create(
            integration=integration,
            type=SyncType.FULL,
            trigger=SyncTrigger.SCHEDULE,
            state=SyncState.SUCCEEDED,
        ),
        request_log=RequestLog.objects.create(
            environment=environment,
            method="GET",
            path="/api/v1/check-api-key",
            status_code=200,
            latency_ms=3,
        ),
        endpoint=endpoint,
        failed_delivery=delivery,
        account=account,
        sandbox_key=sandbox_key,
    )
    world.before = {
        "links": ReconnectionLink.objects.count(),
        "migrations": ScopeConfigMigration.objects.count(),
        "employees": SandboxEmployee.objects.filter(account=account).count(),
        "deliveries": WebhookDelivery.objects.filter(endpoint=endpoint).count(),
        "secret": endpoint.secret_encrypted,
    }
    with override_settings(SANDBOX_HR_URL=httpserver.url_for("/sandbox-hr")):
        yield world

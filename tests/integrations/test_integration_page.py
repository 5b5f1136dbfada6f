"""The integration page: what it shows, a 404 for what is gone, and a constant number of
queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Environment
from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    EventKind,
    Integration,
    IntegrationStatus,
    SyncPausedReason,
)
from integrations.services import credential_version_add, integration_event_record
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def _detail_url(integration: Integration) -> str:
    return reverse("dashboard:integration_detail", args=[integration.pk])


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

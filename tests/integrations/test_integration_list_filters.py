"""The integrations list: counts per status, filters, search, pagination, and a constant number
of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Environment
from integrations.models import Integration, IntegrationStatus, SyncPausedReason
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def _list_url(**params: str) -> str:
    url = reverse("dashboard:integration_list")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def _detail_url(integration: Integration) -> str:
    return reverse("dashboard:integration_detail", args=[integration.pk])


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

"""A scrape costs the same number of queries however many integrations, links and deliveries
there are: Prometheus scrapes every few seconds (its docs' default scrape_interval is 1 m, 15 s
is common), so a per-row query would grow the load with the customer base."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import Environment
from integrations.models import LinkType
from tests.support.factories import IntegrationFactory, ScopeConfigFactory
from tests.support.metrics import METRICS_TOKEN, metrics_token
from tests.support.receivers import delivery_of_new_event
from tests.support.relink import relink_url
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db


def _grow_to(environment: Environment, integrations: int) -> None:
    scope_config = ScopeConfigFactory(environment=environment)
    endpoint, _ = endpoint_create(
        environment_id="env_webhook_tests", url="https://receiver.example/hooks"
    )
    for number in range(integrations):
        integration = IntegrationFactory(environment=environment, scope_config=scope_config)
        if number % 3 == 0:
            relink_url(integration, LinkType.MAGIC_LINK)
            delivery_of_new_event(endpoint)


def _scrape_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_it_scrapes_300_integrations_with_the_queries_of_3(
    client: Client, environment: Environment
) -> None:
    with metrics_token():
        _grow_to(environment, 3)
        few = _scrape_queries(client)
        _grow_to(environment, 297)
        many = _scrape_queries(client)

    assert len(many) == len(few)
    # Integrations per state, open links, the webhook backlog: one grouped query each.
    assert len(few) == 3

"""Requests are counted per route, the URL pattern's name, never per path: paths carry link
tokens and integration ids, and every distinct label value is a new time series (Prometheus
docs, "Instrumentation", Use labels: "do not use labels to store dimensions with high
cardinality ... such as user IDs")."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import ApiKey, Environment
from integrations.models import LinkType
from tests.support.factories import IntegrationFactory
from tests.support.metrics import metrics_token, scrape
from tests.support.relink import link_token, relink_url

pytestmark = pytest.mark.django_db


def test_it_counts_a_request_under_its_route_name(client: Client) -> None:
    with metrics_token():
        before = scrape()
        assert client.get("/accounts/login/").status_code == 200
        after = scrape()

    assert (
        after.moved_since(
            before, "kombo_http_requests_total", route="login", method="GET", status="200"
        )
        == 1
    )
    assert (
        after.moved_since(before, "kombo_http_request_duration_seconds_count", route="login") == 1
    )


def test_it_counts_api_calls_by_route_and_status_without_ids(
    client: Client, environment: Environment, api_key: tuple[ApiKey, str]
) -> None:
    integration = IntegrationFactory(environment=environment)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key[1]}"}
    route = {"route": "api-integration-detail", "method": "GET"}
    with metrics_token():
        before = scrape()
        assert client.get(f"/api/v1/integrations/{integration.pk}", **auth).status_code == 200
        assert client.get("/api/v1/integrations/acme:personio:nope", **auth).status_code == 404
        after = scrape()

    assert after.moved_since(before, "kombo_http_requests_total", **route, status="200") == 1
    assert after.moved_since(before, "kombo_http_requests_total", **route, status="404") == 1
    routes = after.label_values("kombo_http_requests_total", "route")
    assert not any(integration.pk in value or "nope" in value for value in routes)


def test_it_never_puts_a_link_token_in_a_label(client: Client, environment: Environment) -> None:
    token = link_token(relink_url(IntegrationFactory(environment=environment), LinkType.EMBEDDED))
    with metrics_token():
        before = scrape()
        assert client.get(f"/connect/{token}").status_code == 200
        assert client.get("/no/such/page/made-up-token").status_code == 404
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-tests")
        after = scrape()

    assert token not in response.content.decode()
    assert "made-up-token" not in response.content.decode()
    assert (
        after.moved_since(
            before,
            "kombo_http_requests_total",
            route="connect:link_form",
            method="GET",
            status="200",
        )
        == 1
    )
    assert (
        after.moved_since(
            before, "kombo_http_requests_total", route="unmatched", method="GET", status="404"
        )
        == 1
    )


def test_it_counts_a_made_up_method_as_other(client: Client) -> None:
    with metrics_token():
        before = scrape()
        assert client.generic("BREW", "/accounts/login/").status_code == 405
        after = scrape()

    assert after.label_values("kombo_http_requests_total", "method") <= {
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS",
        "other",
    }
    assert (
        after.moved_since(
            before, "kombo_http_requests_total", route="login", method="other", status="405"
        )
        == 1
    )

"""After its creation, no webhooks page shows an endpoint's secret."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_httpserver import HTTPServer

from core.models import Environment
from tests.support.factories import webhook_deliveries, webhook_endpoint
from webhooks.delivery import delivery_attempt

pytestmark = pytest.mark.django_db

LIST_URL = reverse("webhooks:endpoint_list")
DELIVERIES_URL = reverse("webhooks:delivery_list")


def test_it_never_shows_a_secret_after_creation(
    operator_client: Client, environment: Environment, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inspector/demo/").respond_with_json({"ok": True})
    endpoint, secret = webhook_endpoint(environment, url=httpserver.url_for("/inspector/demo/"))
    (delivery,) = webhook_deliveries(endpoint, 1)
    delivery_attempt(delivery_id=delivery.pk)
    raw_key = secret.removeprefix("whsec_")

    for url in (
        LIST_URL,
        reverse("webhooks:endpoint_edit", args=[endpoint.pk]),
        reverse("webhooks:endpoint_delete", args=[endpoint.pk]),
        DELIVERIES_URL,
        reverse("webhooks:delivery_detail", args=[delivery.pk]),
        reverse("webhooks:inspector", args=["demo"]),
    ):
        html = operator_client.get(url).content.decode()
        assert raw_key not in html, url
        assert "whsec_" not in html, url

"""The delivery log: filtered, newest first, 50 per page, and each delivery's attempts with
their errors."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_httpserver import HTTPServer

from core.models import Environment
from tests.support.factories import webhook_deliveries, webhook_endpoint
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = pytest.mark.django_db

DELIVERIES_URL = reverse("webhooks:delivery_list")


def test_it_filters_the_delivery_log(operator_client: Client, environment: Environment) -> None:
    one, _ = webhook_endpoint(environment, url="https://one.example/hooks")
    two, _ = webhook_endpoint(environment, url="https://two.example/hooks")
    (wanted,) = webhook_deliveries(
        one, 1, type="data-changed", integration_id="sandbox:wanted", status=DeliveryStatus.FAILED
    )
    webhook_deliveries(one, 1, type="data-changed", integration_id="sandbox:other")
    webhook_deliveries(one, 1, type="sync-finished", integration_id="sandbox:wanted")
    webhook_deliveries(two, 1, type="data-changed", integration_id="sandbox:wanted")

    def listed(**params: str) -> set[str]:
        html = operator_client.get(DELIVERIES_URL, params).content.decode()
        return set(re.findall(r"/dashboard/webhooks/deliveries/(\w{24})/", html))

    assert len(listed()) == 4
    assert len(listed(endpoint=one.pk)) == 3
    assert len(listed(event_type="data-changed")) == 3
    assert len(listed(integration_id="sandbox:wanted")) == 3
    assert listed(status="FAILED") == {wanted.pk}
    assert listed(endpoint=one.pk, event_type="data-changed", integration_id="sandbox:wanted") == {
        wanted.pk
    }
    assert len(listed(endpoint="unknown", status="BOGUS")) == 4


def test_it_lists_deliveries_newest_first_50_per_page(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment)
    deliveries = webhook_deliveries(endpoint, 55)
    base = timezone.now()
    for age, delivery in enumerate(deliveries):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            created_at=base - timedelta(minutes=age)
        )

    first = operator_client.get(DELIVERIES_URL).content.decode()
    second = operator_client.get(DELIVERIES_URL, {"page": "2"}).content.decode()

    first_ids = re.findall(r'href="/dashboard/webhooks/deliveries/(\w{24})/"', first)
    assert first_ids[0] == deliveries[0].pk
    assert len(first_ids) == 50
    assert "Page 1 of 2" in first
    assert len(re.findall(r'href="/dashboard/webhooks/deliveries/(\w{24})/"', second)) == 5


def test_it_shows_the_attempts_of_a_delivery(
    operator_client: Client, environment: Environment, httpserver: HTTPServer
) -> None:
    httpserver.expect_ordered_request("/hooks", method="POST").respond_with_data(
        "receiver exploded", status=500
    )
    httpserver.expect_ordered_request("/hooks", method="POST").respond_with_json({"ok": True})
    endpoint, _ = webhook_endpoint(environment, url=httpserver.url_for("/hooks"))
    (delivery,) = webhook_deliveries(endpoint, 1, type="integration-created")

    delivery_attempt(delivery_id=delivery.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        delivery_attempt(delivery_id=delivery.pk)

    response = operator_client.get(reverse("webhooks:delivery_detail", args=[delivery.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Attempt 1" in html
    assert "Attempt 2" in html
    assert ">500<" in html
    assert ">200<" in html
    assert "receiver exploded" in html
    assert "webhook-signature" in html
    assert "X-Kombo-Signature" in html
    assert "&quot;integration_id&quot;: &quot;sandbox:abc&quot;" in html
    assert "Delivered" in html
    assert "Redeliver" in html


def test_it_shows_the_error_of_an_attempt_without_response(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment, url="http://127.0.0.1:9/closed")
    (delivery,) = webhook_deliveries(endpoint, 1)

    delivery_attempt(delivery_id=delivery.pk)
    html = operator_client.get(reverse("webhooks:delivery_detail", args=[delivery.pk])).content

    assert b"No response" in html
    assert b"ConnectionError" in html
    assert b"Could not connect to the endpoint." in html

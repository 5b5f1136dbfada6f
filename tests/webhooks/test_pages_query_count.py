"""The endpoints, deliveries and delivery pages run as many queries for 40 rows as for 2."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from tests.support.factories import webhook_deliveries, webhook_endpoint
from webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = pytest.mark.django_db

LIST_URL = reverse("webhooks:endpoint_list")
DELIVERIES_URL = reverse("webhooks:delivery_list")


def _query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_renders_the_pages_with_a_constant_number_of_queries(
    operator_client: Client, environment: Environment
) -> None:
    def seed(count: int) -> WebhookDelivery:
        endpoint, _ = webhook_endpoint(environment, url=f"https://r{count}.example/hooks")
        deliveries = webhook_deliveries(
            endpoint, count, status=DeliveryStatus.FAILED, attempt_count=1
        )
        for delivery in deliveries:
            delivery.attempts.create(number=1, started_at=timezone.now(), latency_ms=5)
        for number in range(2, count + 1):
            deliveries[0].attempts.create(
                number=number, started_at=timezone.now(), status_code=500, latency_ms=5
            )
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            last_error="HTTP 500"
        )
        return deliveries[0]

    few_delivery = seed(2)
    few = [
        _query_count(operator_client, LIST_URL),
        _query_count(operator_client, DELIVERIES_URL),
        _query_count(operator_client, reverse("webhooks:delivery_detail", args=[few_delivery.pk])),
    ]
    many_delivery = seed(40)
    many = [
        _query_count(operator_client, LIST_URL),
        _query_count(operator_client, DELIVERIES_URL),
        _query_count(operator_client, reverse("webhooks:delivery_detail", args=[many_delivery.pk])),
    ]

    assert few == many

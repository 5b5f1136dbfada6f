"""The endpoints list: an endpoint disabled for failing stands out; each shows its last 24
hours' success rate and last error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from tests.support.factories import webhook_deliveries, webhook_endpoint
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

LIST_URL = reverse("webhooks:endpoint_list")


def test_it_shows_an_automatically_disabled_endpoint_prominently(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment, description="Flaky receiver")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        enabled=False,
        disabled_reason="Every delivery failed for 5 days.",
        disabled_at=timezone.now(),
    )

    html = operator_client.get(LIST_URL).content.decode()

    assert 'class="alert alert--error"' in html
    assert "Flaky receiver is disabled since" in html
    assert "Every delivery failed for 5 days." in html
    assert f"?endpoint={endpoint.pk}&amp;status=FAILED" in html


def test_it_shows_the_success_rate_and_last_error_of_the_last_24_hours(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment)
    webhook_deliveries(endpoint, 3, status=DeliveryStatus.DELIVERED, attempt_count=1)
    (failed,) = webhook_deliveries(
        endpoint, 1, status=DeliveryStatus.FAILED, attempt_count=11, last_error="HTTP 503"
    )
    webhook_deliveries(endpoint, 2, status=DeliveryStatus.PENDING)
    old = webhook_deliveries(endpoint, 5, status=DeliveryStatus.FAILED, attempt_count=11)
    WebhookDelivery.objects.filter(pk__in=[d.pk for d in old]).update(
        created_at=timezone.now() - timedelta(days=2)
    )

    html = operator_client.get(LIST_URL).content.decode()

    assert "75% delivered" in html
    assert "(3 of 4)" in html
    assert "HTTP 503" in html
    assert reverse("webhooks:delivery_detail", args=[failed.pk]) in html

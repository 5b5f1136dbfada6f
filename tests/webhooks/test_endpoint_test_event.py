"""The dashboard's "send a test event" reaches that endpoint only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment
from tests.support.factories import webhook_endpoint
from webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = pytest.mark.django_db


def test_it_sends_a_test_event_to_that_endpoint_only(
    operator_client: Client, environment: Environment
) -> None:
    target, _ = webhook_endpoint(environment, url="https://one.example/hooks")
    webhook_endpoint(environment, url="https://two.example/hooks")

    response = operator_client.post(reverse("webhooks:endpoint_send_test", args=[target.pk]))

    delivery = WebhookDelivery.objects.select_related("event").get()
    assert delivery.endpoint_id == target.pk
    assert delivery.event_type == "test"
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.event.payload["data"]["endpoint_id"] == target.pk
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:delivery_detail", args=[delivery.pk])
    page = operator_client.get(response["Location"]).content.decode()
    assert "Test event sent" in page
    assert "No attempt yet" in page

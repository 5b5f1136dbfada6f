"""Redelivering from the dashboard: one delivery, or every failed one since a time, of an
endpoint or of every environment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from tests.support.factories import webhook_deliveries, webhook_endpoint
from webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = pytest.mark.django_db


def test_it_redelivers_one_delivery(operator_client: Client, environment: Environment) -> None:
    endpoint, _ = webhook_endpoint(environment)
    (delivery,) = webhook_deliveries(endpoint, 1, status=DeliveryStatus.FAILED, attempt_count=11)
    url = reverse("webhooks:delivery_redeliver", args=[delivery.pk])

    response = operator_client.post(url)
    again = operator_client.post(url, follow=True)

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert delivery.status == DeliveryStatus.PENDING
    assert "already under way" in again.content.decode()


def test_it_redelivers_all_failed_deliveries_of_an_endpoint_since_a_time(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment, url="https://one.example/hooks")
    other, _ = webhook_endpoint(environment, url="https://two.example/hooks")
    recent = webhook_deliveries(endpoint, 2, status=DeliveryStatus.FAILED)
    (old,) = webhook_deliveries(endpoint, 1, status=DeliveryStatus.FAILED)
    WebhookDelivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    (delivered,) = webhook_deliveries(endpoint, 1, status=DeliveryStatus.DELIVERED)
    (elsewhere,) = webhook_deliveries(other, 1, status=DeliveryStatus.FAILED)
    since = timezone.localtime() - timedelta(days=1)

    response = operator_client.post(
        reverse("webhooks:deliveries_redeliver_failed"),
        {"redeliver-since": since.strftime("%Y-%m-%dT%H:%M"), "redeliver-endpoint": endpoint.pk},
        follow=True,
    )

    status = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert [status[d.pk] for d in recent] == [DeliveryStatus.PENDING] * 2
    assert status[old.pk] == DeliveryStatus.FAILED
    assert status[delivered.pk] == DeliveryStatus.DELIVERED
    assert status[elsewhere.pk] == DeliveryStatus.FAILED
    assert "2 failed deliveries since" in response.content.decode()


def test_it_redelivers_all_failed_deliveries_in_every_environment(
    operator_client: Client, environment: Environment, other_environment: Environment
) -> None:
    production, _ = webhook_endpoint(environment)
    sandbox, _ = webhook_endpoint(other_environment)
    failed = [
        *webhook_deliveries(production, 1, status=DeliveryStatus.FAILED),
        *webhook_deliveries(sandbox, 1, status=DeliveryStatus.FAILED),
    ]

    operator_client.post(
        reverse("webhooks:deliveries_redeliver_failed"),
        {"redeliver-since": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
    )

    assert set(
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in failed]).values_list(
            "status", flat=True
        )
    ) == {DeliveryStatus.PENDING}


def test_it_refuses_a_redelivery_without_a_time(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment)
    (failed,) = webhook_deliveries(endpoint, 1, status=DeliveryStatus.FAILED)

    response = operator_client.post(
        reverse("webhooks:deliveries_redeliver_failed"), {"redeliver-since": ""}, follow=True
    )

    assert "Choose a valid date and time" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED

"""Editing an endpoint from the dashboard: its URL (safe ones only), enabled or not, deleted
after confirmation."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core.models import Environment
from tests.support.factories import webhook_deliveries, webhook_endpoint
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db

LIST_URL = reverse("webhooks:endpoint_list")


def test_it_edits_an_endpoint(operator_client: Client, environment: Environment) -> None:
    endpoint, secret = webhook_endpoint(environment, description="Old name")
    edit_url = reverse("webhooks:endpoint_edit", args=[endpoint.pk])

    form = operator_client.get(edit_url).content.decode()
    response = operator_client.post(
        edit_url,
        {
            "url": "https://new.example/hooks",
            "description": "New name",
            "event_types": ["sync-finished"],
        },
    )

    assert "Old name" in form
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://new.example/hooks"
    assert endpoint.description == "New name"
    assert endpoint.event_types == ["sync-finished"]
    assert secret_decrypt(endpoint.secret_encrypted) == secret


@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
def test_it_refuses_an_unsafe_url_on_edit(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = endpoint_create(
        environment_id=environment.pk, url="https://93.184.215.14/hooks", description="Public"
    )

    response = operator_client.post(
        reverse("webhooks:endpoint_edit", args=[endpoint.pk]),
        {"url": "http://169.254.169.254/", "description": "Changed"},
    )

    assert response.status_code == 400
    assert "link-local" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/hooks"
    assert endpoint.description == "Public"


def test_it_disables_and_enables_an_endpoint(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment, description="Backend")
    url = reverse("webhooks:endpoint_enabled_update", args=[endpoint.pk])

    operator_client.post(url, {"enabled": "false"})
    endpoint.refresh_from_db()
    page = operator_client.get(LIST_URL).content.decode()

    assert not endpoint.enabled
    assert "Backend is disabled since" in page
    assert "Disabled by an operator." in page

    operator_client.post(url, {"enabled": "true"})
    endpoint.refresh_from_db()

    assert endpoint.enabled
    assert endpoint.disabled_reason == ""


def test_it_deletes_an_endpoint_after_confirmation(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = webhook_endpoint(environment, description="Old backend")
    webhook_deliveries(endpoint, 2)
    url = reverse("webhooks:endpoint_delete", args=[endpoint.pk])

    confirm = operator_client.get(url).content.decode()
    response = operator_client.post(url)

    assert "Delete this webhook endpoint?" in confirm
    assert "its 2 deliveries" in confirm
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert "Old backend” and its deliveries were deleted" in (
        operator_client.get(LIST_URL).content.decode()
    )

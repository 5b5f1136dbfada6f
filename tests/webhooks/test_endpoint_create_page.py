"""Creating an endpoint from the dashboard: its secret shown once, every event type by default,
unsafe URLs and unknown environments refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core.models import Environment
from webhooks.models import WebhookEndpoint
from webhooks.secrets import secret_decrypt

pytestmark = pytest.mark.django_db

SECRET_PATTERN = re.compile(r"whsec_[A-Za-z0-9+/=]{40,}")
LIST_URL = reverse("webhooks:endpoint_list")


def _create(client: Client, environment: Environment, **data: object) -> str:
    response = client.post(
        LIST_URL,
        {
            "url": "https://receiver.example/hooks",
            "description": "Backend",
            "environment": environment.pk,
            **data,
        },
    )
    return response.content.decode()


def test_it_creates_an_endpoint_and_shows_its_secret_once(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        LIST_URL,
        {
            "url": "https://receiver.example/hooks",
            "description": "Backend production",
            "environment": environment.pk,
            "event_types": ["integration-created", "integration-state-changed"],
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = SECRET_PATTERN.findall(html)
    assert len(shown) == 1
    assert "will not be shown again" in html
    endpoint = WebhookEndpoint.objects.get()
    assert secret_decrypt(endpoint.secret_encrypted) == shown[0]
    assert endpoint.url == "https://receiver.example/hooks"
    assert endpoint.environment_id == environment.pk
    assert endpoint.event_types == ["integration-created", "integration-state-changed"]

    again = operator_client.get(LIST_URL).content.decode()

    assert "Backend production" in again
    assert "whsec_" not in again
    assert "integration-state-changed" in again


def test_it_subscribes_to_all_types_when_none_is_checked(
    operator_client: Client, environment: Environment
) -> None:
    _create(operator_client, environment)

    assert WebhookEndpoint.objects.get().event_types == []
    html = operator_client.get(LIST_URL).content.decode()
    assert '<span class="muted">All</span>' in html


@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/x", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.5:8080/hooks", "private"),
        ("ftp://receiver.example/hooks", "Only http:// and https://"),
    ],
)
def test_it_refuses_unsafe_urls_and_creates_nothing(
    operator_client: Client, environment: Environment, url: str, reason: str
) -> None:
    response = operator_client.post(
        LIST_URL, {"url": url, "description": "Sneaky", "environment": environment.pk}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert reason in html
    assert 'class="field__error"' in html
    assert "whsec_" not in html
    assert not WebhookEndpoint.objects.exists()


def test_it_rejects_an_unknown_environment(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        LIST_URL, {"url": "https://receiver.example/hooks", "environment": "nope"}
    )

    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()

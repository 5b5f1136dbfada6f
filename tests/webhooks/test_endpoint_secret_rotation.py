"""Rotating an endpoint's secret from the dashboard: the new one shown once, never on a GET."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment
from tests.support.factories import webhook_endpoint
from webhooks.secrets import secret_decrypt

pytestmark = pytest.mark.django_db

SECRET_PATTERN = re.compile(r"whsec_[A-Za-z0-9+/=]{40,}")
LIST_URL = reverse("webhooks:endpoint_list")


def test_it_rotates_the_secret_and_shows_the_new_one_once(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, old_secret = webhook_endpoint(environment, description="Backend")

    response = operator_client.post(reverse("webhooks:endpoint_rotate_secret", args=[endpoint.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = SECRET_PATTERN.findall(html)
    assert len(shown) == 1
    assert old_secret not in html
    assert "The old secret keeps signing too for 24 hours" in html
    endpoint.refresh_from_db()
    assert secret_decrypt(endpoint.secret_encrypted) == shown[0]
    assert secret_decrypt(endpoint.secret_previous_encrypted) == old_secret
    assert "whsec_" not in operator_client.get(LIST_URL).content.decode()


def test_it_refuses_to_rotate_on_get(operator_client: Client, environment: Environment) -> None:
    endpoint, _ = webhook_endpoint(environment)

    response = operator_client.get(reverse("webhooks:endpoint_rotate_secret", args=[endpoint.pk]))

    assert response.status_code == 405

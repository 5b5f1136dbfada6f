"""The API keys page: a new key is shown once, a key needs a name, a revoked key stops working."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import ApiKey, Environment
from core.services import api_key_authenticate, api_key_create

pytestmark = pytest.mark.django_db


def _created_key(html: str) -> str:
    match = re.search(r'<code id="new-api-key"[^>]*>(ks_[^<]+)</code>', html)
    assert match, "the new key is not on the page"
    return match.group(1)


def test_it_creates_an_api_key_and_shows_it_once(
    operator_client: Client, environment: Environment, operator: object
) -> None:
    response = operator_client.post(
        reverse("dashboard:api_key_list"), {"name": "Backend", "environment": "production"}
    )

    assert response.status_code == 200
    raw_key = _created_key(response.content.decode())
    api_key = ApiKey.objects.get(name="Backend")
    assert api_key.created_by == operator
    assert api_key.environment == environment
    assert "no-store" in response["Cache-Control"]
    assert raw_key not in operator_client.get(reverse("dashboard:api_key_list")).content.decode()
    assert raw_key not in str(operator_client.session.items())
    authenticated = api_key_authenticate(raw_key=raw_key)
    assert authenticated is not None
    assert authenticated.pk == api_key.pk


def test_it_refuses_an_api_key_without_a_name(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        reverse("dashboard:api_key_list"), {"name": "", "environment": "production"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_it_revokes_an_api_key(operator_client: Client, environment: Environment) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="Old backend")

    listing = operator_client.get(reverse("dashboard:api_key_list")).content.decode()
    assert "Old backend" in listing
    assert f"{api_key.prefix}…" in listing

    response = operator_client.post(
        reverse("dashboard:api_key_revoke", args=[api_key.pk]), follow=True
    )

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key_authenticate(raw_key=raw_key) is None
    assert "is revoked" in response.content.decode()

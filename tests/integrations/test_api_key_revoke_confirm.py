"""Revoking an API key from the dashboard asks first, naming the key, as revoking a Sandbox HR
key does; only the confirmation's POST revokes (RFC 9110 §9.2.1: a GET is safe)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import ApiKey, Environment
from core.services import api_key_authenticate, api_key_create

pytestmark = pytest.mark.django_db


def test_it_asks_before_revoking_and_names_the_key(
    operator_client: Client, environment: Environment
) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="Backend production")
    listing = operator_client.get(reverse("dashboard:api_key_list")).content.decode()
    [revoke_url] = re.findall(r'<a [^>]*href="([^"]+/revoke/)"[^>]*>Revoke…</a>', listing)

    confirmation = operator_client.get(revoke_url)

    page = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert "Revoke API key “Backend production”?" in page
    assert f"{api_key.prefix}…" in page
    assert "production" in page
    assert api_key_authenticate(raw_key=raw_key) is not None
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is None

    revoked = operator_client.post(revoke_url, follow=True)

    assert "API key “Backend production” is revoked" in revoked.content.decode()
    assert api_key_authenticate(raw_key=raw_key) is None


def test_it_says_when_a_key_is_already_revoked(
    operator_client: Client, environment: Environment
) -> None:
    api_key, _ = api_key_create(environment=environment, name="Old backend")
    url = reverse("dashboard:api_key_revoke", args=[api_key.pk])
    operator_client.post(url)

    confirmation = operator_client.get(url).content.decode()
    again = operator_client.post(url, follow=True).content.decode()

    assert "API key “Old backend” is already revoked" in confirmation
    assert "<form" not in confirmation.split('aria-labelledby="confirm-title"', 1)[1]
    assert "was already revoked; nothing changed" in again


def test_it_404s_for_an_unknown_key(operator_client: Client) -> None:
    response = operator_client.get(reverse("dashboard:api_key_revoke", args=["nope"]))

    assert response.status_code == 404

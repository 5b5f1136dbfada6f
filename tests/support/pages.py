"""Dashboard pages as a signed-in test client sees them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from integrations.models import Integration


def integration_page(client: Client, integration: Integration) -> str:
    """The integration page's HTML; fails unless it answered 200."""
    response = client.get(reverse("dashboard:integration_detail", args=[integration.pk]))
    assert response.status_code == 200
    return response.content.decode()

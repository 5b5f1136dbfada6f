"""The webhooks pages are for signed-in operators: anyone else is sent to sign in, or refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_URL = reverse("webhooks:endpoint_list")
DELIVERIES_URL = reverse("webhooks:delivery_list")


@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        DELIVERIES_URL,
        "/dashboard/webhooks/deliveries/abc/",
        "/dashboard/webhooks/endpoints/abc/edit/",
        "/dashboard/webhooks/inspector/demo/",
    ],
)
def test_it_requires_a_signed_in_operator(
    client: Client, django_user_model: type, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

    customer = django_user_model.objects.create_user(username="customer", password="x")  # type: ignore[attr-defined]
    client.force_login(customer)
    assert client.get(url).status_code == 403

"""Dashboard pages are for signed-in staff: anyone else is sent to sign in, or refused."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/api-keys/",
        "/dashboard/oauth-apps/",
        "/dashboard/logs/",
        "/dashboard/logs/abc/",
        "/dashboard/integrations/sandbox:abc/",
    ],
)
def test_it_requires_login(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_refuses_signed_in_users_who_are_not_staff(
    client: Client, django_user_model: type
) -> None:
    user = django_user_model.objects.create_user(username="customer", password="x")  # type: ignore[attr-defined]
    client.force_login(user)

    assert client.get("/dashboard/").status_code == 403

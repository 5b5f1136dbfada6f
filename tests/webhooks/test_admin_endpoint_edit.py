"""Editing a webhook endpoint in the Django admin follows the dashboard's rules: only Kombo's
event types (Kombo's webhooks page lists them: integration-created, sync-finished, ...; it has
no `employee-hired`), the
signing secret kept, and only roles that may change endpoints (issue 14: Admin) can do it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from core.roles import Role
from tests.support.receivers import ENVIRONMENT_ID
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint() -> WebhookEndpoint:
    endpoint, _ = endpoint_create(
        environment_id=ENVIRONMENT_ID, url="https://hooks.example.com/kombo", description="Old"
    )
    return endpoint


def _change(client: Client, endpoint: WebhookEndpoint, event_types: str) -> object:
    return client.post(
        f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/",
        {"description": "New", "event_types": event_types},
    )


def test_it_saves_kombo_event_types_and_keeps_the_secret(
    role_client: Callable[[Role | None], Client], endpoint: WebhookEndpoint
) -> None:
    secret_before = endpoint.secret_encrypted

    response = _change(role_client(Role.ADMIN), endpoint, '["sync-finished", "data-changed"]')

    assert response.status_code == 302  # type: ignore[attr-defined]
    endpoint.refresh_from_db()
    assert (endpoint.description, endpoint.event_types) == (
        "New",
        ["data-changed", "sync-finished"],
    )
    assert endpoint.secret_encrypted == secret_before


def test_it_refuses_an_event_type_kombo_does_not_send(
    role_client: Callable[[Role | None], Client], endpoint: WebhookEndpoint
) -> None:
    response = _change(role_client(Role.ADMIN), endpoint, '["employee-hired"]')

    assert response.status_code == 200  # type: ignore[attr-defined]
    # Django's admin re-shows the form with its own error note when a field is refused.
    assert "Please correct the error below." in response.content.decode()  # type: ignore[attr-defined]
    endpoint.refresh_from_db()
    assert (endpoint.description, endpoint.event_types) == ("Old", [])


def test_it_refuses_the_operator_role(
    role_client: Callable[[Role | None], Client], endpoint: WebhookEndpoint
) -> None:
    response = _change(role_client(Role.OPERATOR), endpoint, '["sync-finished"]')

    assert response.status_code == 403  # type: ignore[attr-defined]
    endpoint.refresh_from_db()
    assert endpoint.description == "Old"


def test_it_deletes_through_the_admin_for_the_admin_role(
    role_client: Callable[[Role | None], Client], endpoint: WebhookEndpoint
) -> None:
    response = role_client(Role.ADMIN).post(
        f"/admin/webhooks/webhookendpoint/{endpoint.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()

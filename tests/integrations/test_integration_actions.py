"""The integration page's actions: disable, enable and delete, only by a POST carrying the CSRF
token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment
from integrations.models import (
    CredentialVersion,
    EventKind,
    Integration,
    IntegrationEvent,
    IntegrationStatus,
)
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def _detail_url(integration: Integration) -> str:
    return reverse("dashboard:integration_detail", args=[integration.pk])


def test_it_disables_and_enables_an_integration(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment, organization_name="Toggle Corp")
    url = reverse("dashboard:integration_enabled_update", args=[integration.pk])

    response = operator_client.post(url, {"enabled": "false"}, follow=True)

    integration.refresh_from_db()
    assert integration.enabled is False
    assert integration.status == IntegrationStatus.INACTIVE
    assert "Toggle Corp is disabled" in response.content.decode()
    disabled = IntegrationEvent.objects.get(integration=integration, kind=EventKind.DISABLED)
    assert disabled.actor_type == "OPERATOR"
    assert disabled.actor_label == "operator"

    operator_client.post(url, {"enabled": "true"})

    integration.refresh_from_db()
    assert integration.enabled is True
    assert integration.status == IntegrationStatus.ACTIVE
    assert IntegrationEvent.objects.filter(integration=integration, kind=EventKind.ENABLED).exists()


def test_it_only_changes_state_with_post(operator_client: Client, environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    response = operator_client.get(
        reverse("dashboard:integration_enabled_update", args=[integration.pk])
    )

    assert response.status_code == 405
    integration.refresh_from_db()
    assert integration.enabled is True


def test_it_deletes_an_integration_after_confirmation(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment, organization_name="Doomed Corp")
    url = reverse("dashboard:integration_delete", args=[integration.pk])

    confirmation = operator_client.get(url)

    assert confirmation.status_code == 200
    assert "Delete the integration with Doomed Corp?" in confirmation.content.decode()
    integration.refresh_from_db()
    assert integration.deleted_at is None

    response = operator_client.post(url, follow=True)

    integration.refresh_from_db()
    assert integration.deleted_at is not None
    assert not CredentialVersion.objects.filter(integration=integration).exists()
    deleted = IntegrationEvent.objects.get(integration=integration, kind=EventKind.DELETED)
    assert deleted.actor_label == "operator"
    assert response.redirect_chain[-1][0] == reverse("dashboard:integration_list")
    assert "Doomed Corp was deleted" in response.content.decode()
    assert operator_client.get(_detail_url(integration)).status_code == 404

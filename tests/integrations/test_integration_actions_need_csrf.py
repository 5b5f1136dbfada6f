"""The dashboard's actions on an integration refuse a POST without the CSRF token, and change
nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment
from integrations.services import link_find
from tests.support.factories import IntegrationFactory
from tests.support.relink import integration_snapshot, relink_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_refuses_csrf_less_posts_to_the_dashboard_actions_on_an_integration(
    environment: Environment, operator: object
) -> None:
    integration = IntegrationFactory(environment=environment)
    url = relink_url(integration)
    link = link_find(token=url.rsplit("/", 1)[1])
    assert link is not None
    before = integration_snapshot(integration)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(operator)  # type: ignore[arg-type]
    base = f"/dashboard/integrations/{integration.pk}"

    answers = [
        browser.post(f"{base}/relink/", {"link_type": "MAGIC_LINK", "language": "en"}),
        browser.post(f"/dashboard/reconnection-links/{link.pk}/revoke/"),
        browser.post(f"{base}/enabled/", {"enabled": "false"}),
        browser.post(f"{base}/delete/"),
        browser.post(f"{base}/sync/"),
    ]

    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert integration_snapshot(integration) == before
    assert integration.enabled
    assert integration.deleted_at is None


def test_it_rejects_actions_without_csrf_token(environment: Environment, operator: object) -> None:
    integration = IntegrationFactory(environment=environment)
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)  # type: ignore[arg-type]

    response = client.post(
        reverse("dashboard:integration_enabled_update", args=[integration.pk]),
        {"enabled": "false"},
    )

    assert response.status_code == 403
    integration.refresh_from_db()
    assert integration.enabled is True

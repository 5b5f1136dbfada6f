"""Deleting an integration revokes its open links, whichever way it is deleted (Kombo's
`DELETE /integrations/{id}`, the dashboard, the Django admin): a customer opening one gets the
unusable page, never the form with the organisation's name. Each revoke leaves an audit row,
as a revoke by hand does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import EventKind, Integration, LinkType, ReconnectionLink
from integrations.services import relink_link_create
from tests.support.factories import IntegrationFactory

OPERATOR = Actor.system("tests")
ORGANISATION = "Zebrafish Logistics GmbH"


def _delete_through_api(integration: Integration, api_key: str, operator_client: Client) -> None:
    response = Client(HTTP_AUTHORIZATION=f"Bearer {api_key}").delete(
        f"/api/v1/integrations/{integration.pk}"
    )
    assert response.status_code == 200, response.content


def _delete_through_dashboard(
    integration: Integration, api_key: str, operator_client: Client
) -> None:
    response = operator_client.post(f"/dashboard/integrations/{integration.pk}/delete/")
    assert response.status_code == 302


def _delete_through_admin(integration: Integration, api_key: str, operator_client: Client) -> None:
    response = operator_client.post(
        "/admin/integrations/integration/",
        {"action": "delete_integrations", "_selected_action": [integration.pk]},
    )
    assert response.status_code == 302


DELETERS: dict[str, Callable[[Integration, str, Client], None]] = {
    "api": _delete_through_api,
    "dashboard": _delete_through_dashboard,
    "admin": _delete_through_admin,
}


def _link(integration: Integration, link_type: LinkType) -> tuple[ReconnectionLink, str]:
    link, url = relink_link_create(
        integration=integration, link_type=link_type, language="en", actor=OPERATOR
    )
    return link, urlsplit(url).path


@pytest.mark.parametrize("deleter", DELETERS.values(), ids=DELETERS.keys())
def test_it_revokes_the_open_links_of_a_deleted_integration(
    deleter: Callable[[Integration, str, Client], None],
    environment: Environment,
    api_key: tuple[ApiKey, str],
    operator_client: Client,
) -> None:
    integration = IntegrationFactory(environment=environment, organization_name=ORGANISATION)
    magic, magic_path = _link(integration, LinkType.MAGIC_LINK)
    embedded, embedded_path = _link(integration, LinkType.EMBEDDED)
    expired, _ = _link(integration, LinkType.MAGIC_LINK)
    ReconnectionLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    customer = Client()
    assert ORGANISATION in customer.get(magic_path).content.decode()

    deleter(integration, api_key[1], operator_client)

    for link in (magic, embedded):
        link.refresh_from_db()
        assert link.revoked_at is not None
    expired.refresh_from_db()
    assert expired.revoked_at is None
    revokes = integration.events.filter(kind=EventKind.LINK_REVOKED)
    assert sorted(event.data["link_id"] for event in revokes) == sorted([magic.pk, embedded.pk])
    deleted = integration.events.get(kind=EventKind.DELETED)
    assert {(event.actor_type, event.actor_label) for event in revokes} == {
        (deleted.actor_type, deleted.actor_label)
    }
    for path in (magic_path, embedded_path):
        page = customer.get(path)
        assert page.status_code == 404
        assert "This link can't be used" in page.content.decode()
        assert ORGANISATION not in page.content.decode()


def test_it_hides_the_form_of_links_a_delete_left_open_before(
    environment: Environment,
) -> None:
    """Links of integrations deleted before deletes revoked them are still open in the
    database: the customer still gets the unusable page."""
    integration = IntegrationFactory(environment=environment, organization_name=ORGANISATION)
    _, path = _link(integration, LinkType.MAGIC_LINK)
    Integration.objects.filter(pk=integration.pk).update(deleted_at=timezone.now())

    page = Client().get(path)

    assert page.status_code == 404
    assert ORGANISATION not in page.content.decode()

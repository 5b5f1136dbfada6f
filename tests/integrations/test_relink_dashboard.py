"""The integration page's "Relink integration" section: create (shown once), list, revoke."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import Environment
from integrations.models import LinkType, ReconnectionLink
from integrations.services import link_find
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_link_shown_once_and_lists_it(
    client: Client, operator: object, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment)
    wider = ScopeConfigFactory(environment=environment, name="Wider")

    created = client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "MAGIC_LINK", "language": "fr", "scope_config": wider.pk},
        follow=True,
    )

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    html = created.content.decode()
    token = html.split("/connect/", 1)[1].split("<", 1)[0]
    link = link_find(token=token)
    assert link is not None
    assert (link.link_type, link.language, link.target_scope_config_id) == (
        LinkType.MAGIC_LINK,
        "fr",
        wider.pk,
    )
    assert "Wider" in html
    page = client.get(f"/dashboard/integrations/{integration.pk}/").content.decode()
    assert "Relink integration" in page
    assert "Not opened yet" in page
    assert token not in page


def test_it_refuses_a_scope_config_of_another_environment(
    client: Client, operator: object, environment: Environment, other_environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment)
    foreign = ScopeConfigFactory(environment=other_environment, name="Foreign")

    response = client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "MAGIC_LINK", "language": "en", "scope_config": foreign.pk},
        follow=True,
    )

    assert "Select a valid choice" in response.content.decode()
    assert not ReconnectionLink.objects.exists()


def test_it_revokes_an_open_link(
    client: Client, operator: object, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment)
    client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "EMBEDDED", "language": "en"},
    )
    link = ReconnectionLink.objects.get()

    response = client.post(f"/dashboard/reconnection-links/{link.pk}/revoke/", follow=True)

    assert "no longer works" in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_it_needs_a_logged_in_operator(client: Client, environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    response = client.post(
        f"/dashboard/integrations/{integration.pk}/relink/", {"link_type": "EMBEDDED"}
    )

    assert response.status_code == 302
    assert not ReconnectionLink.objects.exists()


def test_it_emails_the_link_to_the_customer_in_the_links_language(
    client: Client, operator: object, environment: Environment
) -> None:
    from django.core import mail

    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment, creator_email="hr@acme.example")

    created = client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "MAGIC_LINK", "language": "it", "send_email": "on"},
        follow=True,
    )

    assert "Sent by email to hr@acme.example" in created.content.decode()
    [message] = mail.outbox
    assert message.to == ["hr@acme.example"]
    assert message.subject == "Ricollega Sandbox HR"
    token = created.content.decode().split("/connect/", 1)[1].split("<", 1)[0]
    assert f"/connect/{token}" in message.body
    assert "Il link funziona una sola volta" in message.body

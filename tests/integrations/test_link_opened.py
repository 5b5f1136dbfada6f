"""When a customer first opens a link, the link says so (a migration's progress counts it as
OPENED) and the integration's audit trail shows it, once, however often the page is loaded.

Sources: DESIGN.md (IntegrationEvent, "the audit trail: every state change ... link created/
revoked/completed") and STYLE.md rule 6 ("every state change leaves a row someone can read
later"); OPENED is one of the states the published OpenAPI schema lists for links."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.models import Environment
from integrations.actors import Actor
from integrations.models import ActorType, EventKind, IntegrationEvent, LinkType, ReconnectionLink
from integrations.services import connect_link_create, link_open, relink_link_create
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

pytestmark = pytest.mark.django_db


def test_it_records_the_first_opening_of_a_relink_link_in_the_audit_trail(
    environment: Environment,
) -> None:
    integration = IntegrationFactory(environment=environment)
    link, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
    )

    for _ in range(2):
        assert Client().get(urlsplit(url).path).status_code == 200

    link.refresh_from_db()
    assert link.opened_at is not None
    opened = IntegrationEvent.objects.filter(integration=integration, kind=EventKind.LINK_OPENED)
    assert [(event.actor_type, event.data) for event in opened] == [
        (ActorType.CUSTOMER, {"link_id": link.pk})
    ]


def test_it_marks_a_connect_link_opened_once_without_an_integration_to_audit(
    environment: Environment,
) -> None:
    link, _ = connect_link_create(
        environment_id=environment.pk,
        organization_name="Acme",
        email="hr@acme.example",
        origin_id=None,
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
    )

    assert link_open(link=link) is True
    assert link_open(link=link) is False

    assert ReconnectionLink.objects.get(pk=link.pk).opened_at is not None
    assert not IntegrationEvent.objects.filter(kind=EventKind.LINK_OPENED).exists()

"""A link's state is one rule, asked in Python (`state_at`) and in SQL (`link_state_expression`,
which the migration pages count by), and both give the state DESIGN.md describes: single use,
1 hour or 1 year, revocable; a used link stays completed after it expires, a revoked one stays
revoked. The API words them as its published schema (`/api/v1/schema/`) says: `OPEN`, `USED`,
`REVOKED` and `EXPIRED`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkState, LinkType, ReconnectionLink, link_state_expression
from integrations.services import relink_link_create
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def _link(environment: Environment) -> ReconnectionLink:
    link, _ = relink_link_create(
        integration=IntegrationFactory(environment=environment),
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
    )
    return link


def test_it_gives_each_link_its_state_in_python_and_in_sql(environment: Environment) -> None:
    now = timezone.now()
    later = now + timedelta(hours=2)
    links = {name: _link(environment) for name in ("sent", "opened", "used", "revoked", "late")}
    ReconnectionLink.objects.filter(pk=links["opened"].pk).update(opened_at=now)
    ReconnectionLink.objects.filter(pk=links["used"].pk).update(used_at=now)
    ReconnectionLink.objects.filter(pk=links["revoked"].pk).update(revoked_at=now)
    expected_now = {
        "sent": LinkState.SENT,
        "opened": LinkState.OPENED,
        "used": LinkState.COMPLETED,
        "revoked": LinkState.REVOKED,
        "late": LinkState.SENT,
    }
    # Two hours on, the 1-hour embedded links that were still open have expired.
    expected_later = expected_now | {"sent": LinkState.EXPIRED, "opened": LinkState.EXPIRED}
    expected_later["late"] = LinkState.EXPIRED

    for moment, expected in ((now, expected_now), (later, expected_later)):
        states = dict(
            ReconnectionLink.objects.annotate(state=link_state_expression(moment)).values_list(
                "pk", "state"
            )
        )
        for name, link in links.items():
            link.refresh_from_db()
            assert link.state_at(moment) == expected[name], name
            assert states[link.pk] == expected[name], name


def test_it_words_the_states_as_the_api_does(
    environment: Environment, api_key: tuple[object, str]
) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")
    links = [_link(environment) for _ in range(3)]
    ReconnectionLink.objects.filter(pk=links[0].pk).update(opened_at=timezone.now())
    ReconnectionLink.objects.filter(pk=links[1].pk).update(used_at=timezone.now())
    ReconnectionLink.objects.filter(pk=links[2].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    states = {
        link.pk: api.get(f"/api/v1/integrations/{link.integration_id}/reconnection-links").json()[
            "data"
        ][0]["state"]
        for link in links
    }

    assert [states[link.pk] for link in links] == ["OPEN", "USED", "EXPIRED"]
    # The words are the ones the published OpenAPI schema promises developers.
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    published = schema["components"]["schemas"]["ReconnectionLinkStateEnum"]["enum"]
    assert set(states.values()) <= set(published)

"""Completing one reconnection link revokes the integration's other open ones.

Kombo's reconnection guide (docs.kombo.dev/connect/reconnection): the customer uses the link
"to update the credentials of the integration. Once they have reconnected successfully, syncs
will run using the newly entered credentials." Once that happened, an older link still lying
in a mailbox must not swap the credentials again: it is revoked with the completion (one
transaction, an audit event each, with why), the operator's links table shows it revoked,
and the customer opening it reads the "replaced by a newer one" page.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import EventKind, IntegrationEvent, LinkKind, LinkType, ReconnectionLink
from integrations.services import (
    LinkOutcome,
    connect_link_create,
    relink_link_complete,
    relink_link_create,
    relink_link_revoke,
)
from sandbox_hr.services import sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, ScopeConfigFactory, sandbox_integration
from tests.support.relink import broken_integration
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")


def _link(
    integration: Any, link_type: LinkType = LinkType.MAGIC_LINK, scope_config: Any = None
) -> tuple[Any, str]:
    link, url = relink_link_create(
        integration=integration,
        link_type=link_type,
        language="de",
        actor=OPERATOR,
        scope_config=scope_config,
    )
    return link, "/connect/" + url.rsplit("/", 1)[1]


def test_it_revokes_the_other_open_links_when_one_is_completed(
    sandbox_hr: None, environment: Environment, operator_client: Client
) -> None:
    setup = broken_integration(environment)
    older, older_path = _link(setup.integration)
    embedded, _ = _link(setup.integration, LinkType.EMBEDDED)
    already_revoked, _ = _link(setup.integration)
    relink_link_revoke(link=already_revoked, actor=OPERATOR)
    expired, _ = _link(setup.integration, LinkType.EMBEDDED)
    ReconnectionLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    completed, completed_path = _link(setup.integration)
    neighbour = sandbox_integration(environment=environment)
    neighbours_link, _ = _link(neighbour.integration)
    _, key = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    done = Client().post(completed_path, {"api_key": key})

    assert "Sie können diese Seite schließen" in done.content.decode()
    revoked_now = {
        link.pk
        for link in ReconnectionLink.objects.filter(
            revoked_at__isnull=False, revoked_at__gte=timezone.now() - timedelta(minutes=1)
        ).exclude(pk=already_revoked.pk)
    }
    assert revoked_now == {older.pk, embedded.pk}
    events = IntegrationEvent.objects.filter(
        integration=setup.integration, kind=EventKind.LINK_REVOKED
    ).exclude(data__link_id=already_revoked.pk)
    assert sorted(e.data["link_id"] for e in events) == sorted([older.pk, embedded.pk])
    for event in events:
        assert event.data["replaced_by"] == completed.pk
        assert event.actor_type == "CUSTOMER"
    expired.refresh_from_db()
    neighbours_link.refresh_from_db()
    assert expired.revoked_at is None
    assert neighbours_link.revoked_at is None
    assert neighbours_link.used_at is None

    # The customer who opens the older link is told it was replaced, in their browser's
    # language (the page never tells one spent link from another, or from an unknown token).
    older_page = Client().get(older_path, HTTP_ACCEPT_LANGUAGE="de")
    assert older_page.status_code == 404
    assert "durch einen neueren ersetzt" in older_page.content.decode()

    # The operator sees both as revoked in the links table (with the one revoked before),
    # the completed one as used, and nothing left to revoke.
    detail = operator_client.get(f"/dashboard/integrations/{setup.integration.pk}/")
    html = detail.content.decode()
    table = html.split('aria-label="Reconnection links"', 1)[1].split("</table>", 1)[0]
    words = re.sub(r"<[^>]+>", " ", table).lower().split()
    assert (words.count("revoked"), words.count("expired"), words.count("completed")) == (3, 1, 1)
    assert "open" not in words
    assert "revoke" not in words
    timeline = html.split('id="timeline-title"', 1)[1]
    assert timeline.count(f"Replaced by link {completed.pk}, which the customer completed.") == 2


def test_it_leaves_open_connect_links_alone(sandbox_hr: None, environment: Environment) -> None:
    """Connect links make new integrations; a relink of another one does not touch them."""
    setup = broken_integration(environment)
    connect_link, _ = connect_link_create(
        environment_id=environment.pk,
        organization_name="NewCo",
        email="it@newco.example",
        origin_id=None,
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
    )
    _, path = _link(setup.integration)
    _, key = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    Client().post(path, {"api_key": key})

    connect_link.refresh_from_db()
    assert connect_link.kind == LinkKind.CONNECT
    assert connect_link.revoked_at is None


def test_it_leaves_a_link_to_another_scope_config_open_for_the_migration_it_carries(
    sandbox_hr: None, environment: Environment
) -> None:
    """Kombo's reconnection docs: a link with another scope config moves the integration to it
    when completed. Repairing the credentials with another link does not do that move, so the
    migration link keeps its work; one to the config the integration ends on is done."""
    setup = broken_integration(environment)
    wider = ScopeConfigFactory(environment=environment, name="Wider")
    migration, migration_path = _link(setup.integration, scope_config=wider)
    same, _ = _link(setup.integration, scope_config=setup.integration.scope_config)
    _, repair_path = _link(setup.integration)
    _, key = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    Client().post(repair_path, {"api_key": key})

    migration.refresh_from_db()
    same.refresh_from_db()
    assert migration.revoked_at is None
    assert same.revoked_at is not None
    _, newer_key = sandbox_api_key_create(
        account=setup.account, name="newer", permissions=ALL_PERMISSIONS
    )
    moved = Client().post(migration_path, {"api_key": newer_key})
    assert moved.status_code == 200
    setup.integration.refresh_from_db()
    assert setup.integration.scope_config_id == wider.pk


def test_it_lets_one_of_two_links_completed_at_the_same_moment_win(
    sandbox_hr: None, environment: Environment
) -> None:
    """Two links of one integration submitted together (two colleagues, two mails): exactly
    one completes, the other finds itself revoked; no deadlock, one new credential version."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL")
    setup = broken_integration(environment)
    first, _ = _link(setup.integration)
    second, _ = _link(setup.integration)
    _, key = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def submit(link: ReconnectionLink) -> None:
        try:
            barrier.wait()
            outcomes[link.pk] = relink_link_complete(
                link=link, credentials={"api_key": key}
            ).outcome
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(link,)) for link in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == [LinkOutcome.COMPLETED, LinkOutcome.LINK_UNUSABLE]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == LinkOutcome.COMPLETED)
    loser = ReconnectionLink.objects.get(pk=next(pk for pk in outcomes if pk != winner))
    assert loser.used_at is None
    assert loser.revoked_at is not None
    assert setup.integration.credential_versions.count() == 2

"""Migrating integrations to a scope config in bulk: magic links for a filter or for picked
integrations, shown once, optionally emailed, and a progress view of who opened, completed
or let their link expire — completed through the real hosted form against the sandbox HR."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import (
    EventKind,
    Integration,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
    ScopeConfigMigration,
)
from integrations.services import (
    MIGRATION_BATCH_LIMIT,
    ScopeConfigMigrationError,
    integration_delete,
    link_find,
    relink_link_revoke,
    scope_config_migration_create,
)
from sandbox_hr.services import sandbox_api_key_create
from tests.support.factories import (
    ALL_PERMISSIONS,
    IntegrationFactory,
    ScopeConfigFactory,
    sandbox_integration,
)

OPERATOR = Actor.system("tests")


def _login(client: Client, operator: object) -> None:
    client.force_login(operator)  # type: ignore[arg-type]


def _migrate_url(scope_config: ScopeConfig) -> str:
    return f"/dashboard/scope-configs/{scope_config.pk}/migrate/"


def _created_links(html: str) -> dict[str, str]:
    """Integration id -> link URL, as listed on the page shown after creating a migration."""
    return dict(
        re.findall(
            r'<tr data-integration-id="([^"]+)">.*?<code [^>]*data-link-url>([^<]+)</code>',
            html,
            re.DOTALL,
        )
    )


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _totals(html: str) -> dict[str, int]:
    totals = {state: int(n) for state, n in re.findall(r'id="total-(\w+)"[^>]*>(\d+)<', html)}
    return totals


@pytest.mark.django_db
def test_it_creates_links_for_every_integration_matching_a_filter(
    client: Client, operator: object, environment: Environment, other_environment: Environment
) -> None:
    _login(client, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    other = ScopeConfigFactory(environment=environment, name="Other")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    on_basic = IntegrationFactory.create_batch(3, environment=environment, scope_config=basic)
    personio = IntegrationFactory(environment=environment, scope_config=basic, tool="personio")
    IntegrationFactory(environment=environment, scope_config=other)
    IntegrationFactory(environment=environment, scope_config=wide)
    gone = IntegrationFactory(environment=environment, scope_config=basic)
    integration_delete(integration=gone, actor=OPERATOR)
    IntegrationFactory(
        environment=other_environment,
        scope_config=ScopeConfigFactory(environment=other_environment, name="Basic"),
    )

    page = client.get(_migrate_url(wide), {"source": basic.pk})
    assert page.status_code == 200
    assert 'data-count="4"' in page.content.decode()
    assert (
        'data-count="1"'
        in client.get(_migrate_url(wide), {"source": basic.pk, "tool": "personio"}).content.decode()
    )
    assert 'data-count="5"' in client.get(_migrate_url(wide)).content.decode()

    created = client.post(
        _migrate_url(wide),
        {"source": basic.pk, "selection": "all_matching", "language": "de"},
    )

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    html = created.content.decode()
    urls = _created_links(html)
    assert set(urls) == {i.pk for i in [*on_basic, personio]}
    migration = ScopeConfigMigration.objects.get()
    assert migration.selection_label == "all integrations on Basic"
    assert (migration.scope_config, migration.language, migration.emailed) == (wide, "de", False)
    for integration_id, url in urls.items():
        assert url in html
        link = link_find(token=_token(url))
        assert link is not None
        assert link.integration_id == integration_id
        assert (link.link_type, link.language) == (LinkType.MAGIC_LINK, "de")
        assert (link.target_scope_config_id, link.migration_id) == (wide.pk, migration.pk)
        event = Integration.objects.get(pk=integration_id).events.get(kind=EventKind.LINK_CREATED)
        assert event.data["link_id"] == link.pk
        assert event.data["migration_id"] == migration.pk
    assert f'href="/dashboard/scope-configs/migrations/{migration.pk}/"' in html
    # Nothing moves until a customer completes their link.
    assert Integration.objects.filter(scope_config=wide).count() == 1


@pytest.mark.django_db
def test_it_creates_links_for_the_picked_integrations_only(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    first, second, _ = IntegrationFactory.create_batch(
        3, environment=environment, scope_config=basic
    )

    created = client.post(
        _migrate_url(wide),
        {
            "selection": "picked",
            "integrations": [first.pk, second.pk],
            "language": "en",
            "tool": "sandbox",
        },
    )

    assert created.status_code == 200
    assert set(_created_links(created.content.decode())) == {first.pk, second.pk}
    assert ScopeConfigMigration.objects.get().selection_label == (
        "2 picked from Sandbox HR integrations on other scope configs"
    )

    nothing_picked = client.post(_migrate_url(wide), {"selection": "picked", "language": "en"})
    assert nothing_picked.status_code == 400
    assert "Check at least one integration" in nothing_picked.content.decode()
    assert ReconnectionLink.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_integrations_it_cannot_migrate(
    client: Client, operator: object, environment: Environment, other_environment: Environment
) -> None:
    _login(client, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    eligible = IntegrationFactory(environment=environment, scope_config=basic)
    foreign = IntegrationFactory(
        environment=other_environment,
        scope_config=ScopeConfigFactory(environment=other_environment, name="Basic"),
    )
    already = IntegrationFactory(environment=environment, scope_config=wide)
    gone = IntegrationFactory(environment=environment, scope_config=basic)
    integration_delete(integration=gone, actor=OPERATOR)

    for intruder in (foreign, already, gone):
        response = client.post(
            _migrate_url(wide),
            {"selection": "picked", "integrations": [eligible.pk, intruder.pk], "language": "en"},
        )
        assert response.status_code == 400
        assert "can no longer be migrated" in response.content.decode()
        with pytest.raises(ScopeConfigMigrationError):
            scope_config_migration_create(
                scope_config=wide,
                integrations=[eligible, intruder],
                selection_label="picked",
                language="en",
                send_email=False,
                actor=OPERATOR,
            )
    assert not ReconnectionLink.objects.exists()
    assert not ScopeConfigMigration.objects.exists()


@pytest.mark.django_db
def test_it_caps_the_size_of_a_batch(environment: Environment) -> None:
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    Integration.objects.bulk_create(
        Integration(
            id=f"sandbox:bulk{n:06d}",
            environment=environment,
            tool="sandbox",
            organization_name=f"Org {n}",
            scope_config=basic,
        )
        for n in range(MIGRATION_BATCH_LIMIT + 1)
    )

    with pytest.raises(ScopeConfigMigrationError, match="At most 5,000 integrations"):
        scope_config_migration_create(
            scope_config=wide,
            integrations=Integration.objects.filter(scope_config=basic),
            selection_label="all",
            language="en",
            send_email=False,
            actor=OPERATOR,
        )

    assert not ReconnectionLink.objects.exists()
    migration, created = scope_config_migration_create(
        scope_config=wide,
        integrations=Integration.objects.filter(scope_config=basic)[:MIGRATION_BATCH_LIMIT],
        selection_label="all",
        language="en",
        send_email=False,
        actor=OPERATOR,
    )
    assert len(created) == migration.links.count() == MIGRATION_BATCH_LIMIT


@pytest.mark.django_db
def test_it_emails_the_links_only_when_asked(
    client: Client,
    operator: object,
    environment: Environment,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _login(client, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    with_email = IntegrationFactory(
        environment=environment, scope_config=basic, creator_email="it@acme.example"
    )
    IntegrationFactory(environment=environment, scope_config=basic, creator_email=None)
    other = ScopeConfigFactory(environment=environment, name="Other")
    IntegrationFactory(environment=environment, scope_config=other, creator_email="x@y.example")

    with django_capture_on_commit_callbacks(execute=True):
        quiet = client.post(
            _migrate_url(wide),
            {"source": other.pk, "selection": "all_matching", "language": "en"},
        )
    assert quiet.status_code == 200
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        emailed = client.post(
            _migrate_url(wide),
            {
                "source": basic.pk,
                "selection": "all_matching",
                "language": "de",
                "send_email": "on",
            },
        )

    html = emailed.content.decode()
    urls = _created_links(html)
    assert len(urls) == 2
    assert "Emailed to the 1 customer with a creator email" in html
    [message] = mail.outbox
    assert message.to == ["it@acme.example"]
    assert urls[with_email.pk] in message.body
    assert "Sandbox HR" in message.subject


@pytest.mark.django_db(transaction=True)
def test_it_tracks_who_opened_completed_or_let_their_link_expire(
    sandbox_hr: None, operator: object, environment: Environment
) -> None:
    dashboard = Client()
    _login(dashboard, operator)
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wide = ScopeConfigFactory(environment=environment, name="Wide")
    completer = sandbox_integration(environment=environment, scope_config=basic)
    opener = IntegrationFactory(environment=environment, scope_config=basic)
    silent = IntegrationFactory(environment=environment, scope_config=basic)
    revoked = IntegrationFactory(environment=environment, scope_config=basic)
    created = dashboard.post(
        _migrate_url(wide), {"source": basic.pk, "selection": "all_matching", "language": "en"}
    )
    urls = _created_links(created.content.decode())
    migration = ScopeConfigMigration.objects.get()
    progress_url = f"/dashboard/scope-configs/migrations/{migration.pk}/"
    assert _totals(dashboard.get(progress_url).content.decode()) == {
        "links": 4,
        "sent": 4,
        "opened": 0,
        "completed": 0,
        "expired": 0,
        "revoked": 0,
    }

    customer = Client()
    assert customer.get(f"/connect/{_token(urls[opener.pk])}").status_code == 200
    form = f"/connect/{_token(urls[completer.integration.pk])}"
    assert customer.get(form).status_code == 200
    _, new_key = sandbox_api_key_create(
        account=completer.account, name="new", permissions=ALL_PERMISSIONS
    )
    done = customer.post(form, {"api_key": new_key})
    assert "You're done" in done.content.decode()
    revoked_link = ReconnectionLink.objects.get(integration=revoked)
    relink_link_revoke(link=revoked_link, actor=OPERATOR)

    html = dashboard.get(progress_url).content.decode()
    assert _totals(html) == {
        "links": 4,
        "sent": 1,
        "opened": 1,
        "completed": 1,
        "expired": 0,
        "revoked": 1,
    }
    states = dict(re.findall(r'<tr data-integration-id="([^"]+)" data-state="(\w+)">', html))
    assert states == {
        completer.integration.pk: "COMPLETED",
        opener.pk: "OPENED",
        silent.pk: "SENT",
        revoked.pk: "REVOKED",
    }
    completer.integration.refresh_from_db()
    assert completer.integration.scope_config == wide
    completed_only = dashboard.get(progress_url, {"state": "COMPLETED"}).content.decode()
    assert completer.integration.organization_name in completed_only
    assert opener.organization_name not in completed_only
    # The URLs were shown once, at creation; the progress view never shows them again.
    assert not any(_token(url) in html for url in urls.values())

    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        _login(dashboard, operator)
        later = dashboard.get(progress_url).content.decode()
        assert customer.get(f"/connect/{_token(urls[silent.pk])}").status_code == 404
    assert _totals(later) == {
        "links": 4,
        "sent": 0,
        "opened": 0,
        "completed": 1,
        "expired": 2,
        "revoked": 1,
    }


@pytest.mark.django_db
def test_it_shows_progress_in_a_constant_number_of_queries(
    client: Client, operator: object, environment: Environment
) -> None:
    _login(client, operator)
    wide = ScopeConfigFactory(environment=environment, name="Wide")

    def queries_for_progress(size: int) -> int:
        basic = ScopeConfigFactory(environment=environment, name=f"Basic {size}")
        IntegrationFactory.create_batch(size, environment=environment, scope_config=basic)
        migration, _ = scope_config_migration_create(
            scope_config=wide,
            integrations=Integration.objects.filter(scope_config=basic),
            selection_label="all",
            language="en",
            send_email=False,
            actor=OPERATOR,
        )
        ReconnectionLink.objects.filter(pk=migration.links.first().pk).update(  # type: ignore[union-attr]
            opened_at=timezone.now()
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/dashboard/scope-configs/migrations/{migration.pk}/")
        assert page.status_code == 200
        assert page.content.decode().count("data-link-state") == size
        return len(queries)

    assert queries_for_progress(2) == queries_for_progress(20)


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_migration(client: Client, operator: object) -> None:
    _login(client, operator)

    assert client.get("/dashboard/scope-configs/migrations/NoSuchMigration1/").status_code == 404

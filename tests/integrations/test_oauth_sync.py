"""An OAuth integration syncs like any other: connected through the consent page, synced by the
scheduler, its token refreshed by the sync's own auth check when it is due.

Sources: Gusto's "List employees of a company" and "Get all departments of a company" and
Deel's "List of people" and "Get departments" references (what a sync reads); Gusto's and
Deel's token lifetimes (2 hours, 30 days) for when a refresh is due.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.test import Client

from core.crypto import decrypt_json, encrypt_json
from core.models import Environment
from integrations.actors import Actor
from integrations.models import CredentialVersion, Integration, LinkType
from integrations.services import connect_link_create
from syncs.models import Employee, Group, SyncState
from syncs.services import scheduler_tick
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes import deel, gusto
from tests.support.oauth import oauth_app_register, vendor_trip
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(environment: Environment, tool_id: str, consent: Callable[[str], str]) -> Integration:
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Acme",
        email="it@acme.example",
        origin_id="acme",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
        tool_id=tool_id,
    )
    assert b"You're done" in vendor_trip(Client(), url, consent).content
    return Integration.objects.get(tool=tool_id)


def _make_token_due(integration: Integration) -> None:
    version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
    token = decrypt_json(version.payload_encrypted)
    token["expires_at"] = str(int(time.time()) - 1)
    version.payload_encrypted = encrypt_json(token)
    version.save(update_fields=["payload_encrypted"])


def _sync() -> SyncState:
    scheduler_tick()
    [sync] = run_queued_syncs()
    return SyncState(sync.state)


def test_it_syncs_gusto_and_refreshes_its_token_when_due(
    fake_gusto: gusto.FakeGusto, environment: Environment
) -> None:
    oauth_app_register(
        fake_gusto,
        environment=environment,
        tool_id="gusto",
        client_id=gusto.CLIENT_ID,
        client_secret=gusto.CLIENT_SECRET,
    )
    integration = _connect(environment, "gusto", lambda a: fake_gusto.consent(a))

    assert _sync() == SyncState.SUCCEEDED
    assert Employee.objects.filter(integration=integration).count() == gusto.EMPLOYEE_COUNT
    assert Group.objects.filter(integration=integration).exists()

    fake_gusto.expire_access_tokens()
    _make_token_due(integration)
    integration.refresh_from_db()
    Integration.objects.filter(pk=integration.pk).update(next_sync_at=integration.created_at)
    assert _sync() == SyncState.SUCCEEDED
    assert fake_gusto.refresh_count == 1


def test_it_syncs_deel(fake_deel: deel.FakeDeel, environment: Environment) -> None:
    oauth_app_register(
        fake_deel,
        environment=environment,
        tool_id="deel",
        client_id=deel.CLIENT_ID,
        client_secret=deel.CLIENT_SECRET,
    )
    integration = _connect(environment, "deel", lambda a: fake_deel.consent(a))

    assert _sync() == SyncState.SUCCEEDED
    assert Employee.objects.filter(integration=integration).count() == fake_deel.people_count
    assert Group.objects.filter(integration=integration).exists()

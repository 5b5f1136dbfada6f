"""An OAuth integration syncs like any other: connected through the consent page, synced by the
scheduler, its token refreshed by the sync's own auth check when it is due.

Sources: Gusto's "List employees of a company" and "Get all departments of a company" and
Deel's "List of people" and "Get departments" references (what a sync reads); Gusto's and
Deel's token lifetimes (2 hours, 30 days) for when a refresh is due.
"""

from __future__ import annotations

import pytest

from core.models import Environment
from integrations.models import Integration
from syncs.models import Employee, Group, SyncState
from syncs.services import scheduler_tick
from tests.support.fakes import deel, gusto
from tests.support.oauth import oauth_connected, token_made_due
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db(transaction=True)


def _sync() -> SyncState:
    scheduler_tick()
    [sync] = run_queued_syncs()
    return SyncState(sync.state)


def test_it_syncs_gusto_and_refreshes_its_token_when_due(
    gusto_app: gusto.FakeGusto, environment: Environment
) -> None:
    integration = oauth_connected(gusto_app, environment=environment, tool_id="gusto")

    assert _sync() == SyncState.SUCCEEDED
    assert Employee.objects.filter(integration=integration).count() == gusto.EMPLOYEE_COUNT
    assert Group.objects.filter(integration=integration).exists()

    token_made_due(integration, gusto_app)
    integration.refresh_from_db()
    Integration.objects.filter(pk=integration.pk).update(next_sync_at=integration.created_at)
    assert _sync() == SyncState.SUCCEEDED
    assert gusto_app.refresh_count == 1


def test_it_syncs_deel(deel_app: deel.FakeDeel, environment: Environment) -> None:
    integration = oauth_connected(deel_app, environment=environment, tool_id="deel")

    assert _sync() == SyncState.SUCCEEDED
    assert Employee.objects.filter(integration=integration).count() == deel_app.people_count
    assert Group.objects.filter(integration=integration).exists()

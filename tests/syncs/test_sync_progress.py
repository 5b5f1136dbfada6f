"""The integration page follows a running sync live through its progress fragment, for operators
only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment
from integrations.models import Integration, SyncType
from syncs.models import SyncState, SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory, sandbox_integration
from tests.support.pages import integration_page
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db


def _progress(client: Client, integration: Integration) -> str:
    response = client.get(reverse("syncs:integration_sync_progress", args=[integration.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    return response.content.decode()


def test_it_polls_a_running_sync_until_it_ends_at_100_percent(
    operator_client: Client, environment: Environment, sandbox_hr: str
) -> None:
    setup = sandbox_integration(environment=environment, employees=30)
    integration = setup.integration
    assert 'id="sync-progress"' in integration_page(operator_client, integration)
    assert 'hx-trigger="every 1s"' not in integration_page(operator_client, integration)

    sync_enqueue(integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR)
    page = integration_page(operator_client, integration)
    queued = _progress(operator_client, integration)

    assert 'hx-trigger="every 1s"' in page
    assert "Sync queued" in queued
    assert 'aria-valuenow="0"' in queued
    assert 'hx-trigger="every 1s"' in queued

    [sync] = run_queued_syncs()
    finished = _progress(operator_client, integration)

    assert sync.state == SyncState.SUCCEEDED
    assert "Sync finished: succeeded" in finished
    assert 'aria-valuenow="100"' in finished
    assert "hx-trigger" not in finished
    # A page loaded after it shows the sync in its tables, not as a finished box that
    # a newer banner would then sit above.
    assert "Sync finished" not in integration_page(operator_client, integration)


def test_it_refuses_the_progress_fragment_to_anonymous_users(
    client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    response = client.get(reverse("syncs:integration_sync_progress", args=[integration.pk]))

    assert response.status_code == 302

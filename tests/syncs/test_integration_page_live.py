"""The integration page updates itself after "Check auth now" and "Sync now": the actions answer
htmx with the outcome and an `integration-changed` event, the sync progress sends that event
when it sees the sync end, and the page then fetches what changed and swaps it in by id.

Expectations from htmx's documentation (htmx.org/headers/hx-trigger: an `HX-Trigger` response
header triggers the named event; htmx.org/attributes/hx-swap-oob: elements marked
`hx-swap-oob` replace the element with the same id) and from what the operator sees change:
the banner, the status, the tables.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from integrations.models import Integration, IntegrationStatus, SyncPausedReason
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import AuthCheck, Sync, SyncState
from tests.support.factories import IntegrationFactory, sandbox_integration
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


def _events(response: object) -> set[str]:
    header = response.headers.get("HX-Trigger")  # type: ignore[attr-defined]
    return set(json.loads(header)) if header else set()


def _oob_ids(html: str) -> list[str]:
    return re.findall(r'<[a-z]+ id="([^"]+)"[^>]*hx-swap-oob="true"', html)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _live(client: Client, integration: Integration) -> str:
    response = client.get(reverse("dashboard:integration_live", args=[integration.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_checks_auth_in_place_and_tells_the_page_what_changed(
    operator_client: Client, environment: Environment, sandbox_hr: str
) -> None:
    setup = sandbox_integration(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
    )
    url = reverse("syncs:integration_check_auth", args=[setup.integration.pk])
    before = _live(operator_client, setup.integration)

    checked = operator_client.post(url, **HTMX)
    after = _live(operator_client, setup.integration)

    html = checked.content.decode()
    assert checked.status_code == 200
    assert "Authentication works" in html
    assert "integration-changed" in _events(checked)
    assert _oob_ids(html) == ["sync-progress"]
    assert "Syncs are paused" in before
    assert "Syncs are paused" not in after
    assert "Credentials invalid" in before.split('id="integration-status"')[1].split("</span>")[0]
    assert "Active" in after.split('id="integration-status"')[1].split("</span>")[0]
    assert "Sync now" not in before
    assert "Sync now" in after
    # The outcome was shown in place: nothing waits in the session for the next page load.
    page = operator_client.get(f"/dashboard/integrations/{setup.integration.pk}/")
    assert "Authentication works" not in page.content.decode()

    sandbox_api_key_revoke(key=setup.key)
    failed = operator_client.post(url, **HTMX).content.decode()
    assert "Authentication failed" in failed
    assert setup.raw_key not in failed


def test_it_queues_a_sync_in_place_and_polls_its_progress(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    queued = operator_client.post(
        reverse("syncs:integration_sync_now", args=[integration.pk]), **HTMX
    )

    html = queued.content.decode()
    assert "integration-changed" in _events(queued)
    assert _oob_ids(html) == ["sync-progress"]
    assert "Sync queued" in html
    assert 'hx-trigger="every 1s"' in html
    assert Sync.objects.filter(integration=integration).count() == 1


def test_it_refuses_to_sync_an_inactive_integration_in_place(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment, enabled=False)

    refused = operator_client.post(
        reverse("syncs:integration_sync_now", args=[integration.pk]), **HTMX
    )

    assert "Only an active integration can sync." in refused.content.decode()
    assert _events(refused) == set()
    assert not Sync.objects.exists()


def test_it_tells_the_page_when_the_sync_it_polls_ends(
    operator_client: Client, environment: Environment, sandbox_hr: str
) -> None:
    setup = sandbox_integration(environment=environment)
    poll = reverse("syncs:integration_sync_progress", args=[setup.integration.pk])
    operator_client.post(reverse("syncs:integration_sync_now", args=[setup.integration.pk]), **HTMX)

    running = operator_client.get(poll, **HTMX)
    run_queued_syncs()
    ended = operator_client.get(poll, **HTMX)

    assert _events(running) == set()
    assert "integration-changed" in _events(ended)
    finished = ended.content.decode()
    assert "Sync finished: succeeded" in finished
    assert "hx-trigger" not in finished
    # The previous action's outcome goes: the finished sync is the newest news.
    assert '<div id="action-result" hx-swap-oob="innerHTML"></div>' in finished
    live = _live(operator_client, setup.integration)
    assert "Last sync Succeeded · just now" in _text(live)
    assert "hris_employees: 12" in live


def test_it_sends_every_part_it_refreshes_to_a_place_on_the_page(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    live = _live(operator_client, integration)
    page = operator_client.get(f"/dashboard/integrations/{integration.pk}/").content.decode()

    ids = _oob_ids(live)
    assert set(ids) >= {
        "integration-status",
        "integration-alerts",
        "integration-facts",
        "history-strips",
        "sync-history",
        "auth-check-history",
        "integration-timeline",
    }
    for region in ids:
        assert page.count(f'id="{region}"') == 1, region
    assert 'hx-trigger="integration-changed from:body"' in page


def test_it_refreshes_and_polls_in_a_constant_number_of_queries(
    operator_client: Client, environment: Environment
) -> None:
    few, many = (
        IntegrationFactory(environment=environment),
        IntegrationFactory(environment=environment),
    )
    for integration, count in ((few, 1), (many, 40)):
        for index in range(count):
            Sync.objects.create(
                integration=integration,
                type="FULL",
                trigger="SCHEDULE",
                state=SyncState.SUCCEEDED,
                finished_at=timezone.now() - timedelta(hours=index),
            )
            AuthCheck.objects.create(
                integration=integration, trigger="SYNC", outcome="OK", latency_ms=index
            )

    counts = []
    for integration in (few, many):
        with CaptureQueriesContext(connection) as live_queries:
            _live(operator_client, integration)
        with CaptureQueriesContext(connection) as poll_queries:
            operator_client.get(
                reverse("syncs:integration_sync_progress", args=[integration.pk]), **HTMX
            )
        counts.append((len(live_queries), len(poll_queries)))

    assert counts[0] == counts[1]


def test_it_refuses_the_refresh_to_anonymous_users(
    client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    response = client.get(reverse("dashboard:integration_live", args=[integration.pk]))

    assert response.status_code == 302

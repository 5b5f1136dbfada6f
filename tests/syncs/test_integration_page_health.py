"""The integration page says what is wrong and what to do, shows seven days of history as
strips, and follows a running sync live."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.models import (
    Environment,
    Integration,
    IntegrationStatus,
    SyncPausedReason,
    SyncType,
)
from integrations.tools.sandbox import PERM_EMPLOYEES
from syncs.models import AuthCheck, Sync, SyncState, SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory, sandbox_integration
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db

# A Monday afternoon.
NOW = timezone.make_aware(timezone.datetime(2026, 11, 23, 16, 30))


def _page(client: Client, integration: Integration) -> str:
    response = client.get(reverse("dashboard:integration_detail", args=[integration.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _banner(html: str) -> str:
    match = re.search(r'<div class="alert alert--\w+ health-banner"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no health banner"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


@time_machine.travel(NOW, tick=False)
def test_it_says_when_a_failing_integration_pauses_and_what_to_do(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        auth_failing_since=NOW - timedelta(hours=2, minutes=28),
        consecutive_auth_failures=47,
    )

    banner = _banner(_page(operator_client, integration))

    assert banner.startswith(
        "Authentication has failed since Mon 14:02 (47 failed checks). Syncs pause in 2 days 21 h."
    )
    assert "Create a reconnection link below" in banner


@time_machine.travel(NOW, tick=False)
def test_it_says_an_invalid_integration_is_paused(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        auth_failing_since=NOW - timedelta(days=10),
        consecutive_auth_failures=80,
    )

    banner = _banner(_page(operator_client, integration))

    assert banner.startswith(
        "Authentication has failed since Nov 13, 16:30 (80 failed checks). Syncs are paused."
    )
    assert "Create a reconnection link below" in banner


def test_it_shows_no_banner_for_a_healthy_integration(
    operator_client: Client, environment: Environment
) -> None:
    html = _page(operator_client, IntegrationFactory(environment=environment))

    assert "health-banner" not in html


def _bars(html: str, strip_id: str) -> list[tuple[str, str]]:
    figure = re.search(rf'<figure class="strip" id="{strip_id}">(.*?)</figure>', html, re.S)
    assert figure, f"no {strip_id}"
    return re.findall(
        r'<rect class="strip__bar strip__bar--(\w+)"[^>]*><title>([^<]*)</title></rect>',
        figure.group(1),
    )


@time_machine.travel(NOW, tick=False)
def test_it_draws_seven_days_of_auth_checks_by_the_hour(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)
    for minutes_ago, outcome, message in (
        (10, "OK", ""),
        (20, "INVALID_CREDENTIALS", "401 Unauthorized: API key revoked"),
        (70, "UNREACHABLE", "timed out"),
        (60 * 24 * 8, "INVALID_CREDENTIALS", "too old to show"),
    ):
        check = AuthCheck.objects.create(
            integration=integration, trigger="SYNC", outcome=outcome, message=message, latency_ms=9
        )
        AuthCheck.objects.filter(pk=check.pk).update(
            created_at=NOW - timedelta(minutes=minutes_ago)
        )

    html = _page(operator_client, integration)
    bars = _bars(html, "auth-strip")

    assert len(bars) == 7 * 24
    assert bars[-1] == (
        "failed",
        "Mon Nov 23, 16:00–16:59 · 1 OK, 1 invalid credentials — 401 Unauthorized: API key revoked",
    )
    assert bars[-2] == ("warning", "Mon Nov 23, 15:00–15:59 · 1 unreachable — timed out")
    assert {tone for tone, _ in bars[:-2]} == {"empty"}
    assert "Last 7 days: 3 checks, 1 failed, 1 with warnings" in html
    assert "too old to show" not in "".join(title for _, title in bars)


@time_machine.travel(NOW, tick=False)
def test_it_draws_seven_days_of_syncs_by_the_hour(
    operator_client: Client, environment: Environment
) -> None:
    """Kombo's integration states: a sync with warnings "was successful with warnings" (a
    warning), a partial failure is a failing sync."""
    integration = IntegrationFactory(environment=environment)
    for hours_ago, state, warnings in (
        (0, SyncState.SUCCEEDED, []),
        (0, SyncState.SUCCEEDED, ["Not all permissions are granted: …"]),
        (5, SyncState.PARTIALLY_FAILED, []),
        (30, "FAILED", []),
    ):
        sync = Sync.objects.create(
            integration=integration,
            type="FULL",
            trigger="SCHEDULE",
            state=state,
            warnings=warnings,
        )
        Sync.objects.filter(pk=sync.pk).update(created_at=NOW - timedelta(hours=hours_ago))

    html = _page(operator_client, integration)
    bars = _bars(html, "sync-strip")

    assert bars[-1] == ("warning", "Mon Nov 23, 16:00–16:59 · 2 succeeded (1 with warnings)")
    assert bars[-6] == ("failed", "Mon Nov 23, 11:00–11:59 · 1 partially failed")
    assert bars[-31] == ("failed", "Sun Nov 22, 10:00–10:59 · 1 failed")
    assert "Last 7 days: 4 syncs, 2 failed, 1 with warnings" in html


def test_it_renders_the_page_in_the_same_number_of_queries_however_long_the_history(
    operator_client: Client, environment: Environment
) -> None:
    short, long = (
        IntegrationFactory(environment=environment),
        IntegrationFactory(environment=environment),
    )
    for integration, count in ((short, 1), (long, 60)):
        for index in range(count):
            Sync.objects.create(
                integration=integration,
                type="FULL",
                trigger="SCHEDULE",
                state=SyncState.PARTIALLY_FAILED if index % 2 else SyncState.SUCCEEDED,
                warnings=[f"warning {index}"],
            )
            check = AuthCheck.objects.create(
                integration=integration, trigger="SYNC", outcome="OK", latency_ms=index
            )
            AuthCheck.objects.filter(pk=check.pk).update(
                created_at=timezone.now() - timedelta(hours=index * 2)
            )

    counts = []
    for integration in (short, long):
        with CaptureQueriesContext(connection) as queries:
            _page(operator_client, integration)
        counts.append(len(queries))

    assert counts[0] == counts[1]


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
    assert 'id="sync-progress"' in _page(operator_client, integration)
    assert 'hx-trigger="every 1s"' not in _page(operator_client, integration)

    sync_enqueue(integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR)
    page = _page(operator_client, integration)
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
    assert "Sync finished" not in _page(operator_client, integration)


def test_it_refuses_the_progress_fragment_to_anonymous_users(
    client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    response = client.get(reverse("syncs:integration_sync_progress", args=[integration.pk]))

    assert response.status_code == 302


def test_it_records_the_newest_finished_sync_on_the_integration(
    environment: Environment, sandbox_hr: str
) -> None:
    setup = sandbox_integration(environment=environment, permissions=(PERM_EMPLOYEES,))
    sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR
    )

    [sync] = run_queued_syncs()
    setup.integration.refresh_from_db()

    assert sync.state == SyncState.SUCCEEDED
    assert setup.integration.last_sync_state == SyncState.SUCCEEDED
    assert setup.integration.last_sync_finished_at == sync.finished_at
    assert setup.integration.last_sync_warning_count == len(sync.warnings) > 0

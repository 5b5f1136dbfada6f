"""The integration page shows seven days of auth checks and syncs as strips, by the hour, in the
same number of queries however long the history."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Environment
from syncs.models import AuthCheck, Sync, SyncState
from tests.support.factories import IntegrationFactory
from tests.support.pages import integration_page

pytestmark = pytest.mark.django_db

# A Monday afternoon.
NOW = timezone.make_aware(timezone.datetime(2026, 11, 23, 16, 30))


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

    html = integration_page(operator_client, integration)
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

    html = integration_page(operator_client, integration)
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
            integration_page(operator_client, integration)
        counts.append(len(queries))

    assert counts[0] == counts[1]

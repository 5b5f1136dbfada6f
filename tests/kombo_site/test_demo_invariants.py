"""`make run`'s demo doesn't contradict itself: what one part of a page (or the API) says about
an integration, the others say too.

Each expectation is read off the seeded demo the way a user reads it: the integration page's
banner, facts, strips and tables (through the same selectors and template tags), the HRIS API
with the API key `seed_demo` prints, and Sandbox HR, the customers' own HR system.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import dateformat, timezone

from integrations.models import Integration
from integrations.selectors.dashboard import (
    HealthState,
    integration_dashboard_list,
    integration_health_summary,
)
from integrations.tools.sandbox import SandboxTool
from kombo_site.demo.customers import OPERATOR_USERNAME
from kombo_site.demo.oauth import DEMO_OAUTH_CUSTOMER
from sandbox_hr.models import SandboxApiKey, SandboxEmployee
from syncs.models import AuthCheck, Sync, SyncState
from syncs.selectors.syncs import auth_check_list, sync_list
from tests.support.pages import integration_page

pytestmark = pytest.mark.django_db

ALL_ROWS = 10_000


@dataclass(frozen=True)
class Demo:
    integrations: dict[str, Integration]
    # The API key `seed_demo` prints for the production environment.
    api_key: str


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """One seeded demo for the whole module (seeding replays a week), rolled back after it;
    each test runs in a savepoint inside it."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=out)
        printed = re.search(r"ks_\w+", out.getvalue())
        assert printed, out.getvalue()
        # The week's five customers; the one connected through OAuth joins at the end of it.
        week = Integration.objects.exclude(organization_name=DEMO_OAUTH_CUSTOMER)
        yield Demo({i.organization_name: i for i in week}, printed.group(0))
        transaction.set_rollback(True)


@pytest.fixture
def operator_client(client: Client, demo: Demo) -> Client:
    """Signed in as the operator `seed_demo` created."""
    client.force_login(get_user_model().objects.get(username=OPERATOR_USERNAME))
    return client


def _fact(html: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd[^>]*>(.*?)</dd>", html, re.S)
    assert match, f"no {label!r} on the page"
    value = match.group(1).strip()
    # A relative time ("2 days ago") carries its moment, to the second, in its title.
    timed = re.search(r'<time [^>]*title="([^"]+)"', value)
    return re.sub(r":\d\d$", "", timed.group(1)) if timed else value


def _minute(moment: datetime) -> str:
    """A moment as the page's facts show it (the `date:"M j, Y H:i"` filter)."""
    return dateformat.format(timezone.localtime(moment), "M j, Y H:i")


def _checks(integration: Integration) -> list[AuthCheck]:
    """Every auth check of the integration, newest first, as the page's table lists them."""
    return auth_check_list(integration=integration, limit=ALL_ROWS)


def _streak(integration: Integration) -> list[AuthCheck]:
    """The failed checks since the newest successful one, oldest first."""
    streak = []
    for check in _checks(integration):
        if check.outcome == "OK":
            break
        streak.append(check)
    return streak[::-1]


def test_it_shows_the_newest_ok_check_as_the_last_successful_one(
    demo: Demo, operator_client: Client
) -> None:
    for name, integration in demo.integrations.items():
        newest_ok = next(c for c in _checks(integration) if c.outcome == "OK")
        shown = _fact(integration_page(operator_client, integration), "Last successful check")
        assert shown == _minute(newest_ok.created_at), name


def test_it_counts_in_the_banner_the_failed_checks_the_page_lists(
    demo: Demo, operator_client: Client
) -> None:
    """The issue's "10 vs 9, 33 vs 24": the banner's count against the auth-check strip's."""
    failing = [i for i in demo.integrations.values() if i.auth_failing_since is not None]
    assert {i.organization_name for i in failing} == {"Initech AG", "Umbrella SA"}
    for integration in failing:
        html = integration_page(operator_client, integration)
        banner = re.search(r"\((\d+) failed checks?\)", html)
        strip = re.search(r"Last 7 days: \d+ checks, (\d+) failed", html)
        assert banner, html
        assert strip, html
        listed = [c for c in _checks(integration) if c.outcome == "INVALID_CREDENTIALS"]
        assert (
            int(banner.group(1)) == int(strip.group(1)) == len(listed) == len(_streak(integration))
        )


def test_it_counts_in_the_sync_strip_the_syncs_the_table_lists(
    demo: Demo, operator_client: Client
) -> None:
    """The syncs strip's summary against the syncs themselves: a warnings-only sync is counted
    "with warnings" (Kombo: "successful with warnings"), a failed one as failed."""
    week_ago = timezone.now() - timedelta(days=7)
    for name, integration in demo.integrations.items():
        html = integration_page(operator_client, integration)
        strip = re.search(r"Last 7 days: (\d+) syncs?, (\d+) failed, (\d+) with warnings", html)
        assert strip, name
        syncs = [s for s in sync_list(integration=integration) if s.created_at >= week_ago]
        failed = [
            s
            for s in syncs
            if s.state
            in (SyncState.FAILED, SyncState.AUTHENTICATION_FAILED, SyncState.PARTIALLY_FAILED)
        ]
        warned = [s for s in syncs if s.state == SyncState.SUCCEEDED and s.warnings]
        assert tuple(int(n) for n in strip.groups()) == (len(syncs), len(failed), len(warned))


def test_it_dates_failing_since_at_the_first_failed_check_of_the_streak(
    demo: Demo,
    operator_client: Client,
) -> None:
    for name in ("Initech AG", "Umbrella SA"):
        integration = demo.integrations[name]
        first_failure = _streak(integration)[0]
        assert integration.auth_failing_since == first_failure.created_at
        html = integration_page(operator_client, integration)
        assert _fact(html, "Failing since") == _minute(first_failure.created_at)
        summary = integration_health_summary(integration=integration, now=timezone.now())
        assert summary is not None
        weekday_and_time = timezone.localtime(first_failure.created_at).strftime("%a %H:%M")
        assert f"failed since {weekday_and_time}" in summary.title


def test_it_creates_every_integration_before_its_first_check_and_sync(demo: Demo) -> None:
    for name, integration in demo.integrations.items():
        syncs = list(sync_list(integration=integration))
        checks = _checks(integration)
        assert syncs, name
        assert checks, name
        first = min([s.created_at for s in syncs] + [c.created_at for c in checks])
        assert integration.created_at < first, name


def test_it_returns_from_the_api_the_employees_the_newest_full_sync_read(
    demo: Demo, client: Client
) -> None:
    """What the sync table says was read is what the API hands out, and is who the customer's
    Sandbox HR account employs."""
    for name, integration in demo.integrations.items():
        newest_full = next(
            s
            for s in sync_list(integration=integration)
            if s.state == SyncState.SUCCEEDED and s.type == "FULL"
        )
        returned = _api_employees(client, demo.api_key, integration)
        in_sandbox_hr = set(
            SandboxEmployee.objects.filter(account_id=integration.remote_account_id).values_list(
                "id", flat=True
            )
        )
        assert len(returned) == newest_full.counts["hris_employees"]["fetched"] > 0, name
        assert {e["remote_id"] for e in returned} == in_sandbox_hr, name
        # Nothing after that sync changed them (a later delta sync read no changes).
        later: list[Sync] = [
            s for s in sync_list(integration=integration) if s.created_at > newest_full.created_at
        ]
        for sync in later:
            counts = sync.counts.get("hris_employees", {})
            assert counts.get("created", 0) == counts.get("updated", 0) == 0, name
            assert counts.get("deleted", 0) == 0, name


def _api_employees(client: Client, api_key: str, integration: Integration) -> list[dict[str, Any]]:
    employees: list[dict[str, Any]] = []
    params: dict[str, str] = {"page_size": "50"}
    while True:
        response = client.get(
            "/api/v1/hris/employees",
            params,
            headers={"authorization": f"Bearer {api_key}", "x-integration-id": integration.pk},
        )
        assert response.status_code == 200, response.content
        data = response.json()["data"]
        employees.extend(data["results"])
        if not data["next"]:
            return employees
        params["cursor"] = data["next"]


def test_it_warns_only_about_permissions_the_tool_has_and_the_key_lacks(
    demo: Demo, client: Client
) -> None:
    """The warnings name Sandbox HR's own permissions (what the customer ticks in its settings),
    the one the customer's key really lacks; the fields it guards come back null from the API."""
    warned = [
        (integration, sync)
        for integration in demo.integrations.values()
        for sync in sync_list(integration=integration)
        if sync.warnings
    ]
    assert {integration.organization_name for integration, _ in warned} == {"Globex Corporation"}
    for integration, sync in warned:
        key = SandboxApiKey.objects.get(account_id=integration.remote_account_id)
        for warning in sync.warnings:
            # Stored as the runner stores a missing permission: the gap, and its sentence.
            named = re.findall(r"'([a-z.]+:[a-z]+)'", warning["message"])
            assert named == [warning["permission"]], warning
            assert warning["permission"] in SandboxTool.permissions
            assert warning["permission"] not in key.permissions
    globex = demo.integrations["Globex Corporation"]
    employees = _api_employees(client, demo.api_key, globex)
    assert all(e["date_of_birth"] is None for e in employees)
    assert any(e["work_email"] for e in employees)


def test_it_tells_the_five_stories(demo: Demo) -> None:
    production = next(iter(demo.integrations.values())).environment

    def named(state: HealthState) -> set[str]:
        listed = integration_dashboard_list(environment=production, state=state)
        return {i.organization_name for i in listed}

    assert named(HealthState.ACTIVE) == {"Acme GmbH", "Globex Corporation", DEMO_OAUTH_CUSTOMER}
    assert named(HealthState.WARNINGS) == {"Globex Corporation"}
    assert named(HealthState.AUTH_FAILING) == {"Initech AG"}
    assert named(HealthState.INVALID) == {"Umbrella SA"}
    assert named(HealthState.INACTIVE) == {"Hooli Inc."}
    now = timezone.now()
    initech = integration_health_summary(integration=demo.integrations["Initech AG"], now=now)
    assert initech is not None
    assert initech.pause_at is not None
    assert initech.pause_at > now
    umbrella = integration_health_summary(integration=demo.integrations["Umbrella SA"], now=now)
    assert umbrella is not None
    assert "Syncs are paused" in umbrella.title

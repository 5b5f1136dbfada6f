"""In Chromium: the integration page updates itself when the check or the sync the operator
started ends — banner, status, health card, tables — without a reload, and leaves no stale
"Sync finished" box under a newer outcome.

"Without a reload" is what the operator would notice: a marker set on `window` before the
click is still there after it, and the main frame never navigated. The sync is run by a real
Celery worker on Redis; the sandbox HR system answers the auth checks over real HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Frame, Locator, Page, expect

from core.models import Environment
from integrations.models import IntegrationStatus, SyncPausedReason
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import Sync, SyncState
from tests.support.browser import BrowserConsole
from tests.support.factories import sandbox_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKER = "window.__integrationPageLoadedOnce"


@pytest.fixture
def sandbox_over_http(live_server: Any) -> Iterator[None]:
    with override_settings(SANDBOX_HR_URL=f"{live_server.url}/sandbox-hr"):
        yield


@pytest.fixture
def navigations(page: Page) -> list[str]:
    """Every URL the main frame navigates to, from the first page load on."""
    seen: list[str] = []

    def record(frame: Frame) -> None:
        if frame == page.main_frame:
            seen.append(frame.url)

    page.on("framenavigated", record)
    return seen


def _open(page: Page, live_server: Any, integration_id: str, navigations: list[str]) -> int:
    """Sign in, open the integration page, mark it; the number of navigations so far."""
    page.goto(f"{live_server.url}/dashboard/integrations/{integration_id}/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_be_visible()
    page.evaluate(f"{MARKER} = true")
    return len(navigations)


def _fact(page: Page, name: str) -> Locator:
    """The value of a fact in the integration page's cards."""
    return page.locator(f"#integration-facts dt:text-is('{name}') + dd")


def _not_reloaded(page: Page, navigations: list[str], before: int) -> None:
    assert page.evaluate(MARKER) is True, "the page was reloaded"
    assert navigations[before:] == [], f"the page navigated to {navigations[before:]}"


def test_it_shows_a_checks_outcome_in_place(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    operator: object,
    environment: Environment,
    sandbox_over_http: None,
    navigations: list[str],
    screenshot_dir: Path,
) -> None:
    setup = sandbox_integration(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        consecutive_auth_failures=20,
        auth_failing_since=timezone.now() - timedelta(days=4),
    )
    opened = _open(page, live_server, setup.integration.pk, navigations)
    banner = page.locator(".health-banner")
    expect(banner).to_contain_text("Syncs are paused")
    expect(page.locator("h1 .badge")).to_have_text("Credentials invalid")
    expect(page.get_by_role("button", name="Sync now")).to_have_count(0)

    # The customer fixed it; the operator checks.
    page.get_by_role("button", name="Check auth now").click()

    expect(page.locator("#action-result")).to_contain_text("Authentication works")
    expect(banner).to_have_count(0)
    expect(page.locator("h1 .badge")).to_have_text("Active")
    expect(page.get_by_role("button", name="Sync now")).to_be_visible()
    expect(_fact(page, "Consecutive failures")).to_have_text("0")
    expect(page.locator("#auth-check-history tbody tr").first).to_contain_text("Manual")
    expect(page.locator("#integration-timeline")).to_contain_text("Sync scheduling resumed")
    _not_reloaded(page, navigations, opened)

    # The key is revoked again: the next check fails, and the page says so the same way.
    sandbox_api_key_revoke(key=setup.key)
    page.get_by_role("button", name="Check auth now").click()

    expect(page.locator("#action-result")).to_contain_text("Authentication failed")
    expect(page.locator("#action-result")).not_to_contain_text("Authentication works")
    expect(banner).to_contain_text("Authentication has failed since")
    expect(_fact(page, "Consecutive failures")).to_have_text("1")
    _not_reloaded(page, navigations, opened)
    page.screenshot(path=str(screenshot_dir / "live-check-auth.png"), full_page=True)
    assert console.errors == []


def test_it_follows_a_sync_it_started_to_the_end_and_updates_the_page(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    operator: object,
    environment: Environment,
    sandbox_over_http: None,
    redis_worker: None,
    navigations: list[str],
    screenshot_dir: Path,
) -> None:
    # Checks failed for a day; the customer has since fixed the key, nobody has checked yet.
    setup = sandbox_integration(
        environment=environment,
        employees=300,
        consecutive_auth_failures=6,
        auth_failing_since=timezone.now() - timedelta(days=1),
    )
    opened = _open(page, live_server, setup.integration.pk, navigations)
    banner = page.locator(".health-banner")
    expect(banner).to_contain_text("Authentication has failed since")
    expect(page.locator("#sync-history")).to_contain_text("No syncs yet.")
    progress = page.get_by_role("progressbar", name="Sync progress")
    expect(progress).to_have_count(0)

    page.get_by_role("button", name="Sync now").click()

    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=30_000)
    expect(page.locator("#sync-progress")).to_contain_text("Sync finished: succeeded")
    assert page.locator("#sync-progress").get_attribute("hx-trigger") is None
    # What the sync changed arrives without a reload: the streak ended, the tables grew.
    expect(banner).to_have_count(0)
    expect(page.locator("#sync-history")).to_contain_text("hris_employees: 300")
    expect(page.locator("#sync-history")).not_to_contain_text("No syncs yet.")
    expect(_fact(page, "Last sync")).to_have_text("Succeeded · just now")
    expect(_fact(page, "Consecutive failures")).to_have_text("0")
    expect(page.locator("#history-strips")).to_contain_text("Last 7 days: 1 sync,")
    expect(page.locator("#integration-timeline")).to_contain_text("Authentication works again")
    _not_reloaded(page, navigations, opened)
    page.screenshot(path=str(screenshot_dir / "live-sync-finished.png"), full_page=True)
    sync = Sync.objects.get(integration=setup.integration)
    assert sync.state == SyncState.SUCCEEDED

    # A newer outcome replaces the finished box instead of sitting above a stale one.
    page.get_by_role("button", name="Check auth now").click()

    expect(page.locator("#action-result")).to_contain_text("Authentication works")
    expect(page.locator("#sync-progress")).not_to_contain_text("Sync finished")
    _not_reloaded(page, navigations, opened)
    assert console.errors == []

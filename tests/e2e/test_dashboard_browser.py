"""An operator signs in, finds an integration, disables it and creates an API key, in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.models import Environment
from integrations.models import Integration, IntegrationStatus, SyncPausedReason
from tests.support.browser import PHONE, BrowserConsole, horizontal_overflow
from tests.support.factories import IntegrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed_integrations(environment: Environment, other_environment: Environment) -> Integration:
    IntegrationFactory(
        environment=environment,
        organization_name="Initech Ltd",
        creator_email="peter@initech.example",
        origin_id="crm-1002",
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        consecutive_auth_failures=5,
    )
    IntegrationFactory(
        environment=environment,
        organization_name="Umbrella Health GmbH",
        creator_email="it@umbrella.example",
        origin_id="crm-1003",
        status=IntegrationStatus.INACTIVE,
        enabled=False,
    )
    IntegrationFactory(
        environment=other_environment,
        organization_name="Hooli Test Account",
        creator_email="qa@hooli.example",
        origin_id="crm-test-7",
    )
    return IntegrationFactory(
        environment=environment,
        organization_name="Globex Corporation",
        creator_email="hank@globex.example",
        origin_id="crm-1001",
    )


def _assert_no_horizontal_overflow(page: Page, url: str) -> None:
    page.goto(url)
    overflow = horizontal_overflow(page)
    if overflow:
        pytest.fail(overflow)


def test_it_lets_an_operator_find_disable_and_create_a_key(
    page: Page,
    console: BrowserConsole,
    live_server: object,
    operator: object,
    environment: Environment,
    other_environment: Environment,
    screenshot_dir: Path,
) -> None:
    base_url = str(live_server)
    globex = _seed_integrations(environment, other_environment)

    page.goto(f"{base_url}/dashboard/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "login.png"))
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Integrations")).to_be_visible()
    expect(page.get_by_role("link", name="Globex Corporation")).to_be_visible()
    expect(page.get_by_role("link", name="Initech Ltd")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)

    page.get_by_label("Search").fill("globex")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("link", name="Globex Corporation")).to_be_visible()
    expect(page.get_by_role("link", name="Initech Ltd")).to_have_count(0)

    page.get_by_role("link", name="Globex Corporation").click()
    expect(page.get_by_role("heading", name="Globex Corporation")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "integration-detail.png"), full_page=True)
    page.get_by_role("button", name="Disable integration").click()
    expect(page.locator(".messages")).to_contain_text("Globex Corporation is disabled")
    expect(page.locator("h1 .badge")).to_have_text("Inactive")
    expect(page.get_by_role("button", name="Enable integration")).to_be_visible()
    globex.refresh_from_db()
    assert globex.status == IntegrationStatus.INACTIVE

    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name").fill("Backend production")
    page.get_by_label("Environment").select_option("production")
    page.get_by_role("button", name="Create key").click()
    new_key = page.locator("#new-api-key")
    expect(new_key).to_have_text(re.compile(r"^ks_\w{32}$"))
    raw_key = new_key.inner_text()
    page.get_by_role("button", name="Copy key").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == raw_key
    page.screenshot(path=str(screenshot_dir / "api-key-created.png"), full_page=True)

    page.goto(f"{base_url}/dashboard/api-keys/")
    expect(page.get_by_role("cell", name="Backend production", exact=True)).to_be_visible()
    assert raw_key not in page.content()

    page.set_viewport_size(PHONE)
    for path in (
        "/dashboard/",
        f"/dashboard/integrations/{globex.pk}/",
        "/dashboard/api-keys/",
        "/dashboard/logs/",
    ):
        _assert_no_horizontal_overflow(page, f"{base_url}{path}")
    page.goto(f"{base_url}/dashboard/")
    page.screenshot(path=str(screenshot_dir / "dashboard-phone.png"), full_page=True)
    page.goto(f"{base_url}/dashboard/integrations/{globex.pk}/")
    page.screenshot(path=str(screenshot_dir / "integration-detail-phone.png"), full_page=True)

    assert console.errors == []

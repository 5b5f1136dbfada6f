"""Scope configs in Chromium: an operator edits one, then migrates three integrations to it with
magic links and watches one of them complete once its customer uses the link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from core.models import Environment
from integrations.models import Integration
from tests.support.browser import BrowserConsole
from tests.support.factories import ScopeConfigFactory, sandbox_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def test_it_edits_a_scope_config_and_expires_the_data_of_its_integrations(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    operator: object,
    environment: Environment,
    screenshot_dir: Path,
) -> None:
    scope = ScopeConfigFactory(environment=environment, name="Payroll")
    with override_settings(SANDBOX_HR_URL=f"{live_server.url}/sandbox-hr"):
        users = [
            sandbox_integration(environment=environment, scope_config=scope).integration
            for _ in range(2)
        ]
    _sign_in(page, f"{live_server.url}/dashboard/scope-configs/")

    row = page.locator("tr", has_text="Payroll")
    expect(row).to_contain_text("2")
    row.get_by_role("link", name="Edit Payroll").click()
    expect(page.get_by_role("heading", name="Payroll")).to_be_visible()
    field = page.get_by_label("Employees date_of_birth", exact=True)
    expect(field).to_have_value("ENABLED")
    expect(page.locator('tr[data-field-id="hris_employees.date_of_birth"]')).to_contain_text(
        "Sandbox HR"
    )
    field.select_option("DISABLED")
    page.locator("#scope-config-save").click()

    expect(page.locator(".messages")).to_contain_text(
        "Saved. 2 integrations will refresh their data at the next sync."
    )
    expect(page.get_by_label("Employees date_of_birth", exact=True)).to_have_value("DISABLED")
    scope.refresh_from_db()
    assert scope.field_setting("hris_employees", "date_of_birth") == "DISABLED"
    assert all(
        Integration.objects.get(pk=integration.pk).data_expired_at is not None
        for integration in users
    )
    page.screenshot(path=str(screenshot_dir / "scope-config-edited.png"), full_page=True)
    assert console.errors == []


def test_it_migrates_three_integrations_and_tracks_who_completed(
    page: Page,
    browser: Browser,
    console: BrowserConsole,
    live_server: Any,
    operator: object,
    environment: Environment,
    screenshot_dir: Path,
) -> None:
    basic = ScopeConfigFactory(environment=environment, name="Basic")
    wider = ScopeConfigFactory(environment=environment, name="Wider")
    with override_settings(
        BASE_URL=live_server.url, SANDBOX_HR_URL=f"{live_server.url}/sandbox-hr"
    ):
        setups = [
            sandbox_integration(environment=environment, scope_config=basic, organization_name=name)
            for name in ("Acme GmbH", "Globex SA", "Initech AG")
        ]
        sandbox_integration(
            environment=environment, scope_config=wider, organization_name="Already Wide"
        )
        _sign_in(page, f"{live_server.url}/dashboard/scope-configs/{wider.pk}/migrate/")

        page.get_by_label("Currently on").select_option(basic.pk)
        page.get_by_role("button", name="Apply").click()
        expect(page.locator("#candidate-count")).to_have_text("3")
        expect(page.locator("#candidate-table")).not_to_contain_text("Already Wide")
        page.locator("#select-all-shown").check()
        page.locator("#create-links").click()

        rows = page.locator("tr[data-integration-id]")
        expect(rows).to_have_count(3)
        acme = setups[0].integration
        url = (
            page.locator(f'tr[data-integration-id="{acme.pk}"]')
            .locator("[data-link-url]")
            .inner_text()
            .strip()
        )
        page.locator("#copy-all-links").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert url in copied
        assert copied.count("/connect/") == 3

        # Acme's customer uses the link in their own browser.
        customer_context = browser.new_context()
        customer = customer_context.new_page()
        customer.goto(url)
        customer.fill("input[name=api_key]", setups[0].raw_key)
        customer.get_by_role("button", name="Connect").click()
        expect(customer.get_by_role("heading", name="You're done")).to_be_visible()
        customer_context.close()

        page.locator("#migration-progress-link").click()
        expect(page.locator("#total-links")).to_have_text("3")
        expect(page.locator("#total-completed")).to_have_text("1")
        expect(page.locator(f'tr[data-integration-id="{acme.pk}"]')).to_have_attribute(
            "data-state", "COMPLETED"
        )
        page.screenshot(path=str(screenshot_dir / "scope-config-migration.png"), full_page=True)

    assert Integration.objects.get(pk=acme.pk).scope_config_id == wider.pk
    assert {
        Integration.objects.get(pk=setup.integration.pk).scope_config_id for setup in setups[1:]
    } == {basic.pk}
    assert console.errors == []

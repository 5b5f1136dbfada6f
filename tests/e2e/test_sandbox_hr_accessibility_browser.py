"""Sandbox HR's own pages, in Chromium at desktop and phone width, pass the same checks as the
dashboard's (tests/e2e/test_accessibility_browser.py): no axe-core violations (WCAG 2.0/2.1 A
and AA), dark text on a light page, nothing wider than the phone, every Tab stop visible and
usable, no console errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from sandbox_hr.models import SandboxUser, SandboxUserRole
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.accessibility import (
    VIEWPORTS,
    axe_violations,
    keyboard_problems,
    light_theme_problems,
)
from tests.support.browser import PHONE, BrowserConsole, horizontal_overflow
from tests.support.factories import ALL_PERMISSIONS, SANDBOX_PASSWORD, SandboxUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base_url: str, user: SandboxUser) -> None:
    page.goto(f"{base_url}/sandbox-hr/sign-in/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(SANDBOX_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sandbox-hr/employees/")


def _wrong_password(page: Page, base_url: str, user: SandboxUser) -> None:
    page.goto(f"{base_url}/sandbox-hr/sign-in/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()


def _visit(path: str) -> Callable[[Page, str, SandboxUser], None]:
    def visit(page: Page, base_url: str, user: SandboxUser) -> None:
        _sign_in(page, base_url, user)
        page.goto(base_url + path)

    return visit


def _create_without_permissions(page: Page, base_url: str, user: SandboxUser) -> None:
    _visit("/sandbox-hr/settings/api-keys/new/")(page, base_url, user)
    page.get_by_role("button", name="Create API key").click()


def _created(page: Page, base_url: str, user: SandboxUser) -> None:
    _visit("/sandbox-hr/settings/api-keys/new/")(page, base_url, user)
    page.get_by_role("checkbox", name="employees:read").check()
    page.get_by_role("button", name="Create API key").click()


def _revoke(page: Page, base_url: str, user: SandboxUser) -> None:
    _visit("/sandbox-hr/settings/api-keys/")(page, base_url, user)
    page.get_by_role("link", name="Revoke API key").first.click()


PAGES = [
    pytest.param(_wrong_password, SandboxUserRole.ADMINISTRATOR, "incorrect", id="sign-in-error"),
    pytest.param(
        _visit("/sandbox-hr/employees/"), SandboxUserRole.ADMINISTRATOR, "Zoë", id="employees"
    ),
    pytest.param(
        _visit("/sandbox-hr/settings/"), SandboxUserRole.ADMINISTRATOR, "API keys", id="settings"
    ),
    pytest.param(
        _visit("/sandbox-hr/settings/api-keys/"),
        SandboxUserRole.ADMINISTRATOR,
        "kombo-site",
        id="api-keys",
    ),
    pytest.param(
        _create_without_permissions,
        SandboxUserRole.ADMINISTRATOR,
        "Tick at least one",
        id="create-error",
    ),
    pytest.param(_created, SandboxUserRole.ADMINISTRATOR, "will not be shown again", id="created"),
    pytest.param(_revoke, SandboxUserRole.ADMINISTRATOR, "cannot be undone", id="revoke"),
    pytest.param(
        _visit("/sandbox-hr/settings/api-keys/"),
        SandboxUserRole.EMPLOYEE,
        "Only administrators",
        id="forbidden",
    ),
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("reach", "role", "shows"), PAGES)
def test_it_is_accessible(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    axe_path: Path,
    reach: Callable[[Page, str, SandboxUser], None],
    role: SandboxUserRole,
    shows: str,
    viewport: ViewportSize,
) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=30, seed=1)
    sandbox_api_key_create(account=account, name="kombo-site", permissions=ALL_PERMISSIONS)
    user = SandboxUserFactory(account=account, email="it@acme.example", role=role)
    page.set_viewport_size(viewport)

    reach(page, str(live_server), user)

    assert shows in page.locator("main").inner_text()
    problems = axe_violations(page, axe_path) + light_theme_problems(page)
    if viewport == PHONE:
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"layout: {overflow}")
    problems += keyboard_problems(page)
    # Chromium logs the 403 an employee is meant to get on an administrators' page as an error.
    expected = "status of 403" if role == SandboxUserRole.EMPLOYEE else None
    problems += [
        f"console: {error}" for error in console.errors if expected is None or expected not in error
    ]
    assert not problems, f"{page.url} at {viewport['width']}x{viewport['height']}:\n" + "\n".join(
        problems
    )

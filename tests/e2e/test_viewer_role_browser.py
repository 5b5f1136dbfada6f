"""A Viewer signs in through the login form and sees an integration page without its actions.

Expectation: issue 14's role table (a Viewer reads every page and changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.models import Environment
from core.roles import Role
from tests.support.browser import BrowserConsole
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.browser


def test_it_shows_a_viewer_the_integration_page_without_action_buttons(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    environment: Environment,
    role_user: Callable[[Role | None], Any],
) -> None:
    viewer = role_user(Role.VIEWER)
    integration = IntegrationFactory(environment=environment, organization_name="Globex")

    page.goto(f"{live_server.url}/dashboard/integrations/{integration.pk}/")
    page.get_by_label("Username").fill(viewer.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Globex")).to_be_visible()
    expect(page.get_by_role("heading", name="Relink integration")).to_be_visible()
    for name in ("Check auth now", "Sync now", "Disable integration", "Create link"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("link", name="Delete…")).to_have_count(0)
    expect(page.get_by_text("Creating and revoking links needs the Operator role.")).to_be_visible()
    assert console.errors == []

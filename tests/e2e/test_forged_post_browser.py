"""In real Chromium: a page on another site that submits a form to a customer's link (with
working credentials) gets the "sent from another website" page, and nothing changes. The
customer's own submission inside the operator's cross-site iframe still works
(`test_relink_embedded_browser.py`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page
from pytest_httpserver import HTTPServer

from core.models import Environment
from integrations.models import IntegrationStatus, LinkType
from integrations.services import link_find, relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.browser import BrowserConsole
from tests.support.factories import ALL_PERMISSIONS
from tests.support.relink import OPERATOR, broken_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATTACKER = """<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<form id="forged" method="post" action="{action}">
  <input name="api_key" value="{api_key}">
</form>
<script>document.getElementById("forged").submit();</script>
</body></html>"""


def test_it_refuses_a_form_another_site_submits_to_the_link(
    page: Page,
    console: BrowserConsole,
    httpserver: HTTPServer,
    live_server: Any,
    environment: Environment,
) -> None:
    with override_settings(SANDBOX_HR_URL=live_server.url + "/sandbox-hr"):
        setup = broken_integration(environment)
        _, url = relink_link_create(
            integration=setup.integration,
            link_type=LinkType.MAGIC_LINK,
            language="en",
            actor=OPERATOR,
        )
        action = url.replace(url.split("/connect/")[0], live_server.url)
        _, raw = sandbox_api_key_create(
            account=setup.account, name="attacker", permissions=ALL_PERMISSIONS
        )
        # The attacker's page on 127.0.0.1, the link on localhost: another site.
        httpserver.expect_request("/win-a-prize").respond_with_data(
            ATTACKER.format(action=action, api_key=raw), content_type="text/html"
        )

        page.goto(f"http://127.0.0.1:{httpserver.port}/win-a-prize")
        page.locator("h1", has_text="This form was sent from another website").wait_for()

        assert page.url == action
        assert "nothing was changed" in page.locator("body").inner_text()
        setup.integration.refresh_from_db()
        assert setup.integration.status == IntegrationStatus.INVALID
        link = link_find(token=action.rsplit("/", 1)[1])
        assert link is not None
        assert link.used_at is None

        # The customer opening the very same link afterwards completes it as usual.
        page.goto(action)
        page.locator("input[name=api_key]").fill(raw)
        page.locator("button[type=submit]").click()
        page.locator("h1", has_text="You're done").wait_for()
        setup.integration.refresh_from_db()
        assert setup.integration.status == IntegrationStatus.ACTIVE
    # The refused post is a 403 document load, which Chromium reports on the console.
    assert all("403" in error for error in console.errors)

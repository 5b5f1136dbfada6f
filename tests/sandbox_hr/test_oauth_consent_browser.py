"""In Chromium: a Sandbox HR administrator follows an app's authorization link, signs in, sees
the consent page and allows; the browser lands on the app's redirect URI with a code and the
app's state (RFC 6749 §4.1.1-§4.1.2), and the code is good for tokens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import Page, Route, expect, sync_playwright

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from sandbox_hr.services import sandbox_account_create
from tests.support.browser import CHROMIUM_ARGS, DESKTOP, BrowserConsole
from tests.support.factories import SANDBOX_PASSWORD, SandboxUserFactory
from tests.support.sandbox_hr import REDIRECT_URI, TOKEN, authorize_url, oauth_app_registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM
    # calls from test code although nothing here is actually async.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_it_lets_an_administrator_allow_an_app_in_the_browser(page: Page, live_server: Any) -> None:
    account = sandbox_account_create(name="Initech AG", employees=2, seed=3)
    admin = SandboxUserFactory(account=account, email="peter@initech.example")
    registered = oauth_app_registered()
    console = BrowserConsole()
    page.on("console", console.record)
    # The app's callback is not served here: the browser's arrival there is what counts.
    page.route(f"{REDIRECT_URI}*", _app_callback)

    page.goto(live_server.url + authorize_url(registered, scope=f"{PERM_EMPLOYEES} {PERM_GROUPS}"))
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(SANDBOX_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(
        page.get_by_role("heading", name="Connect “Acme Integrations” to Initech AG?")
    ).to_be_visible()
    expect(page.get_by_text("See departments, teams and cost centers")).to_be_visible()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{REDIRECT_URI}*")

    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["af0ifjsldkj"]
    token = requests.post(
        live_server.url + TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT_URI,
        },
        auth=(registered.client_id, registered.client_secret),
        timeout=10,
    )
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == f"{PERM_EMPLOYEES} {PERM_GROUPS}"
    assert console.errors == []


def _app_callback(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body="<title>App</title>Connected")

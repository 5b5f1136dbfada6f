"""In Chromium: a Sandbox HR administrator follows an app's authorization link, signs in, sees
the consent page and allows; the browser lands on the app's redirect URI with a code and the
app's state (RFC 6749 §4.1.1-§4.1.2), and the code is good for tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import Page, expect

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from sandbox_hr.models import SandboxUser
from sandbox_hr.services import sandbox_account_create
from tests.support.browser import BrowserConsole
from tests.support.factories import SANDBOX_PASSWORD, SandboxUserFactory
from tests.support.sandbox_hr import (
    TOKEN,
    RegisteredApp,
    authorize_url,
    oauth_app_registered,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Setup:
    admin: SandboxUser
    registered: RegisteredApp
    callback: str


@pytest.fixture
def setup(live_server: Any) -> Setup:
    account = sandbox_account_create(name="Initech AG", employees=2, seed=3)
    admin: SandboxUser = SandboxUserFactory(account=account, email="peter@initech.example")
    # On loopback, so the browser never looks up another host. Nothing is served there (a
    # 404): the browser's arrival with the code is what counts.
    callback = f"{live_server.url}/app/oauth/callback"
    return Setup(admin, oauth_app_registered(redirect_uris=(callback,)), callback)


def test_it_lets_an_administrator_allow_an_app_in_the_browser(
    setup: Setup, page: Page, console: BrowserConsole, live_server: Any
) -> None:
    admin, registered, callback = setup.admin, setup.registered, setup.callback

    page.goto(
        live_server.url
        + authorize_url(registered, scope=f"{PERM_EMPLOYEES} {PERM_GROUPS}", redirect_uri=callback)
    )
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(SANDBOX_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(
        page.get_by_role("heading", name="Connect “Acme Integrations” to Initech AG?")
    ).to_be_visible()
    expect(page.get_by_text("See departments, teams and cost centers")).to_be_visible()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(lambda url: url.startswith(callback))

    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["af0ifjsldkj"]
    token = requests.post(
        live_server.url + TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": callback,
        },
        auth=(registered.client_id, registered.client_secret),
        timeout=10,
    )
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == f"{PERM_EMPLOYEES} {PERM_GROUPS}"
    assert [error for error in console.errors if callback not in error] == []

"""Kombo's official frontend library (`@kombo-api/connect` from npm) against our embedded
connection pages: `showKomboConnect(link)` resolves to an activation token the operator's
backend exchanges for the integration, and closing rejects with `KomboConnectCancelledError`."""

from __future__ import annotations

from typing import Any

import pytest
from kombo import Kombo
from playwright.sync_api import Page
from pytest_httpserver import HTTPServer

from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.browser import BrowserConsole
from tests.support.factories import ALL_PERMISSIONS
from tests.support.kombo_connect import APP, on_ip
from tests.support.relink import broken_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page: Page, app: HTTPServer, live_server: Any, setup: Any) -> Any:
    _, url = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
    )
    link = url.replace(url.split("/connect/")[0], live_server.url)
    app.expect_request("/app").respond_with_data(APP % f'"{link}"', content_type="text/html")
    page.goto(on_ip(app, "/app"))
    page.click("#open")
    return page.frame_locator("iframe")


def test_it_resolves_to_an_activation_token_the_backend_exchanges(
    page: Page,
    console: BrowserConsole,
    operator_app: HTTPServer,
    live_server: Any,
    environment: Environment,
    api_key: tuple[ApiKey, str],
) -> None:
    setup = broken_integration(environment)
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    frame = _open(page, operator_app, live_server, setup)
    frame.locator("input[name=api_key]").fill(raw)
    frame.locator("button[type=submit]").click()
    outcome = page.evaluate("window.outcome")

    assert set(outcome) == {"token"}
    assert page.locator("iframe").count() == 0
    sdk = Kombo(api_key=api_key[1], server_url=f"{live_server.url}/api/v1")
    data = sdk.connect.get_integration_by_token(token=outcome["token"]).data
    assert data.id == setup.integration.pk
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE
    assert console.errors == []


def test_it_rejects_with_cancelled_when_the_customer_closes(
    page: Page,
    console: BrowserConsole,
    operator_app: HTTPServer,
    live_server: Any,
    environment: Environment,
) -> None:
    setup = broken_integration(environment)

    frame = _open(page, operator_app, live_server, setup)
    frame.get_by_role("button", name="Close").click()
    outcome = page.evaluate("window.outcome")

    assert outcome == {"error": "KomboConnectCancelledError"}
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID
    assert console.errors == []

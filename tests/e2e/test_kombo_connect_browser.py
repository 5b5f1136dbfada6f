"""Kombo's official frontend library (`@kombo-api/connect` from npm) against our embedded
connection pages: `showKomboConnect(link)` resolves to an activation token the operator's
backend exchanges for the integration, and closing rejects with `KomboConnectCancelledError`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
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
from tests.support.relink import broken_integration
from tests.support.services import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIBRARY = Path(__file__).parent / "kombo_connect/node_modules/@kombo-api/connect/dist/index.mjs"
APP = """<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<button id="open">Connect your HR system</button>
<script type="module">
  import { showKomboConnect } from "/kombo-connect.mjs";
  document.getElementById("open").addEventListener("click", function () {
    window.outcome = showKomboConnect(%s).then(
      function (token) { return { token: token }; },
      function (error) { return { error: error.name }; }
    );
  });
</script>
</body></html>"""


def _on_ip(httpserver: HTTPServer, path: str) -> str:
    # The operator's app on 127.0.0.1, the connect pages on localhost: another site.
    return f"http://127.0.0.1:{httpserver.port}{path}"


@pytest.fixture
def operator_app(httpserver: HTTPServer, live_server: Any) -> Iterator[HTTPServer]:
    require_service("@kombo-api/connect", LIBRARY.exists(), "`make test` installs it with npm")
    httpserver.expect_request("/kombo-connect.mjs").respond_with_data(
        LIBRARY.read_text(), content_type="text/javascript"
    )
    with override_settings(
        SANDBOX_HR_URL=live_server.url + "/sandbox-hr",
        CONNECT_FRAME_ANCESTORS=[_on_ip(httpserver, "")],
    ):
        yield httpserver


def _open(page: Page, app: HTTPServer, live_server: Any, setup: Any) -> Any:
    _, url = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
    )
    link = url.replace(url.split("/connect/")[0], live_server.url)
    app.expect_request("/app").respond_with_data(APP % f'"{link}"', content_type="text/html")
    page.goto(_on_ip(app, "/app"))
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

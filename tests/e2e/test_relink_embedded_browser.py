"""An EMBEDDED reconnection link inside an iframe on the operator's (cross-site) page: the
customer completes it there, the page receives the activation token by postMessage, and the
operator's backend exchanges it for the integration. A page from another origin can't frame it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page
from pytest_httpserver import HTTPServer

from core.models import Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import activation_token_exchange, relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.browser import BrowserConsole
from tests.support.factories import ALL_PERMISSIONS
from tests.support.relink import broken_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARENT = """<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<p id="result">waiting</p>
<iframe id="connect" src="{src}" width="800" height="1200"></iframe>
<script>
  window.addEventListener("message", function (event) {{
    if (event.origin !== "{origin}") {{ return; }}
    document.getElementById("result").textContent = JSON.stringify(event.data);
  }});
</script>
</body></html>"""


def _on_ip(httpserver: HTTPServer, path: str) -> str:
    # The operator's app on 127.0.0.1, the connect pages on localhost: another site.
    return f"http://127.0.0.1:{httpserver.port}{path}"


@pytest.fixture
def operator_app(httpserver: HTTPServer, live_server: Any) -> Iterator[HTTPServer]:
    allowed = _on_ip(httpserver, "")
    with override_settings(
        SANDBOX_HR_URL=live_server.url + "/sandbox-hr", CONNECT_FRAME_ANCESTORS=[allowed]
    ):
        yield httpserver


def test_it_completes_inside_a_cross_site_iframe_and_posts_the_activation_token(
    page: Page,
    console: BrowserConsole,
    operator_app: HTTPServer,
    live_server: Any,
    environment: Environment,
) -> None:
    setup = broken_integration(environment)
    _, url = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
    )
    src = url.replace(url.split("/connect/")[0], live_server.url)
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)
    operator_app.expect_request("/app").respond_with_data(
        PARENT.format(src=src, origin=live_server.url), content_type="text/html"
    )

    page.goto(_on_ip(operator_app, "/app"))
    frame = page.frame_locator("#connect")
    frame.locator("input[name=api_key]").fill(raw)
    frame.locator("button[type=submit]").click()
    frame.locator("h1", has_text="You're done").wait_for()
    page.locator("#result", has_text="activation_token").wait_for()

    message = page.evaluate("JSON.parse(document.getElementById('result').textContent)")
    assert message["type"] == "success"
    integration = activation_token_exchange(
        environment_id=environment.pk, token=message["data"]["activation_token"]
    )
    assert integration is not None
    assert integration.pk == setup.integration.pk
    assert integration.status == IntegrationStatus.ACTIVE
    assert console.errors == []


def test_it_cannot_be_framed_by_another_origin(
    page: Page,
    console: BrowserConsole,
    httpserver: HTTPServer,
    live_server: Any,
    environment: Environment,
) -> None:
    with override_settings(
        SANDBOX_HR_URL=live_server.url + "/sandbox-hr",
        CONNECT_FRAME_ANCESTORS=["https://app.operator.example"],
    ):
        setup = broken_integration(environment)
        _, url = relink_link_create(
            integration=setup.integration,
            link_type=LinkType.EMBEDDED,
            language="en",
            actor=Actor.system("tests"),
        )
        src = url.replace(url.split("/connect/")[0], live_server.url)
        httpserver.expect_request("/evil").respond_with_data(
            PARENT.format(src=src, origin=live_server.url), content_type="text/html"
        )

        page.goto(_on_ip(httpserver, "/evil"))
        page.wait_for_timeout(1500)

        frame = page.frame_locator("#connect")
        assert frame.locator("input[name=api_key]").count() == 0
    assert any("frame-ancestors" in error for error in console.errors)

"""An operator's day in Chromium, with a real Celery worker on Redis behind the site: find the
broken integration, relink and revoke, redeliver a webhook. (Following a forced sync to 100%:
test_integration_page_live_browser.py.)"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.models import Environment
from integrations.models import Integration, IntegrationStatus, ReconnectionLink, SyncPausedReason
from integrations.services import link_find
from tests.support.browser import BrowserConsole
from tests.support.factories import IntegrationFactory
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import endpoint_create, event_emit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def signed_in(page: Page, live_server: Any, operator: object) -> Page:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Integrations", exact=True)).to_be_visible()
    return page


def _wait_for(predicate: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_it_finds_an_invalid_integration_then_creates_copies_and_revokes_a_link(
    signed_in: Page,
    console: BrowserConsole,
    live_server: Any,
    environment: Environment,
    screenshot_dir: Path,
) -> None:
    page = signed_in
    IntegrationFactory(environment=environment, organization_name="Healthy Corp")
    broken = IntegrationFactory(
        environment=environment,
        organization_name="Initech Ltd",
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        consecutive_auth_failures=31,
        auth_failing_since=Integration.objects.get(organization_name="Healthy Corp").created_at,
    )
    page.reload()

    page.get_by_role("link", name=re.compile(r"^Credentials invalid 1$")).click()
    expect(page.get_by_role("link", name="Healthy Corp")).to_have_count(0)
    page.get_by_role("link", name="Initech Ltd").click()

    expect(page.get_by_role("heading", name="Initech Ltd")).to_be_visible()
    expect(page.locator(".health-banner")).to_contain_text("(31 failed checks). Syncs are paused.")
    page.get_by_role("radio", name="Magic link").check()
    with override_settings(BASE_URL=live_server.url):
        page.get_by_role("button", name="Create link").click()
        expect(page.locator("#relink-url")).to_be_visible()
    expect(page.get_by_role("heading", name="Reconnection link created")).to_be_visible()
    url = page.locator("#relink-url").inner_text()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    link = link_find(token=url.rsplit("/", 1)[1])
    assert link is not None
    assert link.integration_id == broken.pk

    page.get_by_role("link", name="Back to the integration").click()
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messages")).to_contain_text("The link was revoked")
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    assert ReconnectionLink.objects.get(pk=link.pk).revoked_at is not None
    assert console.errors == []
    # The customer who opens it now gets a clear page (with a 404 status the console reports).
    page.goto(url)
    expect(page.locator("body")).to_contain_text("This link can't be used")
    page.goto(f"{live_server.url}/dashboard/integrations/{broken.pk}/")
    page.screenshot(path=str(screenshot_dir / "story-relink-revoked.png"), full_page=True)


def test_it_redelivers_a_failed_webhook(
    signed_in: Page,
    console: BrowserConsole,
    live_server: Any,
    environment: Environment,
    httpserver: HTTPServer,
    redis_worker: None,
    screenshot_dir: Path,
) -> None:
    page = signed_in
    received: list[str] = []
    receiver_up = False

    def receive(request: Request) -> Response:
        if not receiver_up:
            return Response("maintenance", status=503)
        received.append(request.headers["webhook-id"])
        return Response("ok")

    httpserver.expect_request("/hooks").respond_with_handler(receive)
    endpoint, _ = endpoint_create(
        environment_id=environment.pk, url=httpserver.url_for("/hooks"), description="CRM"
    )
    integration = IntegrationFactory(environment=environment, organization_name="Globex")
    event = event_emit(
        environment_id=environment.pk,
        type="integration-state-changed",
        data={"id": integration.pk},
        integration_id=integration.pk,
    )
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    # The worker behind the site makes the first attempt as soon as the event commits.
    _wait_for(lambda: delivery.attempts.filter(status_code=503).exists())
    # Three days of such attempts later, the delivery gives up.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)

    page.get_by_role("link", name="Webhooks").click()
    page.get_by_role("link", name="Deliveries").first.click()
    page.get_by_label("Status").select_option("FAILED")
    page.get_by_role("button", name="Apply").click()
    page.locator("tbody tr", has_text="integration-state-changed").locator(".row-link").click()
    expect(page.locator("body")).to_contain_text("503")
    receiver_up = True
    page.get_by_role("button", name="Redeliver").click()

    expect(page.locator(".messages")).to_contain_text("Redelivery queued")
    _wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "DELIVERED")
    page.reload()
    expect(page.locator("h1")).to_contain_text("Delivered")
    assert received == [event.pk]
    page.screenshot(path=str(screenshot_dir / "story-webhook-redelivered.png"), full_page=True)
    assert console.errors == []

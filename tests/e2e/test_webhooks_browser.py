"""An operator adds a webhook endpoint pointing at the built-in inspector, sends a test event
and sees it arrive signed, in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from core.models import Environment
from tests.support.browser import BrowserConsole
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt

PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _deliver_pending() -> None:
    """What a worker does with the deliveries handed to it."""
    for delivery_id in WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values_list(
        "pk", flat=True
    ):
        attempt = delivery_attempt(delivery_id=delivery_id)
        assert attempt is not None
        assert attempt.status_code == 200, attempt.error_message


def _assert_fits_a_phone(page: Page, url: str) -> None:
    page.goto(url)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{url} is {scroll_width}px wide at phone width"


def test_it_sends_a_signed_test_event_to_the_inspector(
    page: Page,
    console: BrowserConsole,
    live_server: object,
    operator: object,
    environment: Environment,
    screenshot_dir: Path,
) -> None:
    base_url = str(live_server)
    inspector_url = f"{base_url}/inspector/e2e/"

    page.goto(f"{base_url}/dashboard/webhooks/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Webhooks")).to_have_attribute("aria-current", "page")

    page.get_by_label("URL").fill(inspector_url)
    page.get_by_label("Description").fill("E2E receiver")
    page.get_by_label("Environment").select_option("production")
    page.get_by_label("integration-created").check()
    page.get_by_label("sync-finished").check()
    page.get_by_role("button", name="Add endpoint").click()

    secret = page.locator("#new-webhook-secret")
    expect(secret).to_have_text(re.compile(r"^whsec_[A-Za-z0-9+/=]{40,}$"))
    shown_secret = secret.inner_text()
    endpoint = WebhookEndpoint.objects.get()
    assert secret_decrypt(endpoint.secret_encrypted) == shown_secret
    assert endpoint.event_types == ["integration-created", "sync-finished"]
    page.get_by_role("button", name="Copy secret").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == shown_secret
    page.screenshot(path=str(screenshot_dir / "webhooks-created.png"), full_page=True)

    page.get_by_role("button", name="Send test event").click()
    expect(page.locator(".messages")).to_contain_text("Test event sent to “E2E receiver”")
    expect(page.locator("h1 .badge")).to_have_text("Pending")

    _deliver_pending()

    page.reload()
    expect(page.locator("h1 .badge")).to_have_text("Delivered")
    expect(page.get_by_role("heading", name=re.compile(r"Attempt 1\s+200"))).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "webhooks-delivery.png"), full_page=True)

    page.get_by_role("link", name="Deliveries", exact=True).click()
    expect(page.get_by_role("cell", name="test", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "webhooks-deliveries.png"), full_page=True)

    page.get_by_role("link", name="Webhooks", exact=True).first.click()
    expect(page.locator("[data-success-rate]")).to_have_text("100% delivered")
    assert shown_secret not in page.content()
    page.screenshot(path=str(screenshot_dir / "webhooks.png"), full_page=True)

    page.get_by_role("link", name="Open request inspector").click()
    expect(page.get_by_role("heading", name="Request inspector")).to_be_visible()
    received = page.locator("article.inspector-request")
    expect(received).to_have_count(1)
    expect(received.locator('[data-signature="standard-webhooks"]')).to_have_text(
        "Standard Webhooks signature verified"
    )
    expect(received.locator('[data-signature="kombo"]')).to_have_text("X-Kombo-Signature verified")
    expect(received.locator("pre")).to_contain_text('"message": "A test event from kombo-site."')
    page.screenshot(path=str(screenshot_dir / "webhooks-inspector.png"), full_page=True)
    assert shown_secret not in page.content()

    page.get_by_role("link", name="Webhooks", exact=True).first.click()
    page.get_by_role("button", name="Disable").click()
    expect(
        page.get_by_role("status").filter(has_text="E2E receiver is disabled since")
    ).to_contain_text("Disabled by an operator.")
    expect(page.get_by_role("button", name="Enable")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "webhooks-disabled.png"), full_page=True)

    page.set_viewport_size(PHONE)
    delivery = WebhookDelivery.objects.get()
    for path in (
        "/dashboard/webhooks/",
        "/dashboard/webhooks/deliveries/",
        f"/dashboard/webhooks/deliveries/{delivery.pk}/",
        "/dashboard/webhooks/inspector/e2e/",
    ):
        _assert_fits_a_phone(page, f"{base_url}{path}")
    page.goto(f"{base_url}/dashboard/webhooks/")
    page.screenshot(path=str(screenshot_dir / "webhooks-phone.png"), full_page=True)

    assert console.errors == []

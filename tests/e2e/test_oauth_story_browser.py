"""The OAuth reconnection story in Chromium, with Sandbox HR as the OAuth provider.

A customer connects through the embedded flow: the operator's page opens the link with Kombo's
`@kombo-api/connect`, the link's page opens Sandbox HR's consent page in a popup, and the
library resolves to an activation token the operator's backend exchanges. Sandbox HR's admin
then revokes the app; with a short grace period the integration goes INVALID, its syncs pause
and `integration-state-changed` arrives. A magic relink link brings the customer through the
consent page again: ACTIVE, same company, syncs resume. Consent given for another company is
refused.

Sources: Kombo's Connect docs (the embedded flow resolves to an activation token exchanged with
`GET /connect/integration-by-token/{token}`; `integration-state-changed` when an integration
becomes INVALID and ACTIVE again); RFC 6749 §4.1 (authorization code grant with the customer
signing in at the provider); RFC 7636 (PKCE, which Sandbox HR's provider checks).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from kombo import Kombo
from playwright.sync_api import Browser, FrameLocator, Page, Route, expect
from pytest_httpserver import HTTPServer

from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import (
    Integration,
    IntegrationStatus,
    LinkType,
    OAuthFlow,
    SyncPausedReason,
)
from integrations.services import connect_link_create, relink_link_create
from integrations.services.oauth_flow import oauth_redirect_uri
from integrations.services.oauth_tokens import oauth_app_save
from sandbox_hr.models import SandboxAccount
from sandbox_hr.services import sandbox_account_create, sandbox_oauth_app_register
from syncs.models import Employee, SyncState
from syncs.services import scheduler_tick
from tests.support.browser import BrowserConsole
from tests.support.factories import SANDBOX_PASSWORD, SandboxUserFactory, ScopeConfigFactory
from tests.support.kombo_connect import APP, on_ip
from tests.support.processes import run_queued_syncs
from tests.support.receivers import Receiver, receiving
from tests.support.sweep import deliver_webhooks
from webhooks.services import endpoint_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOOL = "sandbox_oauth"
TOOL_LABEL = "Sandbox HR (OAuth)"


@pytest.fixture
def provider(
    live_server: Any, operator_app: HTTPServer, environment: Environment
) -> Iterator[None]:
    """Sandbox HR on the live server, the operator's app registered there and saved here."""
    with override_settings(
        BASE_URL=live_server.url,
        SANDBOX_HR_URL=live_server.url + "/sandbox-hr",
        CONNECT_FRAME_ANCESTORS=[on_ip(operator_app, "")],
        AUTH_FAILURE_GRACE_PERIOD=timedelta(seconds=90),
    ):
        app, secret = sandbox_oauth_app_register(
            name="Acme Payroll", redirect_uris=[oauth_redirect_uri()]
        )
        oauth_app_save(
            environment_id=environment.pk,
            tool_id=TOOL,
            client_id=app.client_id,
            client_secret=secret,
        )
        yield


def _company(name: str, seed: int) -> tuple[SandboxAccount, str]:
    account = sandbox_account_create(name=name, employees=12, seed=seed)
    admin = SandboxUserFactory(account=account)
    return account, admin.email


def _sign_in_and_allow(window: Page, email: str) -> None:
    """At Sandbox HR: sign in (it asks first), read the consent page, allow."""
    window.get_by_label("Email").fill(email)
    window.get_by_label("Password").fill(SANDBOX_PASSWORD)
    window.get_by_role("button", name="Sign in").click()
    expect(window.get_by_role("heading", name="Connect “Acme Payroll”")).to_be_visible()
    window.get_by_role("button", name="Allow").click()


def _embedded_link_opened(
    page: Page, operator_app: HTTPServer, environment: Environment
) -> FrameLocator:
    """A new customer's EMBEDDED connect link, opened by the operator's page with
    `@kombo-api/connect`: the link's page in its iframe."""
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Umbrella SA",
        email="it@umbrella.example",
        origin_id="umbrella",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
        tool_id=TOOL,
    )
    operator_app.expect_request("/app").respond_with_data(
        APP % f'"{url}"', content_type="text/html"
    )
    page.goto(on_ip(operator_app, "/app"))
    page.click("#open")
    return page.frame_locator("iframe")


def _connect_embedded(
    page: Page, operator_app: HTTPServer, live_server: Any, environment: Environment, email: str
) -> str:
    frame = _embedded_link_opened(page, operator_app, environment)
    expect(frame.get_by_role("heading", name=f"Connect {TOOL_LABEL}")).to_be_visible()
    with page.expect_popup() as popup_opened:
        frame.get_by_role("button", name=f"Continue to {TOOL_LABEL}").click()
    popup = popup_opened.value
    expect(frame.get_by_role("status")).to_contain_text("Waiting for you to finish")
    _sign_in_and_allow(popup, email)
    popup.wait_for_event("close")
    outcome = page.evaluate("window.outcome")
    assert set(outcome) == {"token"}, outcome
    token: str = outcome["token"]
    return token


def _fail_checks_past_the_grace_period(integration: Integration) -> None:
    for offset in (0, 100, 200):
        with time_machine.travel(timezone.now() + timedelta(seconds=offset), tick=False):
            Integration.objects.filter(pk=integration.pk, sync_paused_reason__isnull=True).update(
                next_sync_at=timezone.now()
            )
            scheduler_tick()
            run_queued_syncs()


def _states(receiver: Receiver) -> list[str]:
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        deliver_webhooks()
    return [r.event["data"]["state"] for r in receiver.received if r.accepted]


def test_it_connects_breaks_and_relinks_through_the_consent_page(
    page: Page,
    browser: Browser,
    console: BrowserConsole,
    live_server: Any,
    operator_app: HTTPServer,
    provider: None,
    environment: Environment,
    api_key: tuple[ApiKey, str],
) -> None:
    account, admin_email = _company("Umbrella SA", seed=1)
    with receiving() as receiver:
        _, secret = endpoint_create(
            environment_id=environment.pk,
            url=receiver.url,
            event_types=["integration-state-changed"],
        )
        receiver.secrets.append(secret)

        token = _connect_embedded(page, operator_app, live_server, environment, admin_email)
        sdk = Kombo(api_key=api_key[1], server_url=f"{live_server.url}/api/v1")
        integration = Integration.objects.get(
            pk=sdk.connect.get_integration_by_token(token=token).data.id
        )
        assert integration.remote_account_id == account.pk
        scheduler_tick()
        assert [sync.state for sync in run_queued_syncs()] == [SyncState.SUCCEEDED]
        assert Employee.objects.filter(integration=integration).count() == 12

        # Sandbox HR's admin revokes the app (Settings → Connected apps → Revoke).
        admin_context = browser.new_context()
        admin = admin_context.new_page()
        admin.goto(f"{live_server.url}/sandbox-hr/settings/connected-apps/")
        admin.get_by_label("Email").fill(admin_email)
        admin.get_by_label("Password").fill(SANDBOX_PASSWORD)
        admin.get_by_role("button", name="Sign in").click()
        admin.get_by_role("link", name="Revoke access of Acme Payroll").click()
        admin.get_by_role("button", name="Revoke access").click()
        expect(admin.get_by_role("status")).to_contain_text("Disconnected “Acme Payroll”")
        admin_context.close()

        _fail_checks_past_the_grace_period(integration)
        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.INVALID
        assert integration.sync_paused_reason == SyncPausedReason.AUTHENTICATION

        # A magic link: the customer, in their own browser, allows access again.
        _, link = relink_link_create(
            integration=integration,
            link_type=LinkType.MAGIC_LINK,
            language="en",
            actor=Actor.system("tests"),
        )
        customer_context = browser.new_context()
        customer = customer_context.new_page()
        customer.goto(link)
        customer.get_by_role("button", name=f"Continue to {TOOL_LABEL}").click()
        _sign_in_and_allow(customer, admin_email)
        expect(customer.get_by_role("heading", name="You're done")).to_be_visible()
        customer_context.close()

        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.ACTIVE
        assert integration.sync_paused_reason is None
        assert integration.remote_account_id == account.pk
        scheduler_tick()
        assert [sync.state for sync in run_queued_syncs()] == [SyncState.SUCCEEDED]
        assert _states(receiver) == ["INVALID", "ACTIVE"]
    assert [e for e in console.errors if "favicon" not in e] == []


def test_it_refuses_consent_given_for_another_company_on_relink(
    page: Page,
    browser: Browser,
    console: BrowserConsole,
    live_server: Any,
    operator_app: HTTPServer,
    provider: None,
    environment: Environment,
    api_key: tuple[ApiKey, str],
) -> None:
    account, admin_email = _company("Umbrella SA", seed=1)
    _, other_admin_email = _company("Initech", seed=2)
    token = _connect_embedded(page, operator_app, live_server, environment, admin_email)
    sdk = Kombo(api_key=api_key[1], server_url=f"{live_server.url}/api/v1")
    integration = Integration.objects.get(
        pk=sdk.connect.get_integration_by_token(token=token).data.id
    )
    credentials_before = integration.credential_versions.count()

    _, link = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
    )
    customer_context = browser.new_context()
    customer = customer_context.new_page()
    customer.goto(link)
    customer.get_by_role("button", name=f"Continue to {TOOL_LABEL}").click()
    _sign_in_and_allow(customer, other_admin_email)

    expect(customer.get_by_role("alert")).to_contain_text(
        f"These credentials belong to another {TOOL_LABEL} account."
    )
    customer_context.close()
    integration.refresh_from_db()
    assert integration.remote_account_id == account.pk
    assert integration.credential_versions.count() == credentials_before
    assert [e for e in console.errors if "favicon" not in e] == []


def test_it_says_so_when_the_browser_blocks_the_popup(
    browser: Browser,
    live_server: Any,
    operator_app: HTTPServer,
    provider: None,
    environment: Environment,
) -> None:
    """A browser that blocks the popup answers `window.open` with null (HTML Standard, "The
    window open steps": a popup the user agent blocks returns null). Headless Chromium blocks
    none, not even one opened from a timer with pop-ups set to "block" in its profile (tried),
    so the page's `window.open` answers as a blocking browser would until it is clicked with
    pop-ups allowed again; the page must say what to do, and a click then opens it."""
    context = browser.new_context()
    context.add_init_script(
        "(() => { const open = window.open.bind(window);"
        " window.open = (...args) => (window.popupsAllowed ? open(...args) : null); })()"
    )
    try:
        page = context.new_page()
        frame = _embedded_link_opened(page, operator_app, environment)
        continue_button = frame.get_by_role("button", name=f"Continue to {TOOL_LABEL}")
        continue_button.click()

        expect(frame.get_by_role("alert")).to_contain_text(
            f"Your browser blocked the {TOOL_LABEL} window. Allow pop-ups for this page"
        )
        assert not OAuthFlow.objects.exists()
        frame.locator("body").evaluate("() => { window.popupsAllowed = true; }")
        with page.expect_popup():
            continue_button.click()
        expect(frame.get_by_role("alert")).to_be_hidden()
        expect(frame.get_by_role("status")).to_contain_text("Waiting for you to finish")
    finally:
        context.close()


def test_it_offers_the_popup_only_once_the_page_can_follow_it(
    browser: Browser,
    live_server: Any,
    operator_app: HTTPServer,
    provider: None,
    environment: Environment,
) -> None:
    """HTML Standard, "form submission": a form whose target names no open window opens a new
    one, so a click before the page's script runs would send the customer to the vendor in a
    window the page never follows. Until the script has run, the button cannot be clicked
    (the script is held back here as a slow network would)."""
    context = browser.new_context()
    held: list[Route] = []
    context.route("**/js/connect-oauth-popup.js", lambda route: held.append(route))
    try:
        page = context.new_page()
        frame = _embedded_link_opened(page, operator_app, environment)
        continue_button = frame.get_by_role("button", name=f"Continue to {TOOL_LABEL}")
        expect(continue_button).to_be_visible()
        expect(continue_button).to_be_disabled()

        held[0].continue_()
        with page.expect_popup():
            continue_button.click()
        expect(frame.get_by_role("status")).to_contain_text("Waiting for you to finish")
    finally:
        context.close()

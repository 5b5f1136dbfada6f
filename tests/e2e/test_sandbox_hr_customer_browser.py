"""A customer repairs a broken sandbox integration without the operator dashboard: they read the
hosted form's guide, do word by word what it says in Sandbox HR, and paste the new key back.

Every click comes from the guide the customer reads on the hosted form (its English steps and
its "Permissions to grant in Sandbox HR" list), not from Sandbox HR's code: if the guide and
Sandbox HR's pages drift apart, this test fails.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from core.crypto import decrypt_json
from core.models import Environment
from integrations.actors import Actor
from integrations.models import CredentialSource, CredentialVersion, IntegrationStatus, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_demo_logins_create
from tests.support.browser import BrowserConsole
from tests.support.relink import broken_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGN_IN_STEP = "Sign in to Sandbox HR as an administrator."
OPEN_AND_CLICK_STEP = re.compile(
    r"Open (?P<place>.+?) → (?P<section>.+?) and click “(?P<button>.+?)”"
)
KEY_PREFIX_STEP = re.compile(r"it starts with “(?P<prefix>[^”]+)”")


def test_it_lets_a_customer_follow_the_guide_in_sandbox_hr_and_relink(
    page: Page, console: BrowserConsole, live_server: Any, environment: Environment
) -> None:
    with override_settings(
        BASE_URL=live_server.url, SANDBOX_HR_URL=live_server.url + "/sandbox-hr"
    ):
        setup = broken_integration(environment)
        integration = setup.integration
        versions_before = CredentialVersion.objects.filter(integration=integration).count()
        # `make run` seeds and prints this login; the customer's administrator has it.
        [login] = sandbox_demo_logins_create()
        _, link = relink_link_create(
            integration=integration,
            link_type=LinkType.MAGIC_LINK,
            language="en",
            actor=Actor.system("tests"),
        )

        # What the hosted form tells the customer to do.
        page.goto(link)
        expect(page.get_by_role("heading", name="Reconnect Sandbox HR")).to_be_visible()
        permissions = page.locator("#permissions code.permission").all_inner_texts()
        assert permissions
        steps = page.locator("section[aria-labelledby=guide-title] ol > li").all_inner_texts()
        assert steps[0] == SIGN_IN_STEP
        open_and_click = OPEN_AND_CLICK_STEP.search(steps[1])
        assert open_and_click, steps[1]
        key_prefix = KEY_PREFIX_STEP.search(steps[3])
        assert key_prefix, steps[3]

        # In another tab, Sandbox HR, step by step.
        sandbox = page.context.new_page()
        sandbox.on("console", console.record)
        sandbox.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
        sandbox.goto(f"{live_server.url}/sandbox-hr/")
        expect(sandbox.get_by_role("heading", name="Sign in to Sandbox HR")).to_be_visible()
        sandbox.get_by_label("Email").fill(login.email)
        sandbox.get_by_label("Password").fill(login.password)
        sandbox.get_by_role("button", name="Sign in").click()
        expect(sandbox.get_by_role("heading", name="Employees")).to_be_visible()

        sandbox.get_by_role("link", name=open_and_click["place"], exact=True).click()
        sandbox.get_by_role("link", name=open_and_click["section"], exact=True).click()
        sandbox.get_by_role("link", name=open_and_click["button"], exact=True).click()
        for permission in permissions:
            sandbox.get_by_role("checkbox", name=re.compile(re.escape(permission))).check()
        sandbox.get_by_role("button", name=open_and_click["button"], exact=True).click()
        shown_key = sandbox.locator("code", has_text=re.compile("^" + key_prefix["prefix"]))
        expect(shown_key).to_have_count(1)
        raw_key = shown_key.inner_text().strip()
        assert raw_key.startswith(key_prefix["prefix"])

        # Back on the hosted form: paste, connect, done.
        page.bring_to_front()
        page.get_by_label("API key").fill(raw_key)
        page.get_by_role("button", name="Connect").click()
        expect(page.get_by_role("heading", name="You're done")).to_be_visible()

        # The key is never shown again in Sandbox HR.
        sandbox.goto(f"{live_server.url}/sandbox-hr/settings/api-keys/")
        expect(sandbox.get_by_text(raw_key)).to_have_count(0)

    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.ACTIVE
    versions = CredentialVersion.objects.filter(integration=integration)
    assert versions.count() == versions_before + 1
    newest = versions.order_by("-created_at", "-id").first()
    assert newest is not None
    assert newest.source == CredentialSource.RELINK_LINK
    assert decrypt_json(newest.payload_encrypted) == {"api_key": raw_key}
    assert [e for e in console.errors if "favicon" not in e] == []

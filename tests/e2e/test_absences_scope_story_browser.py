"""The seed's story on the new data, in Chromium against Sandbox HR: an operator widens what is
read to absences, which the customer's current API key may not read.

Before the migration, syncs keep succeeding under the old scope config. The operator migrates
the integration with a relink link; the customer's old key is refused for the missing
permission, so they create a key with it in Sandbox HR and complete the flow. The next sync is
FULL, and the SDK's `get_absences` returns the customer's absences.

Sources: DESIGN.md ("A link may carry a different scope config ... Until the link is completed,
syncs keep running with the old scope config; on completion the integration switches to the new
one", a FULL sync when the scope changed); Kombo's scope config docs (models ENABLED per
config); the `kombo` SDK's `hris.get_absences`. The absences expected are Sandbox HR's own.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from kombo import Kombo
from playwright.sync_api import Browser, Page, expect

from core.models import ApiKey, Environment
from integrations.models import Integration, SyncType
from integrations.read_models import READ_MODELS
from integrations.tools.sandbox import PERM_ABSENCES
from sandbox_hr.models import SandboxAbsence
from syncs.models import Sync, SyncState
from syncs.services import scheduler_tick
from tests.support.browser import BrowserConsole
from tests.support.factories import (
    ALL_PERMISSIONS,
    SANDBOX_PASSWORD,
    SandboxUserFactory,
    ScopeConfigFactory,
    sandbox_integration,
)
from tests.support.processes import run_queued_syncs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _enabled(*model_ids: str) -> dict[str, Any]:
    return {
        model_id: {
            "setting": "ENABLED",
            "fields": dict.fromkeys(READ_MODELS[model_id].fields, "ENABLED"),
        }
        for model_id in model_ids
    }


def _sync_now(integration: Integration) -> Sync:
    Integration.objects.filter(pk=integration.pk, sync_paused_reason__isnull=True).update(
        next_sync_at=timezone.now()
    )
    scheduler_tick()
    [sync] = run_queued_syncs()
    return sync


def _sign_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def test_it_widens_the_scope_to_absences_through_a_relink_and_a_new_key(
    page: Page,
    browser: Browser,
    console: BrowserConsole,
    live_server: Any,
    operator: object,
    environment: Environment,
    api_key: tuple[ApiKey, str],
) -> None:
    basic = ScopeConfigFactory(
        environment=environment, name="Basic", settings=_enabled("hris_employees", "hris_teams")
    )
    with_absences = ScopeConfigFactory(
        environment=environment,
        name="With absences",
        settings=_enabled("hris_employees", "hris_teams", "hris_absence_types", "hris_absences"),
    )
    with override_settings(
        BASE_URL=live_server.url, SANDBOX_HR_URL=f"{live_server.url}/sandbox-hr"
    ):
        setup = sandbox_integration(
            environment=environment,
            scope_config=basic,
            permissions=tuple(p for p in ALL_PERMISSIONS if p != PERM_ABSENCES),
            organization_name="Umbrella SA",
        )
        integration = setup.integration
        admin = SandboxUserFactory(account=setup.account)

        # Before the migration: syncs succeed under the old scope, no warnings.
        before = _sync_now(integration)
        assert (before.state, before.warnings) == (SyncState.SUCCEEDED, [])

        # The operator migrates Umbrella to the wider scope config.
        _sign_in(page, f"{live_server.url}/dashboard/scope-configs/{with_absences.pk}/migrate/")
        page.get_by_label("Currently on").select_option(basic.pk)
        page.get_by_role("button", name="Apply").click()
        expect(page.locator("#candidate-count")).to_have_text("1")
        page.locator("#select-all-shown").check()
        page.locator("#create-links").click()
        link = (
            page.locator(f'tr[data-integration-id="{integration.pk}"]')
            .locator("[data-link-url]")
            .inner_text()
            .strip()
        )

        # Until the customer completes the link, syncs keep the old scope and still succeed.
        pending = _sync_now(integration)
        assert (pending.state, pending.warnings) == (SyncState.SUCCEEDED, [])
        assert "hris_absences" not in pending.counts

        # The customer sees absences requested, and the permission they need.
        customer_context = browser.new_context()
        customer = customer_context.new_page()
        customer.on("console", console.record)
        customer.goto(link)
        expect(customer.locator("body")).to_contain_text("Absences")
        permissions = customer.locator("#permissions code.permission").all_inner_texts()
        assert PERM_ABSENCES in permissions

        # Their current key lacks it: refused, nothing changed.
        customer.get_by_label("API key").fill(setup.raw_key)
        customer.get_by_role("button", name="Connect").click()
        expect(customer.get_by_role("alert")).to_contain_text(PERM_ABSENCES)
        integration.refresh_from_db()
        assert integration.scope_config_id == basic.pk

        # In Sandbox HR they create a key with every permission the form lists.
        sandbox = customer_context.new_page()
        sandbox.goto(f"{live_server.url}/sandbox-hr/settings/api-keys/new/")
        sandbox.get_by_label("Email").fill(admin.email)
        sandbox.get_by_label("Password").fill(SANDBOX_PASSWORD)
        sandbox.get_by_role("button", name="Sign in").click()
        sandbox.get_by_role("textbox", name="Name (optional)").fill("Kombo with absences")
        for permission in permissions:
            sandbox.get_by_role("checkbox", name=re.compile(re.escape(permission))).check()
        sandbox.get_by_role("button", name="Create API key").click()
        shown_key = sandbox.locator("code", has_text=re.compile("^sbx_"))
        expect(shown_key).to_have_count(1)
        new_key = shown_key.inner_text().strip()

        customer.bring_to_front()
        customer.get_by_label("API key").fill(new_key)
        customer.get_by_role("button", name="Connect").click()
        expect(customer.get_by_role("heading", name="You're done")).to_be_visible()
        customer_context.close()

        integration.refresh_from_db()
        assert integration.scope_config_id == with_absences.pk
        after = _sync_now(integration)
        assert (after.type, after.state, after.warnings) == (
            SyncType.FULL,
            SyncState.SUCCEEDED,
            [],
        )

    sdk = Kombo(
        api_key=api_key[1], integration_id=integration.pk, server_url=f"{live_server.url}/api/v1"
    )
    absences: list[Any] = []
    response = sdk.hris.get_absences(page_size=100)
    while response is not None:
        absences.extend(response.result.data.results)
        response = response.next()
    vendor = SandboxAbsence.objects.filter(account=setup.account)
    assert sorted(a.remote_id for a in absences) == sorted(vendor.values_list("pk", flat=True))
    assert all(a.type is not None and a.type.name for a in absences)
    assert [e for e in console.errors if "favicon" not in e] == []

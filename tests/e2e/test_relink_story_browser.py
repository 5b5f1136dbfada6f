"""The whole reconnection story in Chromium: a revoked sandbox key makes an integration INVALID,
the operator sends a magic link with a wider scope config, the customer fixes it in another
browser, and the operator's webhook receiver hears the integration is ACTIVE again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from core.models import Environment
from integrations.models import Integration, IntegrationStatus
from integrations.read_models import HRIS_EMPLOYEES
from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL, PERM_SENSITIVE
from sandbox_hr.services import sandbox_api_key_create, sandbox_api_key_revoke
from syncs.models import Employee, SyncState
from syncs.services import scheduler_tick
from tests.support.browser import BrowserConsole
from tests.support.factories import ScopeConfigFactory, sandbox_integration
from tests.support.processes import run_queued_syncs
from tests.support.receivers import receiving
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import endpoint_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fields(**settings: str) -> dict[str, str]:
    return dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED") | settings


def _deliver_pending() -> None:
    for delivery_id in WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values_list(
        "pk", flat=True
    ):
        delivery_attempt(delivery_id=delivery_id)


def test_it_repairs_a_broken_integration_through_a_magic_link(
    page: Page,
    browser: Browser,
    console: BrowserConsole,
    live_server: Any,
    environment: Environment,
    operator: object,
) -> None:
    narrow = ScopeConfigFactory(
        environment=environment,
        name="Names",
        settings={
            "hris_employees": {"setting": "ENABLED", "fields": _fields(first_name="ENABLED")}
        },
    )
    wider = ScopeConfigFactory(
        environment=environment,
        name="Names and birthdays",
        settings={
            "hris_employees": {
                "setting": "ENABLED",
                "fields": _fields(first_name="ENABLED", date_of_birth="ENABLED"),
            }
        },
    )
    with (
        override_settings(
            BASE_URL=live_server.url,
            SANDBOX_HR_URL=live_server.url + "/sandbox-hr",
            AUTH_FAILURE_GRACE_PERIOD=timedelta(seconds=90),
        ),
        receiving() as receiver,
    ):
        _, secret = endpoint_create(
            environment_id=environment.pk,
            url=receiver.url,
            event_types=["integration-state-changed"],
        )
        receiver.secrets.append(secret)
        setup = sandbox_integration(
            environment=environment, scope_config=narrow, organization_name="Umbrella SA"
        )
        integration = setup.integration
        sandbox_api_key_revoke(key=setup.key)
        # Checks fail for longer than the (short) grace period: INVALID and paused.
        for offset in (0, 100, 200):
            with time_machine.travel(timezone.now() + timedelta(seconds=offset), tick=False):
                Integration.objects.filter(
                    pk=integration.pk, sync_paused_reason__isnull=True
                ).update(next_sync_at=timezone.now())
                scheduler_tick()
                run_queued_syncs()
        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.INVALID

        # The operator creates a magic link with the wider scope config.
        page.goto(f"{live_server.url}/dashboard/integrations/{integration.pk}/")
        page.get_by_label("Username").fill("operator")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Syncs are paused")).to_be_visible()
        page.get_by_role("radio", name="Magic link").check()
        page.select_option("#id_scope_config", wider.pk)
        page.get_by_role("button", name="Create link").click()
        link = page.locator("#relink-url").inner_text()

        # The customer, in another browser, sees the new permission and first tries a key
        # lacking it, then a proper one.
        customer_context = browser.new_context(viewport={"width": 390, "height": 844})
        customer = customer_context.new_page()
        customer.goto(link)
        expect(customer.get_by_text("Date of birth")).to_be_visible()
        _, partial = sandbox_api_key_create(
            account=setup.account, name="partial", permissions=[PERM_EMPLOYEES, PERM_GROUPS]
        )
        customer.fill("input[name=api_key]", partial)
        customer.get_by_role("button", name="Connect").click()
        # The missing permission, by Sandbox HR's name and what it grants.
        expect(customer.get_by_role("alert")).to_contain_text(
            f"{PERM_PERSONAL} — Read employees' personal data"
        )
        _, proper = sandbox_api_key_create(
            account=setup.account,
            name="proper",
            permissions=[PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL, PERM_SENSITIVE],
        )
        customer.fill("input[name=api_key]", proper)
        customer.get_by_role("button", name="Connect").click()
        expect(customer.get_by_role("heading", name="You're done")).to_be_visible()
        customer_context.close()

        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.ACTIVE
        assert integration.scope_config_id == wider.pk
        scheduler_tick()
        [sync] = run_queued_syncs()
        assert sync.state == SyncState.SUCCEEDED
        assert any(row.data["date_of_birth"] for row in Employee.objects.all())

        # The INVALID event was emitted on the moved clock; deliver once both are due.
        with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
            _deliver_pending()
        states = [r.event["data"]["state"] for r in receiver.received if r.accepted]
        assert states == ["INVALID", "ACTIVE"]

        page.goto(f"{live_server.url}/dashboard/integrations/{integration.pk}/")
        expect(page.locator("h1")).to_contain_text("Active")
        expect(page.get_by_text("Syncs are paused")).to_have_count(0)
    assert [e for e in console.errors if "favicon" not in e] == []

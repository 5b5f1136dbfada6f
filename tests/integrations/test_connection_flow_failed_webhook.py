"""`connection-flow-failed` is sent once per live check the customer's credentials fail.

Kombo's webhooks guide (docs.kombo.dev, "Webhooks"): the webhook "is sent whenever an error
occurs during the connection flow. These errors could, for example, originate from a user
entering incorrect credentials or from a mismatch between the required and supplied API
permissions ... The connection flow can still be successfully completed after this webhook is
sent." So: refused credentials, missing permissions, credentials of another account and a tool
that cannot be reached each send one; an empty or malformed field (never sent to the tool) and
the successful submit send none. Counted in the real outbox (events and deliveries), payloads
read with the official `kombo` SDK's `ConnectionFlowFailedWebhookPayload`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from kombo.models import ConnectionFlowFailedWebhookPayload

from core.models import Environment
from integrations.actors import Actor
from integrations.models import Integration, IntegrationStatus, LinkType
from integrations.read_models import HRIS_EMPLOYEES
from integrations.services import connect_link_create, relink_link_create
from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, ScopeConfigFactory
from tests.support.relink import broken_integration
from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")


@pytest.fixture
def endpoint(environment: Environment) -> Any:
    endpoint, _ = endpoint_create(
        environment_id=environment.pk,
        url="http://127.0.0.1:9/hooks",
        event_types=["connection-flow-failed"],
    )
    return endpoint


def _relink_path(integration: Integration, **options: Any) -> str:
    _, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
        **options,
    )
    return "/connect/" + url.rsplit("/", 1)[1]


def _sent() -> tuple[int, int]:
    """connection-flow-failed events in the outbox, and deliveries queued for them."""
    return (
        WebhookEvent.objects.filter(type="connection-flow-failed").count(),
        WebhookDelivery.objects.filter(event_type="connection-flow-failed").count(),
    )


def test_it_sends_one_per_failed_check_and_none_for_typos_or_the_success(
    sandbox_hr: None, endpoint: Any, environment: Environment
) -> None:
    setup = broken_integration(environment)
    path = _relink_path(setup.integration)
    _, right_key = sandbox_api_key_create(
        account=setup.account, name="new", permissions=ALL_PERMISSIONS
    )
    customer = Client()
    counts = []

    for attempt in ("", "sbx_with a line\nbreak", "sbx_wrong_key", right_key):
        customer.post(path, {"api_key": attempt})
        counts.append(_sent())

    assert counts == [(0, 0), (0, 0), (1, 1), (1, 1)]
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE
    [event] = WebhookEvent.objects.filter(type="connection-flow-failed")
    payload = ConnectionFlowFailedWebhookPayload.model_validate(event.payload)
    assert payload.data.integration_tool == "sandbox"
    assert payload.data.integration_category == "HRIS"
    assert payload.data.end_user.organization_name == setup.integration.organization_name
    assert payload.data.end_user.creator_email == setup.integration.creator_email
    assert payload.data.end_user.origin_id == setup.integration.origin_id
    assert event.integration_id == setup.integration.pk


def test_it_sends_one_for_credentials_without_the_permissions_the_scope_needs(
    sandbox_hr: None, endpoint: Any, environment: Environment
) -> None:
    birthdays = ScopeConfigFactory(
        environment=environment,
        settings={
            "hris_employees": {
                "setting": "ENABLED",
                "fields": dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED")
                | {"first_name": "ENABLED", "date_of_birth": "ENABLED"},
            }
        },
    )
    setup = broken_integration(environment)
    _, narrow_key = sandbox_api_key_create(
        account=setup.account, name="narrow", permissions=[PERM_EMPLOYEES]
    )

    page = Client().post(
        _relink_path(setup.integration, scope_config=birthdays), {"api_key": narrow_key}
    )

    html = page.content.decode()
    assert "These credentials lack permissions the requested data needs." in html
    # Named as in Sandbox HR's key screen, with what it grants, in the link's language.
    assert "<code>employees.personal:read</code> — Read employees&#x27; personal data" in html
    assert _sent() == (1, 1)


def test_it_sends_one_for_credentials_of_another_account(
    sandbox_hr: None, endpoint: Any, environment: Environment
) -> None:
    setup = broken_integration(environment)
    other = sandbox_account_create(name="Someone else", employees=1, seed=3)
    _, other_key = sandbox_api_key_create(account=other, name="x", permissions=ALL_PERMISSIONS)

    page = Client().post(_relink_path(setup.integration), {"api_key": other_key})

    assert "These credentials belong to another Sandbox HR account." in page.content.decode()
    assert _sent() == (1, 1)


def test_it_sends_one_when_the_tool_cannot_be_reached(
    endpoint: Any, environment: Environment
) -> None:
    setup = broken_integration(environment)
    path = _relink_path(setup.integration)

    with override_settings(SANDBOX_HR_URL="http://127.0.0.1:9/sandbox-hr"):
        page = Client().post(path, {"api_key": "sbx_anything"})

    assert "Sandbox HR could not be reached" in page.content.decode()
    assert _sent() == (1, 1)


def test_it_sends_one_for_a_new_connection_whose_key_is_refused(
    sandbox_hr: None, endpoint: Any, environment: Environment
) -> None:
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="NewCo",
        email="it@newco.example",
        origin_id="crm-1",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
        tool_id="sandbox",
    )
    path = "/connect/" + url.rsplit("/", 1)[1]

    Client().post(path, {"tool": "sandbox", "api_key": ""})
    Client().post(path, {"tool": "sandbox", "api_key": "sbx_wrong"})

    assert _sent() == (1, 1)
    [event] = WebhookEvent.objects.filter(type="connection-flow-failed")
    payload = ConnectionFlowFailedWebhookPayload.model_validate(event.payload)
    assert payload.data.end_user.organization_name == "NewCo"
    assert payload.data.end_user.origin_id == "crm-1"

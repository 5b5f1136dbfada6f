"""New connections: `POST /connect/create-link` (kombo SDK), the customer picks the tool and
connects it through the hosted form, the integration is created and `integration-created` sent."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from kombo import Kombo, errors
from kombo.models import ConnectionFlowFailedWebhookPayload
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from integrations.models import Integration, IntegrationStatus
from integrations.services import activation_token_exchange
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, ScopeConfigFactory
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk(live_server: LiveServer, api_key: tuple[ApiKey, str]) -> Kombo:
    return Kombo(api_key=api_key[1], server_url=f"{live_server.url}/api/v1")


def _path(link: str) -> str:
    return "/connect/" + link.rsplit("/connect/", 1)[1]


def test_it_connects_a_new_integration_with_a_tool_the_customer_picks(
    sandbox_hr: None, sdk: Kombo, environment: Environment
) -> None:
    ScopeConfigFactory(environment=environment, name="Default")
    link = sdk.connect.create_connection_link(
        end_user_email="it@newco.example",
        end_user_organization_name="NewCo",
        end_user_origin_id="crm-77",
        link_type="EMBEDDED",
    ).data.link
    account = sandbox_account_create(name="NewCo", employees=4, seed=9)
    _, raw = sandbox_api_key_create(account=account, name="k", permissions=ALL_PERMISSIONS)
    browser = Client(enforce_csrf_checks=True)

    picker = browser.get(_path(link)).content.decode()
    assert "Choose your HR system" in picker
    assert "?tool=personio" in picker
    form = browser.get(_path(link) + "?tool=sandbox").content.decode()
    assert "Connect Sandbox HR" in form
    done = browser.post(_path(link), {"tool": "sandbox", "api_key": raw}).content.decode()

    assert "Sandbox HR is connected" in done
    integration = Integration.objects.get()
    assert (integration.organization_name, integration.creator_email, integration.origin_id) == (
        "NewCo",
        "it@newco.example",
        "crm-77",
    )
    assert (integration.tool, integration.status, integration.remote_account_id) == (
        "sandbox",
        IntegrationStatus.ACTIVE,
        account.id,
    )
    assert integration.full_sync_requested_at is not None
    assert WebhookEvent.objects.filter(type="integration-created").count() == 1
    token = json.loads(
        done.split('id="activation-token" type="application/json">')[1].split("<")[0]
    )
    exchanged = activation_token_exchange(environment_id=environment.pk, token=token)
    assert exchanged is not None
    assert exchanged.pk == integration.pk


def test_it_refuses_bad_create_link_input(
    sdk: Kombo, environment: Environment, api_key: tuple[ApiKey, str]
) -> None:
    ScopeConfigFactory(environment=environment, name="Default")
    # The SDK itself refuses unknown tool ids, so this one goes over plain HTTP.
    unknown_tool = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}").post(
        "/api/v1/connect/create-link",
        {
            "end_user_email": "a@b.example",
            "end_user_organization_name": "X",
            "integration_tool": "nope",
        },
        content_type="application/json",
    )

    with pytest.raises(errors.KomboGeneralError) as unknown_scope:
        sdk.connect.create_connection_link(
            end_user_email="a@b.example", end_user_organization_name="X", scope_config_id="nope"
        )

    assert unknown_tool.status_code == 400
    assert unknown_tool.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert "integration_tool" in unknown_tool.json()["error"]["message"]
    assert "scope_config_id" in unknown_scope.value.data.error.message


def test_a_fixed_tool_skips_the_picker_and_wrong_keys_create_nothing(
    sandbox_hr: None, sdk: Kombo, environment: Environment
) -> None:
    ScopeConfigFactory(environment=environment, name="Default")
    link = sdk.connect.create_connection_link(
        end_user_email="it@newco.example",
        end_user_organization_name="NewCo",
        integration_tool="sandbox",
        link_type="MAGIC_LINK",
        language="es",
    ).data.link

    page = Client().get(_path(link)).content.decode()
    refused = Client().post(_path(link), {"api_key": "sbx_wrong"}).content.decode()

    assert "Conectar Sandbox HR" in page
    assert "no ha aceptado estas credenciales" in refused
    assert not Integration.objects.exists()
    [failed] = WebhookEvent.objects.filter(type="connection-flow-failed")
    ConnectionFlowFailedWebhookPayload.model_validate(failed.payload)
    assert failed.payload["data"]["end_user"]["organization_name"] == "NewCo"

"""Kombo's general endpoints through the official SDK: every response parses into its models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from kombo import Kombo
from kombo.errors import KomboGeneralError
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from core.services import api_key_revoke
from integrations.actors import Actor
from integrations.models import Integration, IntegrationStatus, SyncType
from integrations.read_models import HRIS_EMPLOYEES, HRIS_GROUPS
from integrations.services import scope_config_update
from syncs.models import SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import (
    IntegrationFactory,
    sandbox_integration,
    scope_settings_all_enabled,
)
from tests.support.processes import run_queued_syncs
from tests.support.timestamps import to_milliseconds

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "sbx_contract-secret-Zq81vXw4"

# The HRIS read models this product serves, by the ids of Kombo's `data-changed` webhook and
# scope configs (the `kombo` SDK's `DataChangedWebhookPayload` model enum).
HRIS_MODEL_IDS = [
    "hris_employees",
    "hris_teams",
    "hris_employments",
    "hris_locations",
    "hris_legal_entities",
    "hris_absence_types",
    "hris_absences",
    "hris_time_off_balances",
]


@pytest.fixture
def integration(environment: Environment) -> Integration:
    return IntegrationFactory(
        environment=environment,
        organization_name="Contract Corp",
        creator_email="it@contract.example",
        origin_id="cust-contract",
        credentials={"api_key": SECRET},
    )


def error_code(raised: pytest.ExceptionInfo[KomboGeneralError]) -> str | None:
    return raised.value.data.error.code


def test_it_tells_the_environment_of_the_api_key(sdk: Kombo, environment: Environment) -> None:
    response = sdk.general.check_api_key()

    assert response.data.environment_id == environment.id


def test_it_returns_the_integration_details(
    sdk: Kombo, integration: Integration, live_server: LiveServer
) -> None:
    data = sdk.general.get_integration_details(integration_id=integration.id).data

    assert data.id == integration.id
    assert data.tool.id == "sandbox"
    assert data.tool.label == "Sandbox HR"
    assert data.tool.internal_label is None
    assert data.tool.logo_url == f"{live_server.url}/static/tools/sandbox.svg"
    assert data.tool.icon_url == f"{live_server.url}/static/tools/sandbox-icon.svg"
    assert data.category == "HRIS"
    assert data.status == "ACTIVE"
    assert data.setup_status == "COMPLETED"
    assert data.end_user.organization_name == "Contract Corp"
    assert data.end_user.creator_email == "it@contract.example"
    assert data.end_user.origin_id == "cust-contract"
    assert data.scope_config.id == integration.scope_config_id
    assert data.scope_config.name == "Default"
    assert data.data_expired_at is None
    assert data.created_at == to_milliseconds(integration.created_at)
    assert data.beta is False
    assert data.write_actions == []
    assert [model.id for model in data.read_models] == HRIS_MODEL_IDS
    employees, groups = data.read_models[:2]
    assert (employees.label, groups.label) == ("Employees", "Groups")
    assert employees.is_available is True
    assert employees.coverage_status == "SUPPORTED"
    assert employees.scope_config_setting == "ENABLED"
    assert employees.opted_out_by_customer is False
    assert [field.id for field in employees.fields] == list(HRIS_EMPLOYEES.fields)
    assert [field.id for field in groups.fields] == list(HRIS_GROUPS.fields)
    # The sandbox has no ethnicity, so that field is not available despite being enabled.
    ethnicity = next(field for field in employees.fields if field.id == "ethnicity")
    assert (ethnicity.coverage_status, ethnicity.is_available) == ("UNSUPPORTED", False)


def test_it_disables_and_enables_an_integration(sdk: Kombo, integration: Integration) -> None:
    sdk.general.set_integration_enabled(integration_id=integration.id, value=False)

    details = sdk.general.get_integration_details(integration_id=integration.id)
    assert details.data.status == "INACTIVE"

    sdk.general.set_integration_enabled(integration_id=integration.id, value=True)

    details = sdk.general.get_integration_details(integration_id=integration.id)
    assert details.data.status == "ACTIVE"


def test_it_deletes_an_integration(sdk: Kombo, integration: Integration) -> None:
    sdk.general.delete_integration(integration_id=integration.id, body={})

    with pytest.raises(KomboGeneralError) as raised:
        sdk.general.get_integration_details(integration_id=integration.id)
    assert error_code(raised) == "PLATFORM.INTEGRATION_NOT_FOUND"
    integration.refresh_from_db()
    assert integration.is_deleted
    assert not integration.credential_versions.exists()


def test_it_lists_the_tools_of_a_category(sdk: Kombo, live_server: LiveServer) -> None:
    tools = sdk.general.get_tools(category="hris").data.tools

    sandbox = next(tool for tool in tools if tool.id == "sandbox")
    assert sandbox.label == "Sandbox HR"
    assert sandbox.assets.logo_url == f"{live_server.url}/static/tools/sandbox.svg"
    assert sandbox.connection_guide_url is None
    assert [model.id for model in sandbox.coverage.read_models] == HRIS_MODEL_IDS
    employees = sandbox.coverage.read_models[0]
    assert employees.coverage_status == "SUPPORTED"
    coverage = {field.id: field.coverage_status for field in employees.fields}
    assert coverage["first_name"] == "SUPPORTED"
    assert coverage["ethnicity"] == "UNSUPPORTED"
    assert sandbox.coverage.write_actions == []
    assert sandbox.coverage.features == []


def test_it_lists_no_tools_for_a_category_without_any(sdk: Kombo) -> None:
    assert sdk.general.get_tools(category="lms").data.tools == []


def test_it_does_not_find_an_unknown_integration(sdk: Kombo) -> None:
    with pytest.raises(KomboGeneralError) as raised:
        sdk.general.get_integration_details(integration_id="sandbox:doesnotexist")

    assert error_code(raised) == "PLATFORM.INTEGRATION_NOT_FOUND"
    assert raised.value.raw_response.status_code == 404


def test_it_does_not_let_a_key_touch_another_environments_integration(
    sdk: Kombo, other_environment: Environment
) -> None:
    foreign = IntegrationFactory(environment=other_environment)

    calls: list[Callable[[], object]] = [
        lambda: sdk.general.get_integration_details(integration_id=foreign.id),
        lambda: sdk.general.set_integration_enabled(integration_id=foreign.id, value=False),
        lambda: sdk.general.delete_integration(integration_id=foreign.id, body={}),
    ]
    for call in calls:
        with pytest.raises(KomboGeneralError) as raised:
            call()
        assert error_code(raised) == "PLATFORM.INTEGRATION_NOT_FOUND"

    foreign.refresh_from_db()
    assert (foreign.status, foreign.enabled, foreign.is_deleted) == (
        IntegrationStatus.ACTIVE,
        True,
        False,
    )


def test_it_refuses_an_unknown_api_key(make_sdk: Callable[[str], Kombo]) -> None:
    sdk = make_sdk("ks_thisKeyWasNeverIssued")

    with pytest.raises(KomboGeneralError) as raised:
        sdk.general.check_api_key()

    assert error_code(raised) == "PLATFORM.AUTHENTICATION_INVALID"
    assert raised.value.raw_response.status_code == 401


def test_it_refuses_a_revoked_api_key(
    sdk: Kombo, api_key: tuple[ApiKey, str], integration: Integration
) -> None:
    sdk.general.check_api_key()
    api_key_revoke(api_key=api_key[0])

    for call in (
        sdk.general.check_api_key,
        lambda: sdk.general.get_integration_details(integration_id=integration.id),
    ):
        with pytest.raises(KomboGeneralError) as raised:
            call()
        assert error_code(raised) == "PLATFORM.AUTHENTICATION_INVALID"


def test_it_never_sends_credentials_or_keys_back(
    sdk: Kombo,
    api_key: tuple[ApiKey, str],
    integration: Integration,
    other_environment: Environment,
    response_bodies: list[str],
) -> None:
    foreign = IntegrationFactory(environment=other_environment, credentials={"api_key": SECRET})
    sdk.general.check_api_key()
    sdk.general.get_integration_details(integration_id=integration.id)
    sdk.general.get_tools(category="hris")
    sdk.general.set_integration_enabled(integration_id=integration.id, value=False)
    with pytest.raises(KomboGeneralError):
        sdk.general.get_integration_details(integration_id=foreign.id)
    sdk.general.delete_integration(integration_id=integration.id, body={})

    assert len(response_bodies) == 6
    for body in response_bodies:
        assert SECRET not in body
        assert api_key[1] not in body
        assert api_key[0].key_hash not in body


def test_it_clears_data_expired_at_with_the_next_successful_sync(
    sdk: Kombo, environment: Environment, live_server: LiveServer, settings: Any
) -> None:
    """The SDK's `data_expired_at`: set when the scope config changed, "set to `null` with the
    next successful sync"."""
    settings.SANDBOX_HR_URL = live_server.url + "/sandbox-hr"
    integration = sandbox_integration(environment=environment, employees=3).integration
    scope_config_update(
        scope_config=integration.scope_config,
        name="Without tax IDs",
        settings=scope_settings_all_enabled()
        | {"hris_employees": {"setting": "ENABLED", "fields": {"first_name": "ENABLED"}}},
        actor=Actor.system("tests"),
    )
    expired = sdk.general.get_integration_details(integration_id=integration.id).data

    sync_enqueue(integration=integration, sync_type=SyncType.DELTA, trigger=SyncTrigger.API)
    [sync] = run_queued_syncs()
    synced = sdk.general.get_integration_details(integration_id=integration.id).data

    assert expired.data_expired_at is not None
    assert sync.state == "SUCCEEDED"
    assert synced.data_expired_at is None

"""Force-sync and the HRIS employees API through the official `kombo` SDK; our sync and
auth-check endpoints over plain HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import requests
from kombo import Kombo, errors
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, SyncPausedReason
from integrations.read_models import HRIS_EMPLOYEES
from integrations.services import integration_set_enabled
from sandbox_hr.models import SandboxEmployee
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import Sync, SyncState
from syncs.runner import sync_run
from tests.support.factories import IntegrationFactory, ScopeConfigFactory, sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox_hr(live_server: LiveServer, settings: Any) -> str:
    settings.SANDBOX_HR_URL = live_server.url + "/sandbox-hr"
    return str(settings.SANDBOX_HR_URL)


@pytest.fixture
def hris_sdk(
    live_server: LiveServer, api_key: tuple[ApiKey, str], response_bodies: list[str]
) -> Callable[[str], Kombo]:
    def make(integration_id: str) -> Kombo:
        client = httpx.Client(
            event_hooks={"response": [lambda r: (r.read(), response_bodies.append(r.text))]}
        )
        return Kombo(
            api_key=api_key[1],
            integration_id=integration_id,
            server_url=f"{live_server.url}/api/v1",
            client=client,
        )

    return make


def test_it_queues_a_sync_once_through_the_sdk(
    sandbox_hr: str, environment: Environment, hris_sdk: Callable[[str], Kombo]
) -> None:
    integration = sandbox_integration(environment=environment).integration
    sdk = hris_sdk(integration.pk)

    first = sdk.general.trigger_sync(type_="FULL").data
    second = sdk.general.trigger_sync(type_="DELTA").data

    assert (first.already_queued, first.type) == (False, "FULL")
    assert second.already_queued is True
    assert second.sync_id == first.sync_id
    assert Sync.objects.get().state == SyncState.QUEUED


@pytest.mark.parametrize(
    ("fields", "title"),
    [
        ({"enabled": False, "status": IntegrationStatus.INACTIVE}, "Integration inactive"),
        (
            {
                "status": IntegrationStatus.INVALID,
                "sync_paused_reason": SyncPausedReason.AUTHENTICATION,
            },
            "Credentials invalid",
        ),
    ],
)
def test_it_refuses_to_sync_an_inactive_or_invalid_integration(
    environment: Environment,
    hris_sdk: Callable[[str], Kombo],
    fields: dict[str, Any],
    title: str,
) -> None:
    """`general.trigger_sync` declares `KomboGeneralError` (kombo 1.4.0), whose codes are the
    PLATFORM.* ones only: the SDK must be able to raise that typed error with its code."""
    integration = IntegrationFactory(environment=environment, **fields)
    sdk = hris_sdk(integration.pk)

    with pytest.raises(errors.KomboGeneralError) as refused:
        sdk.general.trigger_sync(type_="FULL")

    assert refused.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert refused.value.data.error.title == title
    assert not Sync.objects.exists()


def test_it_serves_synced_employees_in_kombos_shape(
    sandbox_hr: str, environment: Environment, hris_sdk: Callable[[str], Kombo]
) -> None:
    settings = {
        "hris_employees": {
            "setting": "ENABLED",
            "fields": dict.fromkeys(HRIS_EMPLOYEES.fields, "ENABLED") | {"ssn": "DISABLED"},
        },
        "hris_teams": {
            "setting": "ENABLED",
            "fields": {"name": "ENABLED", "type": "ENABLED", "parent_id": "ENABLED"},
        },
    }
    scope = ScopeConfigFactory(environment=environment, name="No SSN", settings=settings)
    setup = sandbox_integration(environment=environment, scope_config=scope, employees=23)
    sdk = hris_sdk(setup.integration.pk)
    sync_id = sdk.general.trigger_sync(type_="FULL").data.sync_id
    sync_run(sync_id=sync_id)

    employees = []
    page = sdk.hris.get_employees(page_size=10)
    pages = 0
    while page is not None:
        pages += 1
        employees.extend(page.result.data.results)
        page = page.next() if page.result.data.next else None

    assert pages == 3
    assert len(employees) == 23
    assert len({e.id for e in employees}) == 23
    by_remote = {e.remote_id: e for e in employees}
    source = SandboxEmployee.objects.filter(account=setup.account, manager__isnull=False).first()
    assert source is not None
    employee = by_remote[source.pk]
    assert employee.first_name == source.first_name
    assert employee.ssn is None
    assert employee.manager is not None
    assert employee.manager.remote_id == source.manager_id
    assert employee.manager_id == by_remote[source.manager_id].id
    assert {g.remote_id for g in employee.groups} == set(
        source.departments.values_list("pk", flat=True)
    )


def test_it_checks_auth_now_and_reactivates_a_paused_integration(
    live_server: LiveServer, sandbox_hr: str, environment: Environment, api_key: tuple[ApiKey, str]
) -> None:
    setup = sandbox_integration(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
    )
    url = f"{live_server.url}/api/v1/integrations/{setup.integration.pk}/check-auth"
    headers = {"Authorization": f"Bearer {api_key[1]}"}

    ok = requests.post(url, headers=headers, timeout=10).json()["data"]
    assert ok["outcome"] == "OK"
    assert ok["integration_status"] == "ACTIVE"
    assert ok["missing_permissions"] == []

    sandbox_api_key_revoke(key=setup.key)
    failed = requests.post(url, headers=headers, timeout=10).json()["data"]
    assert failed["outcome"] == "INVALID_CREDENTIALS"
    assert setup.raw_key not in json.dumps(failed)
    assert "rejected" in failed["message"]


def test_it_lists_syncs_and_shows_one(
    live_server: LiveServer,
    sandbox_hr: str,
    environment: Environment,
    other_environment: Environment,
    api_key: tuple[ApiKey, str],
    hris_sdk: Callable[[str], Kombo],
) -> None:
    setup = sandbox_integration(environment=environment)
    sdk = hris_sdk(setup.integration.pk)
    sync_id = sdk.general.trigger_sync(type_="FULL").data.sync_id
    sync_run(sync_id=sync_id)
    headers = {"Authorization": f"Bearer {api_key[1]}"}
    base = f"{live_server.url}/api/v1"

    listed = requests.get(
        f"{base}/integrations/{setup.integration.pk}/syncs", headers=headers, timeout=10
    ).json()["data"]
    detail = requests.get(f"{base}/syncs/{sync_id}", headers=headers, timeout=10).json()["data"]

    assert [s["id"] for s in listed["results"]] == [sync_id]
    assert detail["state"] == "SUCCEEDED"
    assert detail["counts"]["hris_employees"]["created"] == 12
    foreign = IntegrationFactory(environment=other_environment)
    integration_set_enabled(integration=foreign, enabled=True, actor=Actor.system())
    foreign_sync = Sync.objects.create(integration=foreign, type="FULL", trigger="API")
    hidden = requests.get(f"{base}/syncs/{foreign_sync.pk}", headers=headers, timeout=10)
    assert hidden.status_code == 404
    assert hidden.json()["status"] == "error"


def test_it_refuses_an_employment_status_kombo_does_not_document(
    environment: Environment, hris_sdk: Callable[[str], Kombo]
) -> None:
    """`hris.get_employees(employment_statuses=...)` takes `ACTIVE`, `PENDING`, `INACTIVE` or
    `LEAVE` (the SDK's parameter description); anything else is invalid input, answered with
    the HRIS error model's PLATFORM.INPUT_INVALID, not with an empty page."""
    integration = IntegrationFactory(environment=environment)
    sdk = hris_sdk(integration.pk)

    with pytest.raises(errors.KomboHrisError) as refused:
        sdk.hris.get_employees(employment_statuses=["ACTIVE", "EVIL"])

    assert refused.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert "EVIL" in refused.value.data.error.message
    accepted = sdk.hris.get_employees(
        employment_statuses=["ACTIVE", "PENDING", "INACTIVE", "LEAVE"]
    )
    assert accepted.result.data.results == []

"""Every `hris.get_*` method of the official `kombo` SDK, against an integration of each vendor
connector synced from that vendor's fake over real HTTP: every model the tool supports pages to
its end in exactly the SDK's shapes, and the references resolve.

Sources: the `kombo` SDK (1.4.0): its `get_*` methods, their pager (`next()` until None) and
their `GetHris<Model>PositiveResponse` models, checked key by key; the vendors' data are their
fakes', which follow each vendor's API reference (named in each fake's docstring).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo import models as sdk_models
from pydantic import BaseModel
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from integrations.models import Integration, SyncType
from integrations.tools import tool_get
from integrations.tools.base import Coverage
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import ALL_PERMISSIONS, IntegrationFactory, ScopeConfigFactory
from tests.support.fakes.bamboohr import FakeBambooHr
from tests.support.fakes.hibob import FakeHiBob
from tests.support.fakes.personio import FakePersonio
from tests.support.kombo_sdk import assert_kombo_shape

pytestmark = pytest.mark.django_db(transaction=True)

# Read model -> the SDK method that reads it and the model its answer must match.
SDK_METHODS: dict[str, tuple[str, type[BaseModel]]] = {
    "hris_employees": ("get_employees", sdk_models.GetHrisEmployeesPositiveResponse),
    "hris_teams": ("get_groups", sdk_models.GetHrisGroupsPositiveResponse),
    "hris_employments": ("get_employments", sdk_models.GetHrisEmploymentsPositiveResponse),
    "hris_locations": ("get_locations", sdk_models.GetHrisLocationsPositiveResponse),
    "hris_legal_entities": (
        "get_legal_entities",
        sdk_models.GetHrisLegalEntitiesPositiveResponse,
    ),
    "hris_absence_types": ("get_absence_types", sdk_models.GetHrisAbsenceTypesPositiveResponse),
    "hris_absences": ("get_absences", sdk_models.GetHrisAbsencesPositiveResponse),
    "hris_time_off_balances": (
        "get_time_off_balances",
        sdk_models.GetHrisTimeOffBalancesPositiveResponse,
    ),
}


def _personio(request: pytest.FixtureRequest) -> tuple[dict[str, str], str]:
    fake: FakePersonio = request.getfixturevalue("fake_personio")
    return fake.credential_create(), ""


def _bamboohr(request: pytest.FixtureRequest) -> tuple[dict[str, str], str]:
    fake: FakeBambooHr = request.getfixturevalue("fake_bamboohr")
    return {"companyDomain": "acme", "apiKey": fake.issue_key("acme")}, "acme"


def _sandbox(request: pytest.FixtureRequest) -> tuple[dict[str, str], str]:
    settings = request.getfixturevalue("settings")
    live_server = request.getfixturevalue("live_server")
    settings.SANDBOX_HR_URL = f"{live_server.url}/sandbox-hr"
    account = sandbox_account_create(name="Contract GmbH", employees=30, seed=3)
    _, raw_key = sandbox_api_key_create(account=account, name="kombo", permissions=ALL_PERMISSIONS)
    return {"api_key": raw_key}, account.pk


def _hibob(request: pytest.FixtureRequest) -> tuple[dict[str, str], str]:
    fake: FakeHiBob = request.getfixturevalue("fake_hibob")
    user_id, token = fake.add_service_user()
    return {"service_user_id": user_id, "token": token}, ""


CONNECTORS: dict[str, Callable[[pytest.FixtureRequest], tuple[dict[str, str], str]]] = {
    "personio": _personio,
    "bamboohr": _bamboohr,
    "hibob": _hibob,
    "sandbox": _sandbox,
}


@pytest.fixture(params=sorted(CONNECTORS))
def synced(request: pytest.FixtureRequest, environment: Environment) -> Integration:
    credentials, account = CONNECTORS[request.param](request)
    integration = IntegrationFactory(
        environment=environment,
        tool=request.param,
        scope_config=ScopeConfigFactory(environment=environment, name="Everything"),
        credentials=credentials,
        remote_account_id=account,
    )
    _full_sync(integration)
    return integration


def _full_sync(integration: Integration) -> None:
    sync, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )
    finished = sync_run(sync_id=sync.pk)
    assert finished is not None
    assert finished.state == SyncState.SUCCEEDED, (finished.error, finished.warnings)


@pytest.fixture
def sdk(
    live_server: LiveServer, api_key: tuple[ApiKey, str], synced: Integration
) -> Iterator[tuple[Kombo, list[Any]]]:
    bodies: list[Any] = []
    with httpx.Client(
        event_hooks={"response": [lambda r: (r.read(), bodies.append(r.json()))]}
    ) as client:
        yield (
            Kombo(
                api_key=api_key[1],
                integration_id=synced.pk,
                server_url=f"{live_server.url}/api/v1",
                client=client,
            ),
            bodies,
        )


def _supported(integration: Integration) -> list[str]:
    tool = tool_get(integration.tool)
    return [m for m in SDK_METHODS if tool.model_support(m).coverage == Coverage.SUPPORTED]


def _every_page(kombo: Kombo, method: str, **filters: Any) -> list[Any]:
    results: list[Any] = []
    response = getattr(kombo.hris, method)(page_size=50, **filters)
    while response is not None:
        results.extend(response.result.data.results)
        response = response.next()
    return results


def test_it_serves_every_supported_model_in_the_sdks_exact_shapes(
    synced: Integration, sdk: tuple[Kombo, list[Any]]
) -> None:
    kombo, bodies = sdk
    served: dict[str, list[Any]] = {}
    for model_id in _supported(synced):
        method, response_model = SDK_METHODS[model_id]
        bodies.clear()
        served[model_id] = _every_page(kombo, method)
        assert served[model_id], f"{synced.tool} served no {model_id}"
        assert len({row.id for row in served[model_id]}) == len(served[model_id])
        for body in bodies:
            assert_kombo_shape(response_model, body)

    employee_ids = {employee.id for employee in served["hris_employees"]}
    for model_id in ("hris_employments", "hris_absences", "hris_time_off_balances"):
        for row in served.get(model_id, []):
            assert row.employee_id in employee_ids, (model_id, row)
    type_ids = {t.id for t in served.get("hris_absence_types", [])}
    for model_id in ("hris_absences", "hris_time_off_balances"):
        for row in served.get(model_id, []):
            assert row.type is None or row.type.id == row.type_id
            assert row.type_id is None or row.type_id in type_ids


def test_it_filters_absences_by_employee(synced: Integration, sdk: tuple[Kombo, list[Any]]) -> None:
    kombo, _ = sdk
    if "hris_absences" not in _supported(synced):
        pytest.fail(f"{synced.tool} is expected to read absences")
    everyone = _every_page(kombo, "get_absences")
    someone = everyone[0].employee_id

    theirs = _every_page(kombo, "get_absences", employee_id=someone)

    assert theirs
    assert {absence.employee_id for absence in theirs} == {someone}
    assert len(theirs) == sum(1 for absence in everyone if absence.employee_id == someone)

"""`GET /hris/groups` through the official `kombo` SDK, on an integration synced from Sandbox HR
over real HTTP.

Sources: the `kombo` SDK's `hris.get_groups` (its parameters and their docstrings: `types` takes
`DEPARTMENT`, `TEAM`, `COST_CENTER` or `null`; `name_contains`; `ids`/`remote_ids` are ORed
within and ANDed across; `include_deleted`; `ignore_unsupported_filters` "filters targeting
fields not supported by this integration will be ignored instead of filtering out all
results") and its `GetHrisGroupsPositiveResponse` model, checked key by key; the groups
themselves are Sandbox HR's (its org chart: departments, a team, a cost center).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.models import GetHrisGroupsPositiveResponse
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from integrations.models import Integration
from sandbox_hr.models import SandboxGroup
from syncs.models import Group, SyncState
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import ScopeConfigFactory, sandbox_integration
from tests.support.kombo_sdk import assert_kombo_shape

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def synced(live_server: LiveServer, settings: Any, environment: Environment) -> Integration:
    settings.SANDBOX_HR_URL = live_server.url + "/sandbox-hr"
    setup = sandbox_integration(environment=environment, employees=5)
    _sync(setup.integration)
    return setup.integration


def _sync(integration: Integration) -> None:
    sync, _ = sync_enqueue(integration=integration, sync_type="FULL", trigger="API")
    assert sync_run(sync_id=sync.pk).state == SyncState.SUCCEEDED


@pytest.fixture
def sdk(
    live_server: LiveServer, api_key: tuple[ApiKey, str], synced: Integration
) -> tuple[Kombo, list[dict[str, Any]]]:
    bodies: list[dict[str, Any]] = []
    client = httpx.Client(event_hooks={"response": [lambda r: (r.read(), bodies.append(r.json()))]})
    return (
        Kombo(
            api_key=api_key[1],
            integration_id=synced.pk,
            server_url=f"{live_server.url}/api/v1",
            client=client,
        ),
        bodies,
    )


def _all(fetch: Callable[..., Any], **filters: Any) -> list[Any]:
    """Every page, as the SDK's own pager walks them (`next()` until it returns None)."""
    results: list[Any] = []
    response = fetch(page_size=2, **filters)
    while response is not None:
        results.extend(response.result.data.results)
        response = response.next()
    return results


def test_it_pages_through_every_group_in_kombos_shape(
    sdk: tuple[Kombo, list[dict[str, Any]]], synced: Integration
) -> None:
    kombo, bodies = sdk

    groups = _all(kombo.hris.get_groups)

    vendor = SandboxGroup.objects.filter(account_id=synced.remote_account_id)
    assert sorted((g.name, g.type) for g in groups) == sorted(
        (g.name, g.type.upper()) for g in vendor
    )
    assert len(bodies) == 3
    for body in bodies:
        assert_kombo_shape(GetHrisGroupsPositiveResponse, body)
    by_name = {g.name: g for g in groups}
    assert by_name["Platform Team"].parent_id == by_name["Engineering"].id
    assert by_name["Product & Engineering"].parent_id is None


def test_it_filters_groups_as_kombo_documents(sdk: tuple[Kombo, list[dict[str, Any]]]) -> None:
    kombo, _ = sdk
    everything = {g.name: g for g in _all(kombo.hris.get_groups)}

    teams = kombo.hris.get_groups(types=["TEAM", "COST_CENTER"]).result.data.results
    named = kombo.hris.get_groups(name_contains="engineering").result.data.results
    by_id = kombo.hris.get_groups(
        ids=[everything["Engineering"].id, everything["Sales & Customer Success"].id],
        remote_ids=[everything["Engineering"].remote_id],
    ).result.data.results
    untyped = kombo.hris.get_groups(types=["null"]).result.data.results

    assert sorted(g.name for g in teams) == ["CC 4100 Research & Development", "Platform Team"]
    assert sorted(g.name for g in named) == ["Engineering", "Product & Engineering"]
    assert [g.name for g in by_id] == ["Engineering"]
    assert untyped == []


def test_it_serves_a_group_gone_from_the_vendor_only_when_asked(
    sdk: tuple[Kombo, list[dict[str, Any]]], synced: Integration
) -> None:
    kombo, _ = sdk
    SandboxGroup.objects.filter(account_id=synced.remote_account_id, name="Platform Team").delete()
    _sync(synced)

    live = {g.name for g in kombo.hris.get_groups().result.data.results}
    every = {
        g.name: g.remote_deleted_at
        for g in kombo.hris.get_groups(include_deleted=True).result.data.results
    }

    assert "Platform Team" not in live
    assert every["Platform Team"] is not None
    assert every["Engineering"] is None


def test_it_filters_out_everything_on_a_field_the_scope_does_not_read_unless_told_to_ignore(
    sdk: tuple[Kombo, list[dict[str, Any]]], synced: Integration, environment: Environment
) -> None:
    kombo, _ = sdk
    scope = ScopeConfigFactory(
        environment=environment,
        name="Groups without names",
        settings={"hris_teams": {"setting": "ENABLED", "fields": {"type": "ENABLED"}}},
    )
    Integration.objects.filter(pk=synced.pk).update(scope_config=scope)

    filtered = kombo.hris.get_groups(name_contains="engineering").result.data.results
    ignored = kombo.hris.get_groups(
        name_contains="engineering", ignore_unsupported_filters=True
    ).result.data.results

    assert filtered == []
    assert len(ignored) == Group.objects.filter(integration=synced).count()
    assert {g.name for g in ignored} == {None}

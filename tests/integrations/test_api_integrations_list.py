"""`GET /api/v1/integrations`: filters, search, keyset pagination, environment isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.ids import new_integration_id
from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import Integration, IntegrationStatus, ScopeConfig
from integrations.services import integration_delete, integration_set_enabled
from tests.support.factories import IntegrationFactory, ScopeConfigFactory


@pytest.fixture
def client(api_key: tuple[ApiKey, str]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")


def list_integrations(client: Client, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/v1/integrations?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "success"
    assert set(body["data"]) == {"next", "results"}
    return dict(body["data"])


def ids(page: dict[str, Any]) -> list[str]:
    return [result["id"] for result in page["results"]]


def walk(client: Client, query: str) -> list[list[str]]:
    pages = [list_integrations(client, query)]
    while pages[-1]["next"]:
        pages.append(list_integrations(client, f"{query}&cursor={pages[-1]['next']}"))
    return [ids(page) for page in pages]


def bulk_integrations(environment: Environment, count: int) -> list[Integration]:
    """Rows straight into the table: the list never reads credentials or events."""
    scope_config: ScopeConfig = ScopeConfigFactory(environment=environment)
    return Integration.objects.bulk_create(
        Integration(
            id=new_integration_id("sandbox"),
            environment=environment,
            tool="sandbox",
            organization_name=f"Bulk {n} AG",
            creator_email=f"hr-{n}@bulk.example",
            origin_id=f"bulk-{n}",
            scope_config=scope_config,
        )
        for n in range(count)
    )


def test_it_lists_integrations_newest_first_in_the_detail_shape(
    client: Client, environment: Environment
) -> None:
    older = IntegrationFactory(environment=environment)
    newer = IntegrationFactory(environment=environment)

    page = list_integrations(client)

    assert ids(page) == [newer.id, older.id]
    assert page["next"] is None
    detail = client.get(f"/api/v1/integrations/{newer.id}").json()["data"]
    assert page["results"][0] == detail


def test_it_lists_only_the_keys_environment(
    client: Client, environment: Environment, other_environment: Environment
) -> None:
    own = IntegrationFactory(environment=environment)
    IntegrationFactory(environment=other_environment)
    bulk_integrations(other_environment, 3)

    assert ids(list_integrations(client)) == [own.id]
    assert ids(list_integrations(client, f"search={own.id}")) == [own.id]


def test_it_leaves_out_deleted_integrations(client: Client, environment: Environment) -> None:
    kept, deleted = IntegrationFactory.create_batch(2, environment=environment)
    integration_delete(integration=deleted, actor=Actor.system("tests"))

    assert ids(list_integrations(client)) == [kept.id]


def test_it_filters_by_status(client: Client, environment: Environment) -> None:
    active = IntegrationFactory(environment=environment)
    disabled = IntegrationFactory(environment=environment)
    integration_set_enabled(integration=disabled, enabled=False, actor=Actor.system("tests"))
    invalid = IntegrationFactory(environment=environment, status=IntegrationStatus.INVALID)

    assert ids(list_integrations(client, "status=ACTIVE")) == [active.id]
    assert ids(list_integrations(client, "status=INACTIVE")) == [disabled.id]
    assert ids(list_integrations(client, "status=INVALID")) == [invalid.id]


def test_it_filters_by_tool(client: Client, environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    assert ids(list_integrations(client, "tool=sandbox")) == [integration.id]


@pytest.mark.parametrize(
    "search", ["umbrella", "UMBRELLA CORP", "hr@umbrella.example", "UMB-42", "crm-origin-umb"]
)
def test_it_searches_organization_email_and_origin_id(
    client: Client, environment: Environment, search: str
) -> None:
    wanted = IntegrationFactory(
        environment=environment,
        organization_name="Umbrella Corp",
        creator_email="hr@umbrella.example",
        origin_id="crm-origin-umb-42",
    )
    IntegrationFactory(environment=environment, organization_name="Initech")

    assert ids(list_integrations(client, f"search={search}")) == [wanted.id]


def test_it_finds_an_integration_by_its_exact_id(client: Client, environment: Environment) -> None:
    wanted, _other = IntegrationFactory.create_batch(2, environment=environment)

    assert ids(list_integrations(client, f"search={wanted.id}")) == [wanted.id]
    assert ids(list_integrations(client, f"search={wanted.id[:-1]}")) == []


def test_it_walks_every_integration_exactly_once(client: Client, environment: Environment) -> None:
    created = bulk_integrations(environment, 11)

    pages = walk(client, "page_size=4")

    assert [len(page) for page in pages] == [4, 4, 3]
    expected = [i.id for i in sorted(created, key=lambda i: (i.created_at, i.id), reverse=True)]
    assert [integration_id for page in pages for integration_id in page] == expected


def test_it_walks_integrations_created_at_the_same_instant(
    client: Client, environment: Environment
) -> None:
    created = bulk_integrations(environment, 7)
    Integration.objects.update(created_at=timezone.now())

    pages = walk(client, "page_size=2")

    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert [i for page in pages for i in page] == sorted((i.id for i in created), reverse=True)


def test_it_keeps_its_place_when_integrations_are_added_while_walking(
    client: Client, environment: Environment
) -> None:
    first_batch = bulk_integrations(environment, 4)
    first_page = list_integrations(client, "page_size=2")

    bulk_integrations(environment, 3)
    second_page = list_integrations(client, f"page_size=2&cursor={first_page['next']}")

    newest_first = sorted(first_batch, key=lambda i: (i.created_at, i.id), reverse=True)
    assert ids(first_page) + ids(second_page) == [i.id for i in newest_first]
    assert second_page["next"] is None


def test_it_paginates_filtered_results(client: Client, environment: Environment) -> None:
    bulk_integrations(environment, 5)
    Integration.objects.filter(organization_name__in=["Bulk 1 AG", "Bulk 3 AG"]).update(
        status=IntegrationStatus.INVALID
    )

    pages = walk(client, "status=INVALID&page_size=1")

    assert len(pages) == 2
    names = {
        Integration.objects.get(pk=integration_id).organization_name
        for page in pages
        for integration_id in page
    }
    assert names == {"Bulk 1 AG", "Bulk 3 AG"}


def test_it_pages_by_100_unless_asked(client: Client, environment: Environment) -> None:
    bulk_integrations(environment, 101)

    assert len(ids(list_integrations(client))) == 100
    assert len(ids(list_integrations(client, "page_size=250"))) == 101


def test_it_runs_the_same_queries_for_5_and_200_integrations(
    client: Client, environment: Environment
) -> None:
    bulk_integrations(environment, 5)
    # The first request of a key also records when it was last used.
    list_integrations(client)

    with CaptureQueriesContext(connection) as few:
        assert len(ids(list_integrations(client, "page_size=250"))) == 5
    bulk_integrations(environment, 195)
    with CaptureQueriesContext(connection) as many:
        assert len(ids(list_integrations(client, "page_size=250"))) == 200

    assert len(few.captured_queries) == len(many.captured_queries)

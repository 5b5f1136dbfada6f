"""Bad input to force-sync and the HRIS API gets the envelope; pages cost constant queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ApiKey, Environment
from integrations.models import Integration
from syncs.models import Employee, Group
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_key: tuple[ApiKey, str]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")


@pytest.fixture
def integration(environment: Environment) -> Integration:
    return IntegrationFactory(environment=environment)


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == code
    return str(body["error"]["message"])


def test_it_needs_the_integration_header(client: Client) -> None:
    message = _error(client.get("/api/v1/hris/employees"), 400, "PLATFORM.INPUT_INVALID")
    assert "X-Integration-Id" in message
    _error(
        client.post("/api/v1/force-sync", {}, content_type="application/json"),
        400,
        "PLATFORM.INPUT_INVALID",
    )


def test_it_hides_other_environments_integrations(
    client: Client, other_environment: Environment
) -> None:
    foreign = IntegrationFactory(environment=other_environment)

    _error(
        client.get("/api/v1/hris/employees", HTTP_X_INTEGRATION_ID=foreign.pk),
        404,
        "PLATFORM.INTEGRATION_NOT_FOUND",
    )
    _error(
        client.post(f"/api/v1/integrations/{foreign.pk}/check-auth"),
        404,
        "PLATFORM.INTEGRATION_NOT_FOUND",
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=0", "page_size"),
        ("page_size=9999", "page_size"),
        ("cursor=%%%", "cursor"),
        ("updated_after=yesterday", "updated_after"),
        ("include_deleted=maybe", "include_deleted"),
        ("custom_fields=%7B%7D", "custom_fields"),
    ],
)
def test_it_names_the_bad_parameter(
    client: Client, integration: Integration, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/hris/employees?{query}", HTTP_X_INTEGRATION_ID=integration.pk)

    assert field in _error(response, 400, "PLATFORM.INPUT_INVALID")


def test_it_limits_a_list_filter_by_the_length_of_its_text(
    client: Client, integration: Integration
) -> None:
    many_items = client.get(
        # 143 documented values in 1,000 characters: the limit is on the text, not the items.
        f"/api/v1/hris/employees?employment_statuses={'ACTIVE,' * 142}ACTIVE",
        HTTP_X_INTEGRATION_ID=integration.pk,
    )
    one_long_item = client.get(
        f"/api/v1/hris/employees?employment_statuses={'A' * 1_001}",
        HTTP_X_INTEGRATION_ID=integration.pk,
    )

    assert many_items.status_code == 200, many_items.content
    message = _error(one_long_item, 400, "PLATFORM.INPUT_INVALID")
    assert "employment_statuses" in message
    assert "1000 characters" in message


def test_it_accepts_an_unsupported_filter_when_told_to_ignore_it(
    client: Client, integration: Integration
) -> None:
    response = client.get(
        "/api/v1/hris/employees?custom_fields=%7B%7D&ignore_unsupported_filters=true",
        HTTP_X_INTEGRATION_ID=integration.pk,
    )

    assert response.status_code == 200


@pytest.mark.parametrize("body", ['{"type": "PARTIAL"}', '{"type": "FULL", "x": 1}', "[1]"])
def test_it_refuses_a_bad_force_sync_body(
    client: Client, integration: Integration, body: str
) -> None:
    response = client.post(
        "/api/v1/force-sync",
        body,
        content_type="application/json",
        HTTP_X_INTEGRATION_ID=integration.pk,
    )

    _error(response, 400, "PLATFORM.INPUT_INVALID")


def _employees(integration: Integration, count: int) -> None:
    group = Group.objects.create(
        integration=integration,
        remote_id="g1",
        data={"name": "Sales", "type": "DEPARTMENT"},
        content_hash="h",
        changed_at=timezone.now(),
        last_seen_sync_id="s",
    )
    Employee.objects.bulk_create(
        [
            Employee(
                id=f"emp{integration.pk[-6:]}{n:05d}",
                integration=integration,
                remote_id=f"e{n}",
                data={"first_name": f"E{n}", "manager_id": "e0", "groups": [group.remote_id]},
                content_hash="h",
                changed_at=timezone.now(),
                last_seen_sync_id="s",
            )
            for n in range(count)
        ]
    )


def test_it_serves_a_page_in_constant_queries(client: Client, environment: Environment) -> None:
    small, large = (
        IntegrationFactory(environment=environment),
        IntegrationFactory(environment=environment),
    )
    _employees(small, 3)
    _employees(large, 200)

    client.get("/api/v1/check-api-key")  # the key's last_used_at write happens here, once
    counts = []
    for integration in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                "/api/v1/hris/employees?page_size=200", HTTP_X_INTEGRATION_ID=integration.pk
            )
        assert response.status_code == 200
        results = response.json()["data"]["results"]
        assert results[-1]["groups"][0]["name"] == "Sales"
        assert results[-1]["manager"]["remote_id"] == "e0"
        counts.append(len(queries))
    assert counts[0] == counts[1]

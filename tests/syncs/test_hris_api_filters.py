"""Employee filters and nesting as Kombo documents them.

Sources: the `kombo` SDK's `hris.get_employees` docstring ("The format of the emails is
case-insensitive") and its `GetHrisEmployeesPositiveResponse` model, whose nested
`TimeOffBalance` declares `type_id` a string, never null.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from kombo.models import GetHrisEmployeesPositiveResponse

from core.models import ApiKey, Environment
from integrations.models import Integration
from integrations.read_models import READ_MODELS
from syncs.ingest import ingest_page
from syncs.models import UNIFIED_MODELS
from tests.support.factories import IntegrationFactory
from tests.support.kombo_sdk import assert_kombo_shape

pytestmark = pytest.mark.django_db


def _store(integration: Integration, model_id: str, records: list[dict[str, Any]]) -> None:
    ingest_page(
        model=UNIFIED_MODELS[model_id],
        integration_id=integration.pk,
        sync_id="seeded",
        all_fields=READ_MODELS[model_id].stored_fields,
        records=records,
        now=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def client(api_key: tuple[ApiKey, str]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")


@pytest.fixture
def integration(environment: Environment) -> Integration:
    integration = IntegrationFactory(environment=environment)
    _store(
        integration,
        "hris_employees",
        [
            {"remote_id": "e1", "work_email": "Jane.Doe@Acme.example", "personal_email": None},
            {"remote_id": "e2", "work_email": "john@acme.example", "personal_email": "J@Mail.X"},
        ],
    )
    return integration


def _remote_ids(client: Client, integration: Integration, query: str) -> list[str]:
    response = client.get(f"/api/v1/hris/employees?{query}", HTTP_X_INTEGRATION_ID=integration.pk)
    assert response.status_code == 200, response.content
    return sorted(row["remote_id"] for row in response.json()["data"]["results"])


def test_it_matches_emails_whatever_their_case(client: Client, integration: Integration) -> None:
    assert _remote_ids(client, integration, "work_emails=jane.doe@acme.example") == ["e1"]
    assert _remote_ids(client, integration, "work_emails=JOHN@ACME.EXAMPLE,x@y.z") == ["e2"]
    assert _remote_ids(client, integration, "personal_emails=j@mail.x") == ["e2"]


def test_it_nests_only_balances_whose_type_it_serves(
    client: Client, integration: Integration
) -> None:
    _store(integration, "hris_absence_types", [{"remote_id": "vac", "name": "Vacation"}])
    _store(
        integration,
        "hris_time_off_balances",
        [
            {"remote_id": "b1", "employee_id": "e1", "type_id": "vac", "balance": 3},
            {"remote_id": "b2", "employee_id": "e1", "type_id": "never-read", "balance": 1},
        ],
    )

    response = client.get("/api/v1/hris/employees", HTTP_X_INTEGRATION_ID=integration.pk)

    assert_kombo_shape(GetHrisEmployeesPositiveResponse, response.json())
    jane = next(e for e in response.json()["data"]["results"] if e["remote_id"] == "e1")
    assert [b["remote_id"] for b in jane["time_off_balances"]] == ["b1"]

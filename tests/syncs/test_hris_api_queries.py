"""Every HRIS list costs the same number of queries for a page of 2 rows with few related rows
as for a page of 200 rows with many: the standard of this project ("a page or endpoint issues a
constant number of queries however many rows there are")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ApiKey, Environment
from integrations.models import Integration
from integrations.read_models import READ_MODELS
from syncs.ingest import ingest_page
from syncs.models import UNIFIED_MODELS
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = (
    "employees",
    "groups",
    "employments",
    "locations",
    "legal-entities",
    "absence-types",
    "absences",
    "time-off-balances",
)


def _store(integration: Integration, model_id: str, records: list[dict[str, Any]]) -> None:
    ingest_page(
        model=UNIFIED_MODELS[model_id],
        integration_id=integration.pk,
        sync_id="seeded",
        all_fields=READ_MODELS[model_id].stored_fields,
        records=records,
        now=timezone.now() - timedelta(days=1),
    )


def _company(environment: Environment, people: int) -> Integration:
    """`people` employees in as many groups, each with a manager, a location, a legal entity,
    two employments, two balances and three absences; half as many locations and legal
    entities."""
    integration = IntegrationFactory(environment=environment)
    _store(
        integration,
        "hris_teams",
        [
            {"remote_id": f"g{n}", "name": f"Group {n}", "type": "TEAM", "parent_id": "g0"}
            for n in range(people)
        ],
    )
    places = max(1, people // 2)
    _store(
        integration,
        "hris_locations",
        [
            {"remote_id": f"l{n}", "name": "Berlin" if n == 0 else f"Office {n}"}
            for n in range(places)
        ],
    )
    _store(
        integration,
        "hris_legal_entities",
        [
            {"remote_id": f"le{n}", "name": "Acme GmbH" if n == 0 else f"Acme {n}"}
            for n in range(places)
        ],
    )
    _store(
        integration,
        "hris_absence_types",
        [{"remote_id": f"t{n}", "name": f"Type {n}", "unit": "DAYS"} for n in range(3)],
    )
    _store(
        integration,
        "hris_employees",
        [
            {
                "remote_id": f"e{n}",
                "first_name": f"Person {n}",
                "manager_id": "e0",
                "groups": [f"g{n}", "g0"],
                "work_location_id": "l0",
                "legal_entity_id": "le0",
            }
            for n in range(people)
        ],
    )
    _store(
        integration,
        "hris_employments",
        [
            {"remote_id": f"em{n}-{k}", "employee_id": f"e{n}", "job_title": "Engineer"}
            for n in range(people)
            for k in range(2)
        ],
    )
    _store(
        integration,
        "hris_time_off_balances",
        [
            {"remote_id": f"b{n}-{k}", "employee_id": f"e{n}", "type_id": f"t{k}", "balance": 3}
            for n in range(people)
            for k in range(2)
        ],
    )
    _store(
        integration,
        "hris_absences",
        [
            {
                "remote_id": f"a{n}-{k}",
                "employee_id": f"e{n}",
                "type_id": f"t{k}",
                "start_date": "2026-12-01",
                "end_date": "2026-12-02",
            }
            for n in range(people)
            for k in range(3)
        ],
    )
    return integration


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_reads_a_page_in_constant_queries(
    endpoint: str, environment: Environment, api_key: tuple[ApiKey, str]
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")
    small, large = _company(environment, 2), _company(environment, 120)
    client.get("/api/v1/check-api-key")  # the key's last_used_at write happens here, once
    counts, sizes = [], []
    for integration, page_size in ((small, 2), (large, 200)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                f"/api/v1/hris/{endpoint}?page_size={page_size}",
                HTTP_X_INTEGRATION_ID=integration.pk,
            )
        assert response.status_code == 200, response.content
        sizes.append(len(response.json()["data"]["results"]))
        counts.append(len(queries))
    assert sizes[0] >= 1
    assert sizes[1] > sizes[0]
    assert counts[0] == counts[1]


def test_it_nests_an_employees_related_rows_by_their_ids(
    environment: Environment, api_key: tuple[ApiKey, str]
) -> None:
    """Kombo's employee nests `employments`, `time_off_balances`, `legal_entity`,
    `work_location`, `manager` and `groups`, each naming rows by Kombo's ids."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")
    integration = _company(environment, 2)

    response = client.get(
        "/api/v1/hris/employees?remote_ids=e1", HTTP_X_INTEGRATION_ID=integration.pk
    )

    [employee] = response.json()["data"]["results"]
    rows = {
        model_id: {row.remote_id: row.pk for row in model.objects.filter(integration=integration)}
        for model_id, model in UNIFIED_MODELS.items()
    }
    assert employee["manager_id"] == rows["hris_employees"]["e0"]
    assert employee["work_location_id"] == rows["hris_locations"]["l0"]
    assert employee["work_location"]["name"] == "Berlin"
    assert employee["legal_entity_id"] == rows["hris_legal_entities"]["le0"]
    assert employee["legal_entity"]["name"] == "Acme GmbH"
    assert sorted(g["id"] for g in employee["groups"]) == sorted(
        [rows["hris_teams"]["g1"], rows["hris_teams"]["g0"]]
    )
    assert sorted(e["remote_id"] for e in employee["employments"]) == ["em1-0", "em1-1"]
    assert {e["employee_id"] for e in employee["employments"]} == {employee["id"]}
    assert sorted(b["type_id"] for b in employee["time_off_balances"]) == sorted(
        [rows["hris_absence_types"]["t0"], rows["hris_absence_types"]["t1"]]
    )

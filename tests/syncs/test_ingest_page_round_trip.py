"""What a vendor sent is what the unified table holds, byte for byte, however its strings are
written: RFC 8259 lets a JSON string hold any Unicode character, with quotes and backslashes
escaped, and PostgreSQL's `jsonb` (its docs, "JSON Types") keeps every such string as given."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.models import Environment
from integrations.read_models import HRIS_EMPLOYEES
from syncs.ingest import ingest_page
from syncs.models import Employee
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

AWKWARD = {
    "first_name": 'Zoë "Zo" O\'Brien',
    "last_name": "Back\\slash %s %(name)s $1 \u00a0😀 日本",
    "job_title": "line\nbreak\ttab }] ::jsonb",
    "home_address": {"street_1": "Rue de l'Église 3", "city": "Zürich", "zip_code": None},
    "groups": ["g1", "g2"],
    "weekly_hours": 38.5,
}


def _page(integration_id: str, records: list[dict[str, object]], sync_id: str = "sync1") -> dict:
    return ingest_page(
        model=Employee,
        integration_id=integration_id,
        sync_id=sync_id,
        all_fields=HRIS_EMPLOYEES.stored_fields,
        records=records,
        now=timezone.now(),
    ).as_dict()


def test_it_stores_awkward_strings_and_nested_values_as_sent(environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    counts = _page(integration.pk, [{"remote_id": 'e"1\\', **AWKWARD}])

    assert counts["created"] == 1
    row = Employee.objects.get(integration=integration)
    assert row.remote_id == 'e"1\\'
    assert {field: row.data[field] for field in AWKWARD} == AWKWARD
    assert set(row.data) == set(HRIS_EMPLOYEES.stored_fields)
    assert row.data["work_email"] is None
    assert row.last_seen_sync_id == "sync1"
    assert row.remote_deleted_at is None


def test_it_writes_a_row_repeated_within_a_page_once(environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    counts = _page(
        integration.pk,
        [
            {"remote_id": "e1", "first_name": "Old"},
            {"remote_id": "e2", "first_name": "Other"},
            {"remote_id": "e1", "first_name": "New"},
        ],
    )

    assert counts == {"fetched": 3, "created": 2, "updated": 0, "unchanged": 0, "deleted": 0}
    assert Employee.objects.get(integration=integration, remote_id="e1").data["first_name"] == "New"


def test_it_keeps_each_integrations_rows_apart(environment: Environment) -> None:
    first = IntegrationFactory(environment=environment)
    second = IntegrationFactory(environment=environment)
    _page(first.pk, [{"remote_id": "e1", "first_name": "First"}])

    counts = _page(second.pk, [{"remote_id": "e1", "first_name": "Second"}])

    assert counts["created"] == 1
    assert Employee.objects.get(integration=first).data["first_name"] == "First"
    assert Employee.objects.get(integration=second).data["first_name"] == "Second"

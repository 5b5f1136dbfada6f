"""A delta read of Personio's employees follows the pagination `updated_since` queries have.

Sources (developer.personio.de): the changelog "Employee API: Paginate the response of GET
Employee when `updated_since` filter is used" (since November 16, 2023 pagination applies to
`updated_since` queries too) and the "Pagination Adoption Guide for V1 GET employees endpoint"
(`limit` at most 100, advance `offset` by `limit` until `current_page >= total_pages - 1`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from core.models import Environment
from integrations.models import Integration, SyncType
from integrations.tools.personio import PersonioTool
from syncs.models import Employee, Sync, SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory
from tests.support.fakes.personio import FakePersonio, seed_employees


def test_it_reads_every_page_of_employees_changed_since_a_delta_point(
    fake_personio: FakePersonio,
) -> None:
    changed_at = datetime(2025, 6, 1, tzinfo=UTC)
    for employee in fake_personio.employees[:40]:
        employee.updated_at = changed_at
    creds = fake_personio.credential_create()

    pages = list(
        PersonioTool(page_size=15).fetch(
            creds, "hris_employees", frozenset({"last_name"}), since=changed_at - timedelta(days=1)
        )
    )

    assert [len(page) for page in pages] == [15, 15, 10]
    assert {r["remote_id"] for page in pages for r in page} == {
        str(e.id) for e in fake_personio.employees[:40]
    }
    requests = fake_personio.requests_to("/v1/company/employees")
    assert [(r.args["offset"], r.args["limit"]) for r in requests] == [
        ("0", "15"),
        ("15", "15"),
        ("30", "15"),
    ]
    assert {r.args["updated_since"] for r in requests} == {"2025-05-31T00:00:00"}


@pytest.mark.django_db(transaction=True)
def test_it_stores_every_changed_employee_in_a_multi_page_delta_sync(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    fake_personio.employees = seed_employees(230)
    integration = IntegrationFactory(
        environment=environment,
        tool="personio",
        remote_account_id="",
        credentials=fake_personio.credential_create(),
    )
    first = _sync(integration, SyncType.FULL)
    assert first.state == SyncState.SUCCEEDED, first.error
    # 150 people renamed after the full sync: two pages of a delta read.
    for employee in fake_personio.employees[50:200]:
        employee.values["last_name"] = f"{employee.values['last_name']}-Neu"
        employee.updated_at = timezone.now() + timedelta(minutes=1)
    fake_personio.requests.clear()

    delta = _sync(integration, SyncType.DELTA)

    assert delta.state == SyncState.SUCCEEDED, delta.error
    assert delta.counts["hris_employees"]["fetched"] == 150
    assert delta.counts["hris_employees"]["updated"] == 150
    renamed = Employee.objects.filter(integration=integration, data__last_name__endswith="-Neu")
    assert renamed.count() == 150
    delta_reads = [
        r.args["offset"]
        for r in fake_personio.requests_to("/v1/company/employees")
        if "updated_since" in r.args
    ]
    # Each model read from the employee listing pages through both delta pages.
    assert delta_reads
    assert set(delta_reads) == {"0", "100"}


def _sync(integration: Integration, sync_type: SyncType) -> Sync:
    queued, created = sync_enqueue(
        integration=integration,
        sync_type=sync_type,
        trigger=SyncTrigger.API,
    )
    assert created
    ran = sync_run(sync_id=queued.pk)
    assert ran is not None
    ran.refresh_from_db()
    return ran

"""`get_absences` and `get_time_off_balances` filters through the official `kombo` SDK, on an
integration synced from Sandbox HR over real HTTP, whose data a test can change in place.

Sources: the `kombo` SDK's docstrings of `hris.get_absences` (`date_from`: absences that "either
start _or_ haven't ended yet on/after this day"; `date_until`: absences "that start on or before
this day"; `type_ids`; `employee_id`; `updated_after` also matches when the linked `type`
changed; `include_deleted`: "By default, deleted entries are not returned") and of
`hris.get_time_off_balances` (`employee_id`; `updated_after` with the linked `type`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from django.utils import timezone
from kombo import Kombo
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from integrations.models import Integration, SyncType
from sandbox_hr.models import SandboxAbsence, SandboxAbsenceType
from syncs.models import SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def synced(live_server: LiveServer, settings: Any, environment: Environment) -> Integration:
    settings.SANDBOX_HR_URL = f"{live_server.url}/sandbox-hr"
    integration = sandbox_integration(environment=environment, employees=20).integration
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
def kombo(
    live_server: LiveServer, api_key: tuple[ApiKey, str], synced: Integration
) -> Iterator[Kombo]:
    with httpx.Client() as client:
        yield Kombo(
            api_key=api_key[1],
            integration_id=synced.pk,
            server_url=f"{live_server.url}/api/v1",
            client=client,
        )


def _all(kombo: Kombo, method: str, **filters: Any) -> list[Any]:
    results: list[Any] = []
    response = getattr(kombo.hris, method)(page_size=100, **filters)
    while response is not None:
        results.extend(response.result.data.results)
        response = response.next()
    return results


def _vendor_absences(integration: Integration) -> list[SandboxAbsence]:
    return list(SandboxAbsence.objects.filter(account_id=integration.remote_account_id))


def test_it_filters_absences_by_calendar_days(synced: Integration, kombo: Kombo) -> None:
    vendor = _vendor_absences(synced)
    first, last = min(a.start_date for a in vendor), max(a.end_date for a in vendor)
    middle = first + (last - first) / 2

    from_middle = _all(kombo, "get_absences", date_from=middle)
    until_middle = _all(kombo, "get_absences", date_until=middle)

    assert {a.remote_id for a in from_middle} == {a.pk for a in vendor if a.end_date >= middle}
    assert {a.remote_id for a in until_middle} == {a.pk for a in vendor if a.start_date <= middle}
    assert 0 < len(from_middle) < len(vendor)


def test_it_filters_absences_by_type_and_employee(synced: Integration, kombo: Kombo) -> None:
    vendor = _vendor_absences(synced)
    everything = _all(kombo, "get_absences")
    one = everything[0]

    of_type = _all(kombo, "get_absences", type_ids=[one.type_id])
    of_employee = _all(kombo, "get_absences", employee_id=one.employee_id)
    balances = _all(kombo, "get_time_off_balances", employee_id=one.employee_id)

    assert {a.remote_id for a in of_type} == {
        a.pk for a in vendor if a.type_id == one.type.remote_id
    }
    assert {a.employee_id for a in of_employee} == {one.employee_id}
    assert balances
    assert {b.employee_id for b in balances} == {one.employee_id}
    assert all(b.type.id == b.type_id for b in balances)


def test_it_counts_a_renamed_absence_type_as_an_update_of_its_absences(
    synced: Integration, kombo: Kombo
) -> None:
    since = timezone.now()
    renamed = SandboxAbsenceType.objects.filter(account_id=synced.remote_account_id).first()
    assert renamed is not None
    renamed.name = "Holiday"
    renamed.save()
    _full_sync(synced)

    absences = _all(kombo, "get_absences", updated_after=since)
    balances = _all(kombo, "get_time_off_balances", updated_after=since)

    assert absences
    assert {a.type.name for a in absences} == {"Holiday"}
    assert len(absences) == sum(1 for a in _vendor_absences(synced) if a.type_id == renamed.pk)
    assert {b.type.name for b in balances} == {"Holiday"}


def test_it_serves_an_absence_gone_from_the_vendor_only_when_asked(
    synced: Integration, kombo: Kombo
) -> None:
    gone = _vendor_absences(synced)[0]
    gone_id = gone.pk
    gone.delete()
    _full_sync(synced)

    live = {a.remote_id for a in _all(kombo, "get_absences")}
    every = {a.remote_id: a for a in _all(kombo, "get_absences", include_deleted=True)}

    assert gone_id not in live
    assert every[gone_id].remote_deleted_at is not None
    assert len(every) == len(live) + 1


def test_it_reads_plain_dates_as_kombo_writes_them(synced: Integration, kombo: Kombo) -> None:
    """`start_date` and `end_date` are `yyyy-MM-dd` (the SDK's docstrings)."""
    vendor = {a.pk: a for a in _vendor_absences(synced)}

    for absence in _all(kombo, "get_absences"):
        assert date.fromisoformat(absence.start_date) == vendor[absence.remote_id].start_date
        assert date.fromisoformat(absence.end_date) == vendor[absence.remote_id].end_date
        assert date.fromisoformat(absence.end_date) - date.fromisoformat(
            absence.start_date
        ) >= timedelta(0)

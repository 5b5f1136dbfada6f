"""A vendor that hangs, answers garbage, a login page or a 5xx: the auth check and the sync end
with a recorded, readable reason, and none of it counts as an authentication failure.

Each connector talks over real HTTP to its fake vendor (tests/support/fakes/), which is told to
misbehave for every request of the test (or only for page 2 of a listing).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from werkzeug.wrappers import Request

from core.models import Environment
from integrations.models import Integration, IntegrationStatus, Issue, IssueStatus, SyncType
from integrations.services import integration_record_auth_result
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult
from syncs.models import AuthCheck, AuthCheckTrigger, Employee, Sync, SyncState, SyncTrigger
from syncs.services import auth_check_run, sync_enqueue
from tests.support.factories import IntegrationFactory
from tests.support.fakes.bamboohr import (
    FakeBambooHr,
)
from tests.support.fakes.hibob import (
    FakeHiBob,
)
from tests.support.fakes.personio import (
    FakePersonio,
    seed_employees,
)
from tests.support.fakes.server import FakeVendor, Fault
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db

TOOL_TIMEOUT = 1.0
# Every request of a test gets the fault: a vendor that is down stays down.
ALWAYS = 10_000
LOGIN_PAGE = (
    "<!doctype html><html><head><title>Sign in</title></head><body>"
    '<form action="/login" method="post"><input name="email"><input name="password" '
    'type="password"></form><script>window.location = "/sso";</script></body></html>'
)
FAULTS: dict[str, Callable[[], Fault]] = {
    "hang": lambda: Fault(status=503, delay=TOOL_TIMEOUT + 0.5, times=ALWAYS),
    "truncated-json": lambda: Fault(
        status=200, body='{"success": true, "data": [{"type": "Employee", "attr', times=ALWAYS
    ),
    "not-json": lambda: Fault(
        status=200,
        body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR garbage \xff\xfe",
        content_type="application/octet-stream",
        times=ALWAYS,
    ),
    "html-login-page": lambda: Fault(
        status=200, body=LOGIN_PAGE, content_type="text/html; charset=utf-8", times=ALWAYS
    ),
    # The Content-Type header is the vendor's (or a proxy's) too: it never reaches a message raw.
    "hostile-content-type": lambda: Fault(
        status=200,
        body=LOGIN_PAGE,
        content_type='text/html; charset="<script>alert(1)</script>"; x=' + "y" * 2000,
        times=ALWAYS,
    ),
    "bad-gateway": lambda: Fault(
        status=502,
        body="<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
        content_type="text/html",
        times=ALWAYS,
    ),
    "unavailable": lambda: Fault(
        status=503, body='{"error": "maintenance"}', headers={"Retry-After": "30"}, times=ALWAYS
    ),
}


@dataclass
class Vendor:
    tool_id: str
    fake: FakeVendor
    credentials: dict[str, str]
    revoke: Callable[[], None]
    # The employee listing a sync reads (and, where it reads the same page, the auth check).
    is_employee_page: Callable[[Request], bool]
    page_size: int
    # How many of those requests pass before page 2: page 1, plus the auth check where it is
    # the same request (Personio's check reads page 1 for its employee ids).
    pages_before_page_2: int
    # Renames an employee on page 1 at the vendor; returns their remote id.
    rename_on_first_page: Callable[[str], str]
    # Whether the vendor's API lists departments apart from the employee listing (BambooHR's
    # meta lists, HiBob's company lists); Personio's v1 API has them only as employee attributes.
    lists_groups_apart: bool
    # Whether other models (absence types, absences) are read apart from the employee listing.
    reads_other_models_apart: bool = False


def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _personio(fake: FakePersonio) -> Vendor:
    fake.employees = seed_employees(150)
    credentials = fake.credential_create()
    return Vendor(
        "personio",
        fake,
        credentials,
        revoke=lambda: fake.credential_delete(credentials["client_id"]),
        is_employee_page=lambda request: (
            request.path == "/v1/company/employees" and request.args.get("limit") == "100"
        ),
        page_size=100,
        pages_before_page_2=2,
        rename_on_first_page=lambda name: _personio_rename(fake, name),
        lists_groups_apart=False,
        reads_other_models_apart=True,
    )


def _personio_rename(fake: FakePersonio, name: str) -> str:
    fake.employees[0].values["last_name"] = name
    fake.employees[0].updated_at = timezone.now()
    return str(fake.employees[0].id)


def _bamboohr(fake: FakeBambooHr) -> Vendor:
    key = fake.issue_key("acme")
    return Vendor(
        "bamboohr",
        fake,
        {"companyDomain": "acme", "apiKey": key},
        revoke=lambda: fake.revoke_key(key),
        is_employee_page=lambda request: (
            request.path.endswith("/v2/datasets/employee/data")
            and _json_body(request).get("pageSize") == 100
        ),
        page_size=100,
        pages_before_page_2=1,
        rename_on_first_page=lambda name: _bamboohr_rename(fake, name),
        lists_groups_apart=True,
    )


def _bamboohr_rename(fake: FakeBambooHr, name: str) -> str:
    fake.update_employee("acme", "1", timezone.now(), lastName=name)
    return "1"


def _hibob(fake: FakeHiBob) -> Vendor:
    user_id, token = fake.add_service_user()
    return Vendor(
        "hibob",
        fake,
        {"service_user_id": user_id, "token": token},
        revoke=lambda: fake.delete_service_user(user_id),
        # A sync's batches ask for human-readable values; the auth check's probe does not.
        is_employee_page=lambda request: (
            request.path == "/v1/people/search" and "humanReadable" in _json_body(request)
        ),
        page_size=200,
        pages_before_page_2=1,
        rename_on_first_page=lambda name: _hibob_rename(fake, name),
        lists_groups_apart=True,
    )


def _hibob_rename(fake: FakeHiBob, name: str) -> str:
    fake.employees[0].values["root.surname"] = name
    return fake.employees[0].id


@pytest.fixture(params=["personio", "bamboohr", "hibob"])
def vendor(request: pytest.FixtureRequest) -> Iterator[Vendor]:
    # The fake (and its own settings override) first: overrides must end in the reverse order
    # they began, or the one ending last restores the other's settings for every later test.
    fake = request.getfixturevalue(f"fake_{request.param}")
    with override_settings(TOOL_HTTP_TIMEOUT=TOOL_TIMEOUT):
        if request.param == "personio":
            yield _personio(fake)
        elif request.param == "bamboohr":
            yield _bamboohr(fake)
        else:
            yield _hibob(fake)


def _integration(environment: Environment, vendor: Vendor) -> Integration:
    remote_account_id = tool_get(vendor.tool_id).check_auth(vendor.credentials).remote_account_id
    return IntegrationFactory(
        environment=environment,
        tool=vendor.tool_id,
        credentials=vendor.credentials,
        remote_account_id=remote_account_id,
    )


def _failing_since_yesterday(integration: Integration) -> Integration:
    """Two real failed checks, the first a day ago: a streak with its open issue."""
    yesterday = timezone.now() - timedelta(days=1)
    for moment in (yesterday, yesterday + timedelta(hours=3)):
        integration_record_auth_result(
            integration_id=integration.pk,
            result=AuthResult.invalid("The vendor rejected the credentials."),
            now=moment,
        )
    integration.refresh_from_db()
    assert integration.consecutive_auth_failures == 2
    return integration


def _health(integration: Integration) -> tuple[Any, ...]:
    integration.refresh_from_db()
    return (
        integration.status,
        integration.consecutive_auth_failures,
        integration.auth_failing_since,
        integration.last_auth_ok_at,
        integration.sync_paused_reason,
        tuple(Issue.objects.filter(integration=integration).values_list("id", "status")),
    )


def assert_readable(message: str, vendor: Vendor) -> None:
    """A reason an operator can read on the integration page: short, plain, no secrets."""
    assert message.strip(), "no reason was recorded"
    assert len(message) <= 300, message
    assert "Traceback" not in message, message
    assert 'File "' not in message, message
    assert "<" not in message, f"markup leaked into: {message}"
    assert ">" not in message, f"markup leaked into: {message}"
    assert "\x00" not in message, message
    for field in tool_get(vendor.tool_id).credential_fields:
        if field.secret:
            secret = vendor.credentials[field.key]
            assert secret not in message, f"the {field.label} leaked into: {message}"


def _sync(integration: Integration) -> Sync:
    sync, created = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )
    assert created
    ran = [s for s in run_queued_syncs() if s.pk == sync.pk]
    assert ran, "the queued sync did not run"
    return ran[0]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_it_records_a_vendor_fault_as_unreachable_and_never_as_an_auth_failure(
    vendor: Vendor, fault: str, environment: Environment
) -> None:
    integration = _failing_since_yesterday(_integration(environment, vendor))
    health_before = _health(integration)
    vendor.fake.fail_next(FAULTS[fault]())

    started = time.monotonic()
    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
    sync = _sync(integration)
    elapsed = time.monotonic() - started

    assert run.check.outcome == AuthOutcome.UNREACHABLE
    assert_readable(run.check.message, vendor)
    assert sync.state == SyncState.FAILED
    assert_readable(sync.error, vendor)
    sync_check = AuthCheck.objects.get(sync=sync)
    assert sync_check.outcome == AuthOutcome.UNREACHABLE
    assert _health(integration) == health_before, "the failure streak moved"
    assert Issue.objects.filter(integration=integration).count() == 1
    assert Issue.objects.get(integration=integration).status == IssueStatus.OPEN
    # A hanging vendor costs each call its timeout, not more.
    assert elapsed < 4 * TOOL_TIMEOUT + 3
    if fault == "hang":
        # Let the hung requests finish into the void before the next test resets the fake.
        time.sleep(0.6)


def test_it_still_counts_credentials_the_vendor_really_rejects(
    vendor: Vendor, environment: Environment
) -> None:
    integration = _failing_since_yesterday(_integration(environment, vendor))
    vendor.revoke()

    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)

    assert run.check.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert_readable(run.check.message, vendor)
    integration.refresh_from_db()
    assert integration.consecutive_auth_failures == 3
    assert integration.status == IntegrationStatus.ACTIVE


def _rows(integration: Integration) -> dict[str, tuple[Any, ...]]:
    return {
        remote_id: (content_hash, data, deleted_at)
        for remote_id, content_hash, data, deleted_at in Employee.objects.filter(
            integration=integration
        ).values_list("remote_id", "content_hash", "data", "remote_deleted_at")
    }


def test_it_fails_a_sync_whose_second_page_is_garbage_and_keeps_the_data_consistent(
    vendor: Vendor, environment: Environment
) -> None:
    integration = _integration(environment, vendor)
    first = _sync(integration)
    assert first.state == SyncState.SUCCEEDED, first.error
    rows_before = _rows(integration)
    assert len(rows_before) > vendor.page_size, "the vendor must have a second page"
    renamed = vendor.rename_on_first_page("Renamed-Before-The-Fault")
    vendor.fake.fail_next(
        Fault(
            status=200,
            body='{"data": [{"id": 1, "fields": {"firstName": "Trunc',
            matches=vendor.is_employee_page,
            after=vendor.pages_before_page_2,
            times=ALWAYS,
        )
    )

    second = _sync(integration)

    # Kombo's sync states: FAILED when nothing could be read, PARTIALLY_FAILED ("failed with
    # partial errors") when the groups, listed apart from the employees, were read all the same.
    groups_read = vendor.lists_groups_apart
    something_read = groups_read or vendor.reads_other_models_apart
    assert second.state == (SyncState.PARTIALLY_FAILED if something_read else SyncState.FAILED)
    assert (second.counts.get("hris_teams", {}).get("fetched", 0) > 0) is groups_read
    assert_readable(second.error, vendor)
    assert second.counts["hris_employees"]["fetched"] == vendor.page_size
    assert second.counts["hris_employees"]["deleted"] == 0
    # Page 1 was stored (with the rename); nobody the sync did not get to changed or was
    # marked deleted.
    rows_after = _rows(integration)
    assert rows_after.keys() == rows_before.keys()
    assert rows_after[renamed][1]["last_name"] == "Renamed-Before-The-Fault"
    assert {k: v for k, v in rows_after.items() if k != renamed} == {
        k: v for k, v in rows_before.items() if k != renamed
    }
    assert all(deleted_at is None for _, _, deleted_at in rows_after.values())
    integration.refresh_from_db()
    assert integration.consecutive_auth_failures == 0
    assert integration.auth_failing_since is None
    assert not Issue.objects.filter(integration=integration).exists()

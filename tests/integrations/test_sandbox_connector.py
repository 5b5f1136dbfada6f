"""The `sandbox` connector against the real Sandbox HR server, and against a misbehaving one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import override_settings
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from integrations.tools.base import AuthOutcome, ToolError
from integrations.tools.sandbox import (
    PERM_EMPLOYEES,
    PERM_GROUPS,
    SandboxTool,
)
from sandbox_hr.models import SandboxAccount, SandboxEmployee, SandboxGroup
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
    sandbox_permission_remove,
)
from tests.support.factories import ALL_PERMISSIONS
from tests.support.processes import free_port

EMPLOYEE_FIELDS = frozenset(SandboxTool.models["hris_employees"].fields)
GROUP_FIELDS = frozenset(SandboxTool.models["hris_teams"].fields)
tool = SandboxTool()

live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def faulty_sandbox_hr(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    with override_settings(SANDBOX_HR_URL=httpserver.url_for("/sandbox-hr")):
        yield httpserver


def credentials(account: SandboxAccount, *permissions: str) -> tuple[Any, dict[str, str]]:
    key, raw_key = sandbox_api_key_create(account=account, name="kombo", permissions=permissions)
    return key, {"api_key": raw_key}


@live
def test_it_accepts_a_key_with_exactly_its_permissions_and_account(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=3, seed=1)
    _, creds = credentials(account, PERM_EMPLOYEES, PERM_GROUPS)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == frozenset({PERM_EMPLOYEES, PERM_GROUPS})
    assert result.remote_account_id == account.pk


@live
def test_it_reports_a_revoked_key_as_invalid_credentials(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=3, seed=1)
    key, creds = credentials(account, *ALL_PERMISSIONS)
    assert tool.check_auth(creds).outcome == AuthOutcome.OK

    sandbox_api_key_revoke(key=key)
    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert creds["api_key"] not in result.message


@live
@pytest.mark.parametrize("raw_key", ["sbx_neverIssuedNeverIssuedNeverIssued12", "hunter2", ""])
def test_it_reports_an_unknown_key_as_invalid_credentials(sandbox_hr: None, raw_key: str) -> None:
    result = tool.check_auth({"api_key": raw_key})

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS


def test_it_reports_a_server_that_is_down_as_unreachable() -> None:
    port = free_port()
    with override_settings(SANDBOX_HR_URL=f"http://127.0.0.1:{port}/sandbox-hr"):
        result = tool.check_auth({"api_key": "sbx_whatever"})

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "connection failed" in result.message


@pytest.mark.parametrize(
    ("respond", "expected_message"),
    [
        ({"response_data": "Internal Server Error", "status": 500}, "HTTP 500"),
        ({"response_data": "Bad Gateway", "status": 502}, "HTTP 502"),
        (
            {"response_data": "{not json", "content_type": "application/json"},
            "not JSON",
        ),
        (
            {"response_data": "<html>maintenance</html>", "content_type": "text/html"},
            "not JSON",
        ),
        (
            {"response_data": '{"hello": "world"}', "content_type": "application/json"},
            "unexpected response body",
        ),
    ],
)
def test_it_reports_vendor_faults_as_unreachable(
    faulty_sandbox_hr: HTTPServer, respond: dict[str, Any], expected_message: str
) -> None:
    faulty_sandbox_hr.expect_request("/sandbox-hr/api/v1/me").respond_with_data(**respond)

    result = tool.check_auth({"api_key": "sbx_whatever"})

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert expected_message in result.message


def test_it_reports_a_rate_limit_as_unreachable_with_the_retry_delay(
    faulty_sandbox_hr: HTTPServer,
) -> None:
    faulty_sandbox_hr.expect_request("/sandbox-hr/api/v1/me").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )

    result = tool.check_auth({"api_key": "sbx_whatever"})

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.retry_after_seconds == 120.0


@override_settings(TOOL_HTTP_TIMEOUT=0.5)
def test_it_reports_a_timeout_as_unreachable(faulty_sandbox_hr: HTTPServer) -> None:
    released = threading.Event()

    def too_slow(request: Request) -> Response:
        # Answers only long after the client's timeout, or as soon as the test is over: the
        # fake server is shared by the tests that follow and must not stay busy.
        released.wait(10)
        return Response('{"account": {"id": "acc_late"}, "permissions": []}')

    faulty_sandbox_hr.expect_request("/sandbox-hr/api/v1/me").respond_with_handler(too_slow)

    try:
        result = tool.check_auth({"api_key": "sbx_whatever"})
    finally:
        released.set()

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "timed out" in result.message


@live
def test_it_fetches_every_employee_with_unified_field_names(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=430, seed=4)
    _, creds = credentials(account, *ALL_PERMISSIONS)

    pages = list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS))

    assert [len(page) for page in pages] == [200, 200, 30]
    records = {record["remote_id"]: record for page in pages for record in page}
    assert set(records) == set(
        SandboxEmployee.objects.filter(account=account).values_list("id", flat=True)
    )
    assert all(set(record) == EMPLOYEE_FIELDS | {"remote_id"} for record in records.values())
    zoe = next(r for r in records.values() if r["first_name"] == "Zoë")
    assert zoe["display_full_name"] == "Zoë Müller"
    assert zoe["work_email"] == "zoe.mueller@acme-gmbh.example"
    assert zoe["employment_status"] == "ACTIVE"
    assert zoe["employment_type"] == "FULL_TIME"
    assert zoe["manager_id"] is None
    jose = next(r for r in records.values() if r["first_name"] == "José")
    assert jose["manager_id"] == zoe["remote_id"]
    assert jose["groups"]
    statuses = {record["employment_status"] for record in records.values()}
    assert {"ACTIVE", "INACTIVE"} <= statuses <= {"ACTIVE", "INACTIVE", "PENDING", "LEAVE"}
    address = next(r["home_address"] for r in records.values() if r["home_address"])
    assert set(address) == {"street_1", "city", "zip_code", "country"}


@live
def test_it_returns_only_the_requested_fields(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=5, seed=4)
    _, creds = credentials(account, *ALL_PERMISSIONS)

    pages = list(tool.fetch(creds, "hris_employees", frozenset({"first_name", "work_email"})))

    records = [record for page in pages for record in page]
    assert len(records) == 5
    assert all(set(record) == {"remote_id", "first_name", "work_email"} for record in records)


@live
def test_it_fetches_only_employees_changed_since_a_delta_point(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=8, seed=4)
    SandboxEmployee.objects.filter(account=account).update(
        updated_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    changed = SandboxEmployee.objects.filter(account=account).order_by("id").first()
    assert changed is not None
    changed.job_title = "Chief Happiness Officer"
    changed.save()
    _, creds = credentials(account, PERM_EMPLOYEES)

    pages = list(
        tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS, since=datetime(2025, 1, 1, tzinfo=UTC))
    )

    records = [record for page in pages for record in page]
    assert [(r["remote_id"], r["job_title"]) for r in records] == [
        (changed.pk, "Chief Happiness Officer")
    ]


@live
def test_it_fetches_groups_with_unified_types(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=3, seed=4)
    _, creds = credentials(account, PERM_GROUPS)

    pages = list(tool.fetch(creds, "hris_teams", GROUP_FIELDS))

    groups = {record["name"]: record for page in pages for record in page}
    assert len(groups) == SandboxGroup.objects.filter(account=account).count()
    assert {record["type"] for record in groups.values()} == {"DEPARTMENT", "TEAM", "COST_CENTER"}
    assert groups["Engineering"]["parent_id"] == groups["Product & Engineering"]["remote_id"]


@live
def test_it_stops_for_good_when_a_permission_is_removed_mid_fetch(sandbox_hr: None) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=250, seed=4)
    key, creds = credentials(account, PERM_EMPLOYEES)
    pages = tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == 200

    sandbox_permission_remove(key=key, permission=PERM_EMPLOYEES)

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)


def test_it_treats_a_vendor_fault_mid_fetch_as_transient(faulty_sandbox_hr: HTTPServer) -> None:
    faulty_sandbox_hr.expect_ordered_request("/sandbox-hr/api/v1/employees").respond_with_json(
        {"data": [{"id": "emp_1", "first_name": "Zoë"}], "next_cursor": "page-2"}
    )
    faulty_sandbox_hr.expect_ordered_request(
        "/sandbox-hr/api/v1/employees", query_string={"limit": "200", "cursor": "page-2"}
    ).respond_with_data("upstream down", status=503)
    pages = tool.fetch({"api_key": "sbx_whatever"}, "hris_employees", EMPLOYEE_FIELDS)

    assert next(pages)[0]["first_name"] == "Zoë"
    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is True


@pytest.mark.parametrize(
    "body",
    [
        {"data": None, "next_cursor": None},
        {"data": [{"first_name": "Zoë"}], "next_cursor": None},
        {"data": ["emp_1"], "next_cursor": None},
        ["emp_1"],
    ],
)
def test_it_reports_a_malformed_page_as_a_transient_tool_error(
    faulty_sandbox_hr: HTTPServer, body: Any
) -> None:
    faulty_sandbox_hr.expect_request("/sandbox-hr/api/v1/employees").respond_with_json(body)

    with pytest.raises(ToolError) as failure:
        list(tool.fetch({"api_key": "sbx_whatever"}, "hris_employees", EMPLOYEE_FIELDS))

    assert failure.value.transient is True
    assert "unexpected response body" in str(failure.value)

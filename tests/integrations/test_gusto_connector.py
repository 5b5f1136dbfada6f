"""The `gusto` connector against a fake Gusto API that behaves as docs.gusto.com describes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from integrations.read_models import HRIS_EMPLOYEES
from integrations.tools.base import AuthOutcome, ToolError
from integrations.tools.gusto import SCOPE_DEPARTMENTS, SCOPE_EMPLOYEES, GustoTool
from tests.support.fakes.gusto import (
    APP_SCOPES,
    COMPANY_UUID,
    EMPLOYEE_COUNT,
    OTHER_COMPANY_UUID,
    FakeGusto,
)
from tests.support.fakes.server import Fault
from tests.support.processes import free_port

tool = GustoTool()
EMPLOYEE_FIELDS = frozenset(HRIS_EMPLOYEES.fields)
GROUP_FIELDS = frozenset({"name", "type", "parent_id"})
OWNER = "d7282d99-ab6b-42f5-ba45-f4a670e886a8"


def employees(pages: list[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {str(record["remote_id"]): record for page in pages for record in page}


def by_name(records: dict[str, dict[str, Any]], first_name: str) -> dict[str, Any]:
    return next(r for r in records.values() if r["first_name"] == first_name)


def test_it_reads_the_company_and_scopes_from_token_info(fake_gusto: FakeGusto) -> None:
    """embedded-payroll/reference/get-v1-token-info: `scope` (space delimited) and `resource`
    (type Company, uuid) of the current token; app-integrations/docs/getting-setup: the
    `X-Gusto-API-Version` header picks the API version."""
    result = tool.check_auth(fake_gusto.grant())
    other = tool.check_auth(fake_gusto.grant(OTHER_COMPANY_UUID))

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == frozenset(APP_SCOPES)
    assert result.remote_account_id == COMPANY_UUID
    assert other.remote_account_id == OTHER_COMPANY_UUID
    sent = fake_gusto.requests[0]
    assert sent.path == "/v1/token_info"
    assert sent.headers["X-Gusto-API-Version"] == "2026-06-15"
    assert sent.headers["Authorization"].startswith("Bearer ")


@pytest.mark.parametrize("kill", ["revoke", "expire"])
def test_it_reports_a_revoked_or_expired_token_as_invalid_credentials(
    fake_gusto: FakeGusto, kill: str
) -> None:
    """docs.gusto.com error-categories: `invalid_token`, 401, for an invalid, expired or
    revoked token; company-access-tokens: access tokens expire after 2 hours."""
    token = fake_gusto.grant()
    if kill == "revoke":
        fake_gusto.revoke_grant(COMPANY_UUID)
    else:
        fake_gusto.expire_access_tokens()

    result = tool.check_auth(token)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert "HTTP 401" in result.message
    assert token["access_token"] not in result.message


@pytest.mark.parametrize(
    ("fault", "retry_after", "words"),
    [
        (
            Fault(
                status=429,
                body='{"errors": [{"category": "rate_limit_exceeded"}]}',
                headers={"Retry-After": "30"},
            ),
            30.0,
            "rate limited (HTTP 429)",
        ),
        (Fault(status=500, body='{"errors": []}'), None, "HTTP 500"),
        (Fault(status=200, body="<html>sign in</html>", content_type="text/html"), None, "JSON"),
        (Fault(status=200, body='{"scope": "employees:read", "resource": null}'), None, "body"),
    ],
)
def test_it_reports_gusto_trouble_as_unreachable(
    fake_gusto: FakeGusto, fault: Fault, retry_after: float | None, words: str
) -> None:
    """docs.gusto.com rate-limits (429 with Retry-After) and error-categories (500): a failing
    vendor says nothing about the customer's grant."""
    token = fake_gusto.grant()
    fake_gusto.fail_next(fault)

    result = tool.check_auth(token)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.retry_after_seconds == retry_after
    assert words in result.message


def test_it_reports_a_network_failure_as_unreachable(fake_gusto: FakeGusto) -> None:
    """A connection refused never counts as an authentication failure (Kombo's auth check:
    only a refused credential does)."""
    token = fake_gusto.grant()
    with override_settings(GUSTO_API_URL=f"http://127.0.0.1:{free_port()}"):
        result = tool.check_auth(token)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "connection failed" in result.message


def test_it_names_an_api_version_gusto_refuses(fake_gusto: FakeGusto) -> None:
    """app-integrations/docs/getting-setup: a version older than the app's minimum is
    refused with 406 Not Acceptable."""
    with override_settings(GUSTO_API_VERSION="2022-09-15"):
        result = tool.check_auth(fake_gusto.grant())

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "GUSTO_API_VERSION 2022-09-15" in result.message


def test_it_reads_every_employee_page_by_page(fake_gusto: FakeGusto) -> None:
    """app-integrations/docs/pagination: `page` and `per` on the employees list; the list
    holds active, terminated and onboarding employees alike."""
    pages = list(
        GustoTool(page_size=50).fetch(fake_gusto.grant(), "hris_employees", EMPLOYEE_FIELDS)
    )

    assert [len(page) for page in pages] == [50, 50, EMPLOYEE_COUNT - 100]
    assert len(employees(pages)) == EMPLOYEE_COUNT
    listing = [
        (r.args.get("page"), r.args.get("per"))
        for r in fake_gusto.requests
        if r.path.endswith("/employees")
    ]
    assert listing == [("1", "50"), ("2", "50"), ("3", "50"), ("4", "50")]
    assert all(r.path.startswith(f"/v1/companies/{COMPANY_UUID}/") for r in fake_gusto.requests[1:])


def test_it_maps_employees_as_the_employee_schema_describes_them(fake_gusto: FakeGusto) -> None:
    """The Employee schema of Gusto's API reference (get-v1-employees): `email` is the
    personal address, `work_email` the work one; `preferred_first_name`; `jobs[].title` and
    `hire_date`; `current_employment_status`; `terminated` with `terminations[]`
    (`effective_date` the last day of work, `active` whether it took effect); `onboarded`;
    `manager_uuid`; `department_uuid`."""
    records = employees(list(tool.fetch(fake_gusto.grant(), "hris_employees", EMPLOYEE_FIELDS)))
    styling = next(
        d for d in fake_gusto.companies[COMPANY_UUID].departments if d["title"] == "Styling"
    )

    soren = by_name(records, "Soren")
    assert {key: soren[key] for key in sorted(soren) if key != "remote_id"} == {
        "date_of_birth": "1995-05-05",
        "display_full_name": "Søren Kierkegaard",
        "employee_number": soren["remote_id"][:6],
        "employment_status": "ACTIVE",
        "employment_type": "PART_TIME",
        "first_name": "Soren",
        "groups": [styling["uuid"]],
        "job_title": "Head Stylist",
        "last_name": "Kierkegaard",
        "manager_id": OWNER,
        "mobile_phone_number": "8001234567",
        "personal_email": "knight0faith@example.com",
        "start_date": "2021-03-01",
        "termination_date": None,
        "work_email": "soren@wigshoppe.example",
    }
    owner = records[OWNER]
    assert (owner["employee_number"], owner["personal_email"], owner["date_of_birth"]) == (
        "46f036",
        "keena.feest@kiehn.co.uk",
        "2005-06-09",
    )
    nicole = by_name(records, "Nicole")
    assert (nicole["employment_status"], nicole["termination_date"]) == ("INACTIVE", "2023-08-31")
    leaving = by_name(records, "Isaiah")
    assert leaving["employment_status"] == "ACTIVE"
    assert leaving["termination_date"] is not None
    assert leaving["employment_type"] == "seasonal"
    greta = by_name(records, "Greta")
    assert (greta["employment_status"], greta["job_title"], greta["groups"]) == (
        "PENDING",
        None,
        [],
    )


def test_it_reads_only_the_fields_asked_for(fake_gusto: FakeGusto) -> None:
    """Kombo's scope config: fields turned off are not emitted."""
    pages = list(tool.fetch(fake_gusto.grant(), "hris_employees", frozenset({"first_name"})))

    assert set(pages[0][0]) == {"remote_id", "first_name"}


def test_it_reads_the_departments_as_groups(fake_gusto: FakeGusto) -> None:
    """get-companies-departments (scope `departments:read`): every department in one
    answer, with its `uuid` and `title`; departments do not nest."""
    pages = list(tool.fetch(fake_gusto.grant(), "hris_teams", GROUP_FIELDS))

    groups = {record["name"]: record for page in pages for record in page}
    assert set(groups) == {"Stage Hand", "Styling", "Front Desk", "Finance"}
    assert all(g["type"] == "DEPARTMENT" and g["parent_id"] is None for g in groups.values())
    assert {g["remote_id"] for g in groups.values()} == {
        d["uuid"] for d in fake_gusto.companies[COMPANY_UUID].departments
    }


def test_it_treats_a_missing_scope_as_permanent(fake_gusto: FakeGusto) -> None:
    """embedded-payroll/docs/scopes: a call outside the app's granted scopes is refused with
    403 Forbidden; token_info reports what was granted."""
    token = fake_gusto.grant(scopes=(SCOPE_EMPLOYEES,))

    result = tool.check_auth(token)
    with pytest.raises(ToolError) as failure:
        list(tool.fetch(token, "hris_teams", GROUP_FIELDS))

    assert result.granted_permissions == frozenset({SCOPE_EMPLOYEES})
    gaps = tool.permission_gaps(
        model_id="hris_teams", field_ids=GROUP_FIELDS, granted=result.granted_permissions
    )
    assert [gap.permission for gap in gaps] == [SCOPE_DEPARTMENTS]
    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)


def test_it_waits_as_long_as_retry_after_says_when_rate_limited(fake_gusto: FakeGusto) -> None:
    """docs.gusto.com rate-limits: requests per grant in a rolling window, then 429 with
    `Retry-After`, the seconds until the window resets (here a 1 second window of 2)."""
    fake_gusto.rate_limit_per_window = 2
    fake_gusto.rate_limit_window_seconds = 1.0

    pages = list(
        GustoTool(page_size=50).fetch(fake_gusto.grant(), "hris_employees", EMPLOYEE_FIELDS)
    )

    assert len(employees(pages)) == EMPLOYEE_COUNT
    assert 429 in [status for _method, _path, status in fake_gusto.api_requests]


def test_it_gives_up_a_page_when_gusto_asks_for_a_longer_wait(fake_gusto: FakeGusto) -> None:
    """docs.gusto.com rate-limits: the window is 60 seconds; a longer Retry-After is not
    Gusto's documented limit, and the sync is retried later instead of blocking a worker."""
    pages = GustoTool(page_size=50).fetch(fake_gusto.grant(), "hris_employees", EMPLOYEE_FIELDS)
    next(pages)
    fake_gusto.fail_next(Fault(status=429, headers={"Retry-After": "120"}))

    with pytest.raises(ToolError) as failure:
        next(pages)

    assert failure.value.transient is True
    assert "retry after 120 s" in str(failure.value)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=500, body='{"errors": [{"category": "internal_error"}]}'),
        Fault(status=502, body="bad gateway", content_type="text/plain"),
        Fault(status=200, body='{"employees": []}'),
    ],
)
def test_it_treats_a_vendor_fault_mid_fetch_as_transient(
    fake_gusto: FakeGusto, fault: Fault
) -> None:
    """docs.gusto.com error-categories: 500 `internal_error` is Gusto's to fix; an answer
    that is not the documented list is not a reason to give the connection up."""
    pages = GustoTool(page_size=50).fetch(fake_gusto.grant(), "hris_employees", EMPLOYEE_FIELDS)
    next(pages)
    fake_gusto.fail_next(fault)

    with pytest.raises(ToolError) as failure:
        next(pages)

    assert failure.value.transient is True


def test_it_stops_a_sync_whose_grant_was_revoked(fake_gusto: FakeGusto) -> None:
    """docs.gusto.com error-categories: 401 `invalid_token` for a revoked token; retrying
    cannot help."""
    token = fake_gusto.grant()
    pages = GustoTool(page_size=50).fetch(token, "hris_employees", EMPLOYEE_FIELDS)
    next(pages)
    fake_gusto.revoke_grant(COMPANY_UUID)

    with pytest.raises(ToolError) as failure:
        next(pages)

    assert failure.value.transient is False
    assert "HTTP 401" in str(failure.value)
    assert token["access_token"] not in str(failure.value)

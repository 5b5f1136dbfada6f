"""The `personio` connector against a fake of Personio's API, well-behaved and misbehaving."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import override_settings

from integrations.tools.base import AuthOutcome, Coverage, Page, ToolError
from integrations.tools.personio import (
    PERM_ABSENCES,
    PERM_EMPLOYEES,
    PersonioTool,
    attribute_permission,
)
from tests.support.fakes.personio import (
    ALL_ATTRIBUTES,
    ASA,
    CHLOE,
    JOSE,
    LI_LEI,
    NOA,
    RECENTLY,
    SCOPE_EMPLOYEES,
    ZOE,
    FakePersonio,
)
from tests.support.fakes.server import Fault

EMPLOYEE_FIELDS = frozenset(PersonioTool.models["hris_employees"].fields)
GROUP_FIELDS = frozenset(PersonioTool.models["hris_teams"].fields)
SUPPORTED_EMPLOYEE_FIELDS = frozenset(
    field_id
    for field_id, support in PersonioTool.models["hris_employees"].fields.items()
    if support.coverage == Coverage.SUPPORTED
)
EVERY_READABLE_ATTRIBUTE = {
    attribute_permission(key) for key in ALL_ATTRIBUTES - {"dynamic_21827", "dynamic_24407"}
} | {attribute_permission("iban"), attribute_permission("dynamic_24407")}
tool = PersonioTool()
TEST_PAGE_SIZE = 15


def records_of(pages: list[Page]) -> dict[str, dict[str, Any]]:
    return {record["remote_id"]: record for page in pages for record in page}


def test_it_accepts_a_credential_with_exactly_its_permissions(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == {PERM_EMPLOYEES, PERM_ABSENCES} | EVERY_READABLE_ATTRIBUTE
    # Personio's API exposes no company id: none is reported rather than a wrong one.
    assert result.remote_account_id == ""
    token_request = fake_personio.requests_to("/v1/auth")[0]
    assert not token_request.args, "credentials belong in the body, never in the URL"
    employees_request = fake_personio.requests_to("/v1/company/employees")[0]
    assert employees_request.headers["X-Personio-App-ID"] == "KOMBO_SITE"


@pytest.mark.parametrize(
    "wrong",
    [
        {"client_secret": "papi-not-the-secret"},
        {"client_id": "0123456789abcdef01234567"},
        {"client_secret": ""},
        {"client_id": ""},
    ],
)
def test_it_reports_wrong_credentials_as_invalid(
    fake_personio: FakePersonio, wrong: dict[str, str]
) -> None:
    creds = {**fake_personio.credential_create(), **wrong}

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert creds["client_secret"] == "" or creds["client_secret"] not in result.message


def test_it_reports_a_deleted_credential_as_invalid(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()
    assert tool.check_auth(creds).outcome == AuthOutcome.OK

    fake_personio.credential_delete(creds["client_id"])
    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert "Personio rejected the API credentials" in result.message
    assert creds["client_secret"] not in result.message


def test_it_reports_partial_attributes_and_names_each_gap_in_personio_words(
    fake_personio: FakePersonio,
) -> None:
    readable = {"first_name", "last_name", "email", "status", "department"}
    creds = fake_personio.credential_create(readable_attributes=readable)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == {PERM_EMPLOYEES, PERM_ABSENCES} | {
        attribute_permission(key) for key in readable
    }
    gaps = tool.permission_gaps(
        model_id="hris_employees",
        field_ids=["first_name", "work_email", "start_date", "manager_id", "groups", "ssn"],
        granted=result.granted_permissions,
    )
    assert [(gap.permission, gap.field_id, gap.message) for gap in gaps] == [
        (
            "attribute:hire_date",
            "start_date",
            "Personio: the API credential cannot read attribute 'hire_date'",
        ),
        (
            "attribute:supervisor",
            "manager_id",
            "Personio: the API credential cannot read attribute 'supervisor'",
        ),
    ]


def test_it_reports_a_credential_without_the_employees_scope_as_a_whole_model_gap(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create(scopes=())

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == frozenset()
    gaps = tool.permission_gaps(
        model_id="hris_teams", field_ids=["name", "type"], granted=result.granted_permissions
    )
    assert [(gap.permission, gap.field_id, gap.message) for gap in gaps] == [
        (
            PERM_EMPLOYEES,
            None,
            "Personio: the API credential has no read access to employees "
            "(access scope 'Employees'), needed for hris_teams.",
        )
    ]


def test_it_declares_what_personio_cannot_provide() -> None:
    employees = PersonioTool.models["hris_employees"]

    for field_id in ("ssn", "date_of_birth", "home_address", "employee_number", "avatar"):
        assert employees.field_support(field_id).coverage == Coverage.UNSUPPORTED
    assert PersonioTool.models["hris_teams"].field_support("parent_id").coverage == (
        Coverage.UNSUPPORTED
    )
    assert tool.permissions_needed("hris_employees", ["first_name", "start_date", "ssn"]) == {
        PERM_EMPLOYEES,
        "attribute:first_name",
        "attribute:hire_date",
    }
    assert set(tool.guides) == {"en", "de", "fr", "it", "es"}


@pytest.mark.parametrize(
    ("fault", "retry_after"),
    [
        (Fault(status=429, headers={"Retry-After": "120"}), 120.0),
        # The auth endpoint documents a 60 second cool-down after its rate limit.
        (Fault(status=429), 60.0),
    ],
)
def test_it_reports_a_rate_limit_as_unreachable_with_the_retry_delay(
    fake_personio: FakePersonio, fault: Fault, retry_after: float
) -> None:
    creds = fake_personio.credential_create()
    fault.body = '{"success": false, "error": {"code": 429, "message": "Too Many Requests"}}'
    fake_personio.fail_next(fault)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.retry_after_seconds == retry_after
    assert "rate limited" in result.message


@pytest.mark.parametrize("status", [500, 502, 503])
def test_it_reports_server_errors_as_unreachable(fake_personio: FakePersonio, status: int) -> None:
    creds = fake_personio.credential_create()
    fake_personio.fail_next(
        Fault(status=status, body="upstream trouble", content_type="text/plain")
    )

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.message == f"Personio could not be reached: HTTP {status}"


@override_settings(TOOL_HTTP_TIMEOUT=0.5)
def test_it_reports_a_timeout_as_unreachable(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()
    fake_personio.fail_next(Fault(status=0, delay=1.0))

    started = time.monotonic()
    result = tool.check_auth(creds)
    waited = time.monotonic() - started

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.message == "Personio could not be reached: timed out after 0.5 s"
    assert waited < 0.9
    # The hung request answers into the void; let it finish before the next test resets the fake.
    time.sleep(max(0.0, started + 1.1 - time.monotonic()))


@pytest.mark.parametrize(
    ("fault", "expected_message"),
    [
        (
            Fault(status=200, body='{"success": true, "data": {"tok'),
            "Personio could not be reached: the response was not JSON "
            "(Content-Type application/json)",
        ),
        (
            Fault(
                status=200,
                body="<!doctype html><title>Personio – Login</title><form>…</form>",
                content_type="text/html",
            ),
            "Personio could not be reached: Personio answered with a web page instead of JSON "
            "(is PERSONIO_API_URL the API host, https://api.personio.de?)",
        ),
        (
            Fault(status=200, body='{"success": true, "data": {}}'),
            "Personio answered the token request with an unexpected response body.",
        ),
        (
            Fault(status=200, body='{"success": true, "data": ["papi-x"]}'),
            "Personio answered the token request with an unexpected response body.",
        ),
    ],
)
def test_it_reports_an_unusable_answer_as_unreachable_with_a_readable_message(
    fake_personio: FakePersonio, fault: Fault, expected_message: str
) -> None:
    creds = fake_personio.credential_create()
    fake_personio.fail_next(fault)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.message == expected_message


def test_it_pages_through_every_employee_exactly_once(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    pages = list(
        PersonioTool(page_size=TEST_PAGE_SIZE).fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    )

    assert [len(page) for page in pages] == [15, 15, 15, 12]
    remote_ids = [record["remote_id"] for page in pages for record in page]
    assert sorted(remote_ids) == sorted(str(e.id) for e in fake_personio.employees)
    assert len(set(remote_ids)) == len(remote_ids)
    assert [
        (r.args["offset"], r.args["limit"])
        for r in fake_personio.requests_to("/v1/company/employees")
    ] == [("0", "15"), ("15", "15"), ("30", "15"), ("45", "15")]
    assert len(fake_personio.requests_to("/v1/auth")) == 1
    assert all(
        set(record) == SUPPORTED_EMPLOYEE_FIELDS | {"remote_id"}
        for page in pages
        for record in page
    )


def test_it_maps_a_full_and_a_sparse_record_to_unified_fields(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()

    records = records_of(list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)))

    assert records[str(JOSE)] == {
        "remote_id": "1002",
        "first_name": "José",
        "last_name": "Núñez",
        "display_full_name": "José Núñez",
        "job_title": "CTO",
        "work_email": "jose.nunez@acme.example",
        "gender": "MALE",
        "employment_status": "ACTIVE",
        "employment_type": "FULL_TIME",
        "weekly_hours": 40.0,
        "work_location_id": "4002",
        "legal_entity_id": "5002",
        "manager_id": str(ZOE),
        "start_date": "2017-09-15",
        "termination_date": None,
        "remote_created_at": "2019-02-01T10:15:00+01:00",
        "bank_accounts": [{"iban": "ES91 2100 0418 4502 0005 1332"}],
        "groups": ["department:1002", "team:2001", "cost_center:3002", "cost_center:3001"],
        "custom_fields": {"dynamic_24407": None},
    }
    assert records[str(NOA)] == {
        "remote_id": "1006",
        "first_name": "Noa",
        "last_name": None,
        "display_full_name": "Noa",
        "job_title": None,
        "work_email": "noa@acme.example",
        "gender": None,
        "employment_status": "ACTIVE",
        "employment_type": None,
        "weekly_hours": None,
        "work_location_id": None,
        "legal_entity_id": None,
        "manager_id": None,
        "start_date": None,
        "termination_date": None,
        "remote_created_at": "2019-02-01T10:15:00+01:00",
        "bank_accounts": None,
        "groups": [],
        "custom_fields": {"dynamic_24407": None},
    }
    zoe, asa, li_lei, chloe = (records[str(i)] for i in (ZOE, ASA, LI_LEI, CHLOE))
    assert (zoe["display_full_name"], zoe["manager_id"]) == ("Zoë Müller", None)
    assert zoe["custom_fields"] == {"dynamic_24407": "Dr."}
    assert (asa["display_full_name"], asa["gender"], asa["manager_id"]) == (
        "Åsa Øberg",
        "NON_BINARY",
        str(JOSE),
    )
    assert (li_lei["display_full_name"], li_lei["manager_id"]) == ("雷 李", str(ASA))
    assert (li_lei["employment_status"], li_lei["employment_type"]) == ("PENDING", "PART_TIME")
    assert (chloe["employment_status"], chloe["termination_date"]) == (
        "INACTIVE",
        "2025-02-28",
    )


def test_it_returns_only_the_requested_fields_and_never_unsupported_ones(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    wanted = frozenset({"first_name", "work_email", "ssn", "date_of_birth"})

    records = [r for page in tool.fetch(creds, "hris_employees", wanted) for r in page]

    assert len(records) == len(fake_personio.employees)
    assert all(set(record) == {"remote_id", "first_name", "work_email"} for record in records)


def test_it_leaves_attributes_the_credential_cannot_read_empty(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create(readable_attributes={"first_name", "last_name"})

    records = records_of(list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)))

    jose = records[str(JOSE)]
    assert jose["display_full_name"] == "José Núñez"
    assert (jose["start_date"], jose["manager_id"], jose["groups"]) == (None, None, None)


def test_it_fetches_groups_from_the_employees_attributes(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    pages = list(PersonioTool(page_size=TEST_PAGE_SIZE).fetch(creds, "hris_teams", GROUP_FIELDS))

    assert len(pages) == 4
    groups = records_of(pages)
    assert sum(len(page) for page in pages) == len(groups), "each group exactly once"
    assert groups["department:1002"] == {
        "remote_id": "department:1002",
        "name": "Engineering",
        "type": "DEPARTMENT",
    }
    assert groups["team:2002"] == {"remote_id": "team:2002", "name": "Mobile", "type": "TEAM"}
    assert groups["cost_center:3003"]["type"] == "COST_CENTER"
    assert {g["name"] for g in groups.values() if g["type"] == "DEPARTMENT"} == {
        "Geschäftsführung",
        "Engineering",
        "People & Culture",
        "Sales",
        "Customer Support",
    }
    employees = records_of(list(tool.fetch(creds, "hris_employees", frozenset({"groups"}))))
    referenced = {gid for e in employees.values() for gid in e["groups"]}
    assert referenced == set(groups)


def test_it_asks_only_for_employees_changed_since_a_delta_point(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    since = datetime(2025, 1, 1, tzinfo=UTC)

    pages = list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS, since=since))

    assert sorted(records_of(pages)) == sorted({str(LI_LEI), str(CHLOE)})
    (request,) = fake_personio.requests_to("/v1/company/employees")
    assert request.args["updated_since"] == "2025-01-01T00:00:00"
    assert all(e.updated_at < since for e in fake_personio.employees if e.updated_at != RECENTLY)


def test_it_authenticates_again_when_the_token_expires_mid_fetch(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    pages = PersonioTool(page_size=TEST_PAGE_SIZE).fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    first = next(pages)

    fake_personio.expire_tokens()
    rest = list(pages)

    assert len(records_of([first, *rest])) == len(fake_personio.employees)
    assert len(fake_personio.requests_to("/v1/auth")) == 2


def test_it_stops_for_good_when_the_credential_is_deleted_mid_fetch(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    pages = PersonioTool(page_size=TEST_PAGE_SIZE).fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == TEST_PAGE_SIZE

    fake_personio.credential_delete(creds["client_id"])

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is False
    assert creds["client_secret"] not in str(failure.value)


def test_it_stops_for_good_when_the_employees_scope_is_removed_mid_fetch(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()
    pages = PersonioTool(page_size=TEST_PAGE_SIZE).fetch(creds, "hris_teams", GROUP_FIELDS)
    next(pages)

    fake_personio.scope_remove(creds["client_id"], SCOPE_EMPLOYEES)

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=503, body="upstream down", content_type="text/plain"),
        Fault(status=429, headers={"Retry-After": "5"}),
    ],
)
def test_it_treats_a_vendor_fault_mid_fetch_as_transient(
    fake_personio: FakePersonio, fault: Fault
) -> None:
    creds = fake_personio.credential_create()
    pages = PersonioTool(page_size=TEST_PAGE_SIZE).fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    next(pages)

    fake_personio.fail_next(fault)

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is True


@pytest.mark.parametrize(
    "body",
    [
        '{"success": false, "error": {"code": 0, "message": "Something went wrong"}}',
        '{"success": true, "metadata": {"current_page": 0, "total_pages": 1}, "data": null}',
        '{"success": true, "metadata": {"current_page": 0, "total_pages": 1},'
        ' "data": [{"type": "Employee", "attributes": {"first_name": {"value": "Zoë"}}}]}',
        '{"success": true, "data": []}',
        "[]",
    ],
)
def test_it_reports_a_malformed_page_as_a_transient_tool_error(
    fake_personio: FakePersonio, body: str
) -> None:
    creds = fake_personio.credential_create()
    pages = tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    fake_personio.fail_next(Fault(status=0))  # the token request answers normally
    fake_personio.fail_next(Fault(status=200, body=body))

    with pytest.raises(ToolError) as failure:
        next(pages)

    assert failure.value.transient is True
    assert "unexpected response body" in str(failure.value)


def test_it_refuses_a_model_personio_does_not_provide(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    with pytest.raises(ToolError) as failure:
        next(tool.fetch(creds, "ats_applications", frozenset({"name"})))

    assert failure.value.transient is False
    assert fake_personio.requests == []

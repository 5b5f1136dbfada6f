"""The `bamboohr` connector against a fake of BambooHR's API, behaving and misbehaving."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from django.test import override_settings

from integrations.read_models import HRIS_EMPLOYEES, HRIS_GROUPS
from integrations.tools.bamboohr import (
    PERM_EMPLOYEE_DATASET,
    PERM_LISTS,
    PERM_TABLE_COMPENSATION,
    PERM_TABLE_JOB_INFO,
    PERM_TIME_OFF,
    PERM_TIME_OFF_BALANCES,
    BambooHrTool,
)
from integrations.tools.base import AuthOutcome, Coverage, ToolError
from tests.support.fakes.server import Fault
from tests.support.processes import free_port

if TYPE_CHECKING:
    from tests.support.fakes.bamboohr import FakeBambooHr


tool = BambooHrTool()
EMPLOYEE_FIELDS = frozenset(HRIS_EMPLOYEES.fields)
GROUP_FIELDS = frozenset(HRIS_GROUPS.fields)
FIELD_PERMISSIONS = frozenset(
    f"field:{name}"
    for name in (
        "addressLineOne",
        "dateOfBirth",
        "email",
        "employeeNumber",
        "employmentStatus",
        "firstName",
        "gender",
        "hireDate",
        "homeEmail",
        "jobInformationJobTitle",
        "lastName",
        "maritalStatus",
        "mobilePhone",
        "status",
        "supervisorEid",
        "terminationDate",
    )
)
EVERY_PERMISSION = FIELD_PERMISSIONS | {
    PERM_EMPLOYEE_DATASET,
    PERM_LISTS,
    PERM_TIME_OFF,
    PERM_TIME_OFF_BALANCES,
    PERM_TABLE_COMPENSATION,
    PERM_TABLE_JOB_INFO,
}
LISTS_MESSAGE = (
    "BambooHR: the API key's user cannot read the department, division and location lists"
)


def credentials(fake: FakeBambooHr, company: str = "acme", **grant: Any) -> dict[str, str]:
    return {"companyDomain": company, "apiKey": fake.issue_key(company, **grant)}


def employees(pages: Any) -> dict[str, dict[str, Any]]:
    return {record["remote_id"]: record for page in pages for record in page}


# --- auth check ---------------------------------------------------------------------------


@pytest.mark.parametrize("company_domain", ["acme", " ACME ", "https://acme.bamboohr.com/"])
def test_it_accepts_a_key_with_every_permission_and_names_the_company(
    fake_bamboohr: FakeBambooHr, company_domain: str
) -> None:
    creds = credentials(fake_bamboohr) | {"companyDomain": company_domain}

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == EVERY_PERMISSION
    assert result.granted_permissions == frozenset(BambooHrTool.permissions)
    assert result.remote_account_id == "acme"


def test_it_asks_for_json_because_bamboohr_answers_xml_otherwise(
    fake_bamboohr: FakeBambooHr,
) -> None:
    tool.check_auth(credentials(fake_bamboohr))

    assert fake_bamboohr.requests
    assert all("application/json" in r.headers["Accept"] for r in fake_bamboohr.requests)
    assert all(r.authorization and r.authorization.type == "basic" for r in fake_bamboohr.requests)


def test_it_grants_exactly_the_fields_the_companys_dataset_has(
    fake_bamboohr: FakeBambooHr,
) -> None:
    # Globex's dataset lists no home email and no gender (Get Fields from Dataset).
    creds = credentials(fake_bamboohr, "globex", lists=False)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == EVERY_PERMISSION - {
        "field:gender",
        "field:homeEmail",
        PERM_LISTS,
    }
    gaps = tool.permission_gaps(
        model_id="hris_employees",
        field_ids=["first_name", "date_of_birth", "personal_email", "groups", "gender", "ssn"],
        granted=result.granted_permissions,
    )
    assert [(gap.permission, gap.field_id, gap.message) for gap in gaps] == [
        (
            "field:homeEmail",
            "personal_email",
            "BambooHR: the API key's user cannot read field 'homeEmail'",
        ),
        (PERM_LISTS, "groups", LISTS_MESSAGE),
        ("field:gender", "gender", "BambooHR: the API key's user cannot read field 'gender'"),
    ]
    group_gaps = tool.permission_gaps(
        model_id="hris_teams", field_ids=["name", "type"], granted=result.granted_permissions
    )
    assert [(gap.permission, gap.field_id, gap.message) for gap in group_gaps] == [
        (PERM_LISTS, None, LISTS_MESSAGE)
    ]


def test_it_grants_no_employee_permission_to_a_user_without_dataset_access(
    fake_bamboohr: FakeBambooHr,
) -> None:
    result = tool.check_auth(credentials(fake_bamboohr, dataset=False))

    assert result.outcome == AuthOutcome.OK
    # Time off types and requests need no dataset; balances, tables and fields do.
    assert result.granted_permissions == {PERM_LISTS, PERM_TIME_OFF}
    gaps = tool.permission_gaps(
        model_id="hris_employees", field_ids=["first_name"], granted=result.granted_permissions
    )
    assert [(gap.permission, gap.field_id) for gap in gaps] == [(PERM_EMPLOYEE_DATASET, None)]
    assert gaps[0].message.startswith("BambooHR: the API key's user cannot query the employee")


def test_it_reports_a_revoked_key_as_invalid_credentials(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr)
    assert tool.check_auth(creds).outcome == AuthOutcome.OK

    fake_bamboohr.revoke_key(creds["apiKey"])
    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert "rejected the API key" in result.message
    assert creds["apiKey"] not in result.message


@pytest.mark.parametrize("which", ["never issued", "another company's", "empty"])
def test_it_reports_an_unknown_key_as_invalid_credentials(
    fake_bamboohr: FakeBambooHr, which: str
) -> None:
    api_key = {
        "never issued": "0123456789abcdef0123456789abcdef01234567",
        "another company's": fake_bamboohr.issue_key("globex"),
        "empty": "",
    }[which]

    result = tool.check_auth({"companyDomain": "acme", "apiKey": api_key})

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert not api_key or api_key not in result.message


def test_it_reports_an_unknown_company_as_invalid_credentials(
    fake_bamboohr: FakeBambooHr,
) -> None:
    creds = {"companyDomain": "initech", "apiKey": fake_bamboohr.issue_key("acme")}

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert result.message == (
        "BambooHR does not know this company domain: check the part before .bamboohr.com "
        "in your BambooHR address."
    )


@pytest.mark.parametrize(
    "company_domain",
    ["", "acme.evil.example/", "../acme", "acme?x=1", "ac me", "acme#frag", "acme:80", "açme"],
)
def test_it_refuses_a_malformed_company_domain_without_calling_bamboohr(
    fake_bamboohr: FakeBambooHr, company_domain: str
) -> None:
    creds = credentials(fake_bamboohr) | {"companyDomain": company_domain}

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert "company domain" in result.message
    assert fake_bamboohr.requests == []


@pytest.mark.parametrize(
    ("fault", "expected_message", "retry_after"),
    [
        (
            Fault(429, headers={"Retry-After": "120"}, content_type="text/plain"),
            "rate limited (HTTP 429)",
            120.0,
        ),
        (
            Fault(
                503,
                headers={"Retry-After": "30", "X-BambooHR-Error-Message": "Try again later"},
                content_type="text/html",
            ),
            "HTTP 503",
            30.0,
        ),
        (Fault(500, body="Internal Server Error", content_type="text/plain"), "HTTP 500", None),
        (Fault(502, body="<html>Bad Gateway</html>", content_type="text/html"), "HTTP 502", None),
        (
            Fault(200, body="{not json", content_type="application/json"),
            "not JSON (Content-Type application/json)",
            None,
        ),
        (
            Fault(
                200,
                body='<?xml version="1.0"?><fields><field id="1">First Name</field></fields>',
                content_type="application/xml",
            ),
            "not JSON (Content-Type application/xml)",
            None,
        ),
        (
            Fault(
                200,
                body="<!DOCTYPE html><html><title>Log In | BambooHR</title></html>",
                content_type="text/html; charset=utf-8",
            ),
            "not JSON (Content-Type text/html; charset=utf-8)",
            None,
        ),
    ],
    ids=["429", "503", "500", "502", "malformed-json", "xml", "html-login-page"],
)
def test_it_reports_vendor_faults_as_unreachable(
    fake_bamboohr: FakeBambooHr, fault: Fault, expected_message: str, retry_after: float | None
) -> None:
    creds = credentials(fake_bamboohr)
    fake_bamboohr.fail_next(fault)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert expected_message in result.message
    assert result.message.startswith("BambooHR")
    assert result.retry_after_seconds == retry_after
    assert creds["apiKey"] not in result.message


def test_it_passes_on_the_retry_delay_of_a_throttling_503(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr)
    fake_bamboohr.fail_next(Fault(503, headers={"Retry-After": "30"}, content_type="text/html"))

    result = tool.check_auth(creds)

    assert result.retry_after_seconds == 30.0


def test_it_reports_a_fault_in_the_permission_probe_as_unreachable(
    fake_bamboohr: FakeBambooHr,
) -> None:
    creds = credentials(fake_bamboohr)
    fake_bamboohr.fail_next(Fault(status=0))
    fake_bamboohr.fail_next(Fault(503, content_type="text/html"))

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "HTTP 503" in result.message


@override_settings(TOOL_HTTP_TIMEOUT=0.5)
def test_it_reports_a_timeout_as_unreachable(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr)
    fake_bamboohr.fail_next(Fault(status=0, delay=1.5))

    started = time.monotonic()
    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "timed out" in result.message
    assert time.monotonic() - started < 1.4


def test_it_reports_a_server_that_is_down_as_unreachable() -> None:
    port = free_port()
    with override_settings(BAMBOOHR_API_URL=f"http://127.0.0.1:{port}/{{subdomain}}"):
        result = tool.check_auth({"companyDomain": "acme", "apiKey": "0" * 40})

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "connection failed" in result.message


# --- fetch --------------------------------------------------------------------------------


def test_it_fetches_every_employee_exactly_once_across_pages(fake_bamboohr: FakeBambooHr) -> None:
    pages = list(tool.fetch(credentials(fake_bamboohr), "hris_employees", EMPLOYEE_FIELDS))

    assert [len(page) for page in pages] == [100, 100, 100, 47]
    ids = [record["remote_id"] for page in pages for record in page]
    assert sorted(ids) == sorted(fake_bamboohr.companies["acme"].employees)
    assert len(set(ids)) == len(ids) == 347
    supported = {
        name
        for name, support in BambooHrTool.models["hris_employees"].fields.items()
        if support.coverage == Coverage.SUPPORTED
    }
    assert all(set(record) == supported | {"remote_id"} for page in pages for record in page)


def test_it_maps_a_full_record_to_unified_fields(fake_bamboohr: FakeBambooHr) -> None:
    records = employees(tool.fetch(credentials(fake_bamboohr), "hris_employees", EMPLOYEE_FIELDS))

    assert records["2"] == {
        "remote_id": "2",
        "employee_number": "E-0002",
        "first_name": "José",
        "last_name": "Núñez",
        "display_full_name": "Pepe Núñez",
        "job_title": "VP Engineering",
        "work_email": "jose.nunez@acme.example",
        "personal_email": "pepe.nunez@correo.example",
        "mobile_phone_number": "+34 612 345 678",
        "gender": "MALE",
        "marital_status": "DOMESTIC_PARTNERSHIP",
        "employment_status": "ACTIVE",
        "employment_type": "FULL_TIME",
        "manager_id": "1",
        "date_of_birth": "1985-11-04",
        "start_date": "2017-09-18",
        "termination_date": None,
        "home_address": {
            "street_1": "Calle de Alcalá 42",
            "city": "Madrid",
            "state": "Madrid",
            "zip_code": "28014",
            "country": "Spain",
        },
        "work_location_id": "location:52",
        "groups": ["department:19", "division:31"],
    }


def test_it_maps_a_sparse_record_with_unset_dates_to_nulls(fake_bamboohr: FakeBambooHr) -> None:
    records = employees(tool.fetch(credentials(fake_bamboohr), "hris_employees", EMPLOYEE_FIELDS))

    assert records["4"] == {
        "remote_id": "4",
        "employee_number": None,
        "first_name": "雷",
        "last_name": "李",
        "display_full_name": "雷 李",
        "job_title": None,
        "work_email": "li.lei@acme.example",
        "personal_email": None,
        "mobile_phone_number": None,
        "gender": None,
        "marital_status": None,
        "employment_status": "ACTIVE",
        "employment_type": "CONTRACT",
        "manager_id": "2",
        "date_of_birth": None,
        "start_date": None,
        "termination_date": None,
        "home_address": None,
        "work_location_id": None,
        "groups": [],
    }


def test_it_tells_current_terminated_and_future_employees_apart(
    fake_bamboohr: FakeBambooHr,
) -> None:
    records = employees(tool.fetch(credentials(fake_bamboohr), "hris_employees", EMPLOYEE_FIELDS))

    assert {key: records["5"][key] for key in ("employment_status", "termination_date")} == {
        "employment_status": "INACTIVE",
        "termination_date": "2023-06-30",
    }
    assert records["5"]["employment_type"] is None
    assert records["6"]["employment_status"] == "PENDING"
    assert records["6"]["start_date"] == "2099-01-04"
    assert (records["3"]["gender"], records["3"]["employment_type"]) == ("NON_BINARY", "PART_TIME")
    assert records["3"]["home_address"] == {
        "street_1": None,
        "city": "Malmö",
        "state": None,
        "zip_code": None,
        "country": "Sweden",
    }
    assert records["1"]["display_full_name"] == "Zoë Müller"
    assert records["1"]["manager_id"] is None
    assert records["6"]["manager_id"] == "3"
    assert records["3"]["manager_id"] == "2"
    # An archived department still names the group of those who were in it.
    assert (records["7"]["employment_type"], records["7"]["groups"]) == (
        "INTERNSHIP",
        ["department:22", "division:31"],
    )
    statuses = {record["employment_status"] for record in records.values()}
    assert statuses == {"ACTIVE", "INACTIVE", "PENDING"}


def test_it_returns_only_the_requested_fields_and_never_unsupported_ones(
    fake_bamboohr: FakeBambooHr,
) -> None:
    fields = frozenset({"first_name", "work_email", "ssn", "bank_accounts", "avatar"})

    pages = list(tool.fetch(credentials(fake_bamboohr), "hris_employees", fields))

    records = [record for page in pages for record in page]
    assert len(records) == 347
    assert all(set(record) == {"remote_id", "first_name", "work_email"} for record in records)
    dataset_calls = [json.loads(r.get_data()) for r in fake_bamboohr.requests if r.method == "POST"]
    assert {tuple(call["fields"]) for call in dataset_calls} == {("eeid", "email", "firstName")}
    assert {call["orderBy"] for call in dataset_calls} == {"eeid asc"}


def test_it_leaves_fields_the_user_cannot_read_empty(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr, hidden=("dateOfBirth", "homeEmail"))

    records = employees(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS))

    assert (records["2"]["date_of_birth"], records["2"]["personal_email"]) == (None, None)
    assert records["2"]["first_name"] == "José"


def test_it_fetches_departments_and_divisions_as_groups(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr)

    pages = list(tool.fetch(creds, "hris_teams", GROUP_FIELDS))

    assert pages == [
        [
            {"remote_id": "department:18", "name": "Management", "type": "DEPARTMENT"},
            {"remote_id": "department:19", "name": "Engineering", "type": "DEPARTMENT"},
            {"remote_id": "department:20", "name": "Sales & Success", "type": "DEPARTMENT"},
            {"remote_id": "department:21", "name": "People & Culture", "type": "DEPARTMENT"},
            {"remote_id": "department:22", "name": "Legacy Operations", "type": "DEPARTMENT"},
            {"remote_id": "division:31", "name": "Europe", "type": "DEPARTMENT"},
            {"remote_id": "division:32", "name": "Asia Pacific", "type": "DEPARTMENT"},
        ]
    ]
    group_ids = {group["remote_id"] for group in pages[0]}
    records = employees(tool.fetch(creds, "hris_employees", frozenset({"groups"})))
    assert all(set(record["groups"]) <= group_ids for record in records.values())


def test_it_fetches_only_employees_changed_since_a_delta_point(
    fake_bamboohr: FakeBambooHr,
) -> None:
    later = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    fake_bamboohr.update_employee("acme", "3", later, jobInformationJobTitle="Principal Engineer")
    fake_bamboohr.update_employee("acme", "250", later, lastName="Kowalska")
    fake_bamboohr.delete_employee("acme", "5", later)
    creds = credentials(fake_bamboohr)

    pages = list(
        tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS, since=datetime(2025, 2, 1, tzinfo=UTC))
    )

    records = employees(pages)
    assert sorted(records) == ["250", "3"]
    assert records["3"]["job_title"] == "Principal Engineer"
    assert records["250"]["last_name"] == "Kowalska"
    changed_calls = [r for r in fake_bamboohr.requests if r.path.endswith("/employees/changed")]
    assert [r.args["since"] for r in changed_calls] == ["2025-02-01T00:00:00Z"]


def test_it_stops_for_good_when_the_key_is_revoked_mid_fetch(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr)
    pages = tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == 100

    fake_bamboohr.revoke_key(creds["apiKey"])

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is False
    assert "HTTP 401" in str(failure.value)
    assert creds["apiKey"] not in str(failure.value)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(503, headers={"Retry-After": "30"}, content_type="text/html"),
        Fault(429, headers={"Retry-After": "5"}, content_type="text/plain"),
        Fault(500, content_type="text/plain"),
    ],
    ids=["503", "429", "500"],
)
def test_it_treats_an_outage_mid_fetch_as_transient(
    fake_bamboohr: FakeBambooHr, fault: Fault
) -> None:
    pages = tool.fetch(credentials(fake_bamboohr), "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == 100
    fake_bamboohr.fail_next(fault)

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is True


@override_settings(TOOL_HTTP_TIMEOUT=0.5)
def test_it_treats_a_timeout_mid_fetch_as_transient(fake_bamboohr: FakeBambooHr) -> None:
    pages = tool.fetch(credentials(fake_bamboohr), "hris_employees", frozenset({"first_name"}))
    assert len(next(pages)) == 100
    fake_bamboohr.fail_next(Fault(status=0, delay=1.5))

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is True
    assert "timed out" in str(failure.value)


@pytest.mark.parametrize(
    "body",
    [
        {"data": None},
        {"data": [{"fields": {"firstName": "Zoë"}}]},
        {"data": [{"firstName": "Zoë", "eeid": "1"}]},
        ["1"],
    ],
)
def test_it_reports_a_malformed_page_as_a_transient_tool_error(
    fake_bamboohr: FakeBambooHr, body: Any
) -> None:
    creds = credentials(fake_bamboohr)
    fake_bamboohr.fail_next(Fault(200, body=json.dumps(body)))

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS - {"groups"}))

    assert failure.value.transient is True
    assert "unexpected response body" in str(failure.value)


def test_it_stops_for_good_when_the_lists_are_forbidden(fake_bamboohr: FakeBambooHr) -> None:
    with pytest.raises(ToolError) as failure:
        list(tool.fetch(credentials(fake_bamboohr, lists=False), "hris_teams", GROUP_FIELDS))

    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)


def test_it_refuses_to_fetch_for_a_malformed_company_domain(fake_bamboohr: FakeBambooHr) -> None:
    creds = credentials(fake_bamboohr) | {"companyDomain": "acme.evil.example/x"}

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS))

    assert failure.value.transient is False
    assert fake_bamboohr.requests == []


# --- what the tool tells customers ----------------------------------------------------------


def test_it_describes_its_credentials_permissions_and_guides() -> None:
    assert [(f.key, f.secret) for f in BambooHrTool.credential_fields] == [
        ("companyDomain", False),
        ("apiKey", True),
    ]
    assert set(BambooHrTool.guides) == {"en", "de", "fr", "it", "es"}
    assert {len(steps) for steps in BambooHrTool.guides.values()} == {6}
    for model in BambooHrTool.models.values():
        assert model.permission in BambooHrTool.permissions
        for support in model.fields.values():
            if support.coverage == Coverage.SUPPORTED and support.permission:
                assert support.permission in BambooHrTool.permissions

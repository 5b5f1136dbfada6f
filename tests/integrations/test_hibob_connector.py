"""The `hibob` connector against a fake HiBob API that behaves as HiBob's docs describe."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from django.test import override_settings

from integrations.read_models import HRIS_EMPLOYEES
from integrations.tools.base import AuthOutcome, ToolError
from integrations.tools.hibob import (
    PERM_DEPARTMENTS,
    PERM_EMPLOYMENT_HISTORY,
    PERM_PEOPLE,
    PERM_SALARY_HISTORY,
    PERM_SITES,
    PERM_TIME_OFF_BALANCES,
    PERM_TIME_OFF_REQUESTS,
    PERM_TIME_OFF_SETTINGS,
    PERM_WORK_HISTORY,
    PERMISSION_FIELDS,
    SEARCH_BATCH_SIZE,
    HiBobTool,
)
from tests.support.fakes.hibob import (
    ALL_CATEGORIES,
    FakeHiBob,
)
from tests.support.fakes.server import Fault
from tests.support.processes import free_port

tool = HiBobTool()
EMPLOYEE_FIELDS = frozenset(HRIS_EMPLOYEES.fields)
GROUP_FIELDS = frozenset({"name", "type", "parent_id"})
# Lists, time off and the employee tables: what a group set up as the guide says may read.
BEYOND_FIELDS = frozenset(
    {
        PERM_SITES,
        PERM_TIME_OFF_REQUESTS,
        PERM_TIME_OFF_SETTINGS,
        PERM_TIME_OFF_BALANCES,
        PERM_SALARY_HISTORY,
        PERM_EMPLOYMENT_HISTORY,
        PERM_WORK_HISTORY,
    }
)
ALL_PERMISSIONS = frozenset({PERM_PEOPLE, PERM_DEPARTMENTS, *BEYOND_FIELDS, *PERMISSION_FIELDS})
# HiBob has no tax ID and no legal entity; bank accounts and custom fields are not read yet.
# None of those is ever emitted.
EMPLOYEE_FIELDS_READ = (
    EMPLOYEE_FIELDS - {"tax_id", "bank_accounts", "custom_fields", "legal_entity_id"}
) | {"remote_id"}
LOGIN_PAGE = "<!doctype html><html><head><title>Bob</title></head><body>Sign in</body></html>"


def credentials(
    fake: FakeHiBob, *, categories: Iterable[str] = ALL_CATEGORIES, read_lists: bool = True
) -> dict[str, str]:
    user_id, token = fake.add_service_user(categories=categories, read_lists=read_lists)
    return {"service_user_id": user_id, "token": token}


def employees(pages: list[list[dict[str, object]]]) -> dict[str, dict[str, object]]:
    return {str(record["remote_id"]): record for page in pages for record in page}


def test_it_accepts_a_service_user_with_exactly_its_permissions_and_company(
    fake_hibob: FakeHiBob,
) -> None:
    result = tool.check_auth(credentials(fake_hibob))

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == ALL_PERMISSIONS
    assert result.remote_account_id == "638112"


def test_it_reports_a_deleted_service_user_as_invalid_credentials(fake_hibob: FakeHiBob) -> None:
    creds = credentials(fake_hibob)
    assert tool.check_auth(creds).outcome == AuthOutcome.OK

    fake_hibob.delete_service_user(creds["service_user_id"])
    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert creds["token"] not in result.message
    assert "rejected the service user" in result.message


def test_it_reports_a_regenerated_token_as_invalid_credentials(fake_hibob: FakeHiBob) -> None:
    creds = credentials(fake_hibob)

    fake_hibob.regenerate_token(creds["service_user_id"])

    assert tool.check_auth(creds).outcome == AuthOutcome.INVALID_CREDENTIALS


@pytest.mark.parametrize(
    "creds",
    [
        {"service_user_id": "SERVICE-00000", "token": "never-issued-never-issued-never-issued"},
        {"service_user_id": "SERVICE-00000", "token": ""},
        {"service_user_id": "", "token": "whatever"},
        {},
    ],
)
def test_it_reports_an_unknown_service_user_as_invalid_credentials(
    fake_hibob: FakeHiBob, creds: dict[str, str]
) -> None:
    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS


def test_it_grants_only_the_fields_of_the_categories_its_permission_group_can_view(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(
        fake_hibob, categories={"root", "work", "lifecycle", "employment"}, read_lists=False
    )

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.OK
    assert result.remote_account_id == "638112"
    assert result.granted_permissions - (BEYOND_FIELDS - {PERM_SITES}) == {
        PERM_PEOPLE,
        "field:root.firstName",
        "field:root.surname",
        "field:root.displayName",
        "field:root.email",
        "field:root.avatarUrl",
        "field:root.creationDateTime",
        "field:work.employeeIdInCompany",
        "field:work.title",
        "field:work.reportsTo",
        "field:work.startDate",
        "field:work.department",
        "field:work.siteId",
        "field:internal.lifecycleStatus",
        "field:internal.terminationDate",
        "field:payroll.employment.type",
        "field:payroll.employment.weeklyHours",
    }
    gaps = tool.permission_gaps(
        model_id="hris_employees",
        field_ids=HRIS_EMPLOYEES.fields,
        granted=result.granted_permissions,
    )
    assert [(gap.field_id, gap.permission) for gap in gaps] == [
        ("nationality", "field:personal.nationality"),
        ("personal_email", "field:home.privateEmail"),
        ("mobile_phone_number", "field:home.mobilePhone"),
        ("ssn", "field:identification.ssn"),
        ("gender", "field:home.legalGender"),
        ("ethnicity", "field:eeo.ethnicity"),
        ("marital_status", "field:home.familyStatus"),
        ("date_of_birth", "field:personal.birthDate"),
        ("home_address", "field:address.line1"),
    ]
    assert gaps[-2].message == (
        "HiBob: the service user cannot read field 'personal.birthDate' "
        "(its permission group needs View on the 'Personal' category)."
    )
    assert gaps[1].message == (
        "HiBob: the service user cannot read field 'home.privateEmail' "
        "(its permission group needs View on the 'Personal contact details' category)."
    )
    group_gaps = tool.permission_gaps(
        model_id="hris_teams", field_ids=GROUP_FIELDS, granted=result.granted_permissions
    )
    assert [(gap.permission, gap.message) for gap in group_gaps] == [
        (PERM_DEPARTMENTS, "HiBob: the service user cannot read the company list 'department'.")
    ]


def test_it_reports_a_service_user_without_people_access_as_lacking_the_whole_model(
    fake_hibob: FakeHiBob,
) -> None:
    result = tool.check_auth(credentials(fake_hibob, categories=()))

    assert result.outcome == AuthOutcome.OK
    # Nobody to read balances or tables of: only what needs no employee is granted.
    assert result.granted_permissions == {
        PERM_DEPARTMENTS,
        PERM_SITES,
        PERM_TIME_OFF_REQUESTS,
        PERM_TIME_OFF_SETTINGS,
    }
    gaps = tool.permission_gaps(
        model_id="hris_employees", field_ids=["first_name"], granted=result.granted_permissions
    )
    assert [gap.message for gap in gaps] == [
        "HiBob: the service user cannot search employees (its permission group needs "
        "People's data View access, at least on the 'Basic info' category)."
    ]


def test_it_sees_a_permission_removed_from_the_group_at_the_next_check(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(fake_hibob)
    assert tool.check_auth(creds).granted_permissions == ALL_PERMISSIONS

    fake_hibob.set_permissions(
        creds["service_user_id"], categories={"root", "work", "lifecycle", "employment", "home"}
    )
    result = tool.check_auth(creds)

    assert ALL_PERMISSIONS - result.granted_permissions == {
        "field:personal.nationality",
        "field:personal.birthDate",
        "field:home.privateEmail",
        "field:home.mobilePhone",
        "field:identification.ssn",
        "field:eeo.ethnicity",
        "field:address.line1",
    }


def test_it_reports_a_rate_limit_as_unreachable_with_the_retry_delay(
    fake_hibob: FakeHiBob,
) -> None:
    fake_hibob.fail_next(
        Fault(
            status=429,
            body='{"key": "too.many.requests", "error": "Too Many Requests"}',
            headers={
                "Retry-After": "120",
                "X-RateLimit-Limit": "50",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(int(time.time()) + 120),
            },
        )
    )

    result = tool.check_auth(credentials(fake_hibob))

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.retry_after_seconds == 120.0
    assert "rate limited" in result.message


def test_it_reports_hibobs_search_rate_limit_as_unreachable(fake_hibob: FakeHiBob) -> None:
    fake_hibob.search_limit_per_minute = 1

    result = tool.check_auth(credentials(fake_hibob))

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "rate limited (HTTP 429)" in result.message
    # HiBob's own 429 carries no Retry-After, only the X-RateLimit-Reset epoch.
    assert result.retry_after_seconds is not None
    assert 0 < result.retry_after_seconds <= 60


@pytest.mark.parametrize(
    ("fault", "expected_message"),
    [
        (Fault(status=500, body='{"error": "Internal Server Error"}'), "HTTP 500"),
        (Fault(status=502, body="Bad Gateway", content_type="text/plain"), "HTTP 502"),
        (Fault(status=200, body='{"employees": ['), "not JSON"),
        (Fault(status=200, body=LOGIN_PAGE, content_type="text/html; charset=utf-8"), "not JSON"),
        (Fault(status=200, body='{"hello": "world"}'), "unexpected response body"),
    ],
)
def test_it_reports_vendor_faults_as_unreachable(
    fake_hibob: FakeHiBob, fault: Fault, expected_message: str
) -> None:
    creds = credentials(fake_hibob)
    fake_hibob.fail_next(fault)

    result = tool.check_auth(creds)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert expected_message in result.message
    assert creds["token"] not in result.message


@override_settings(TOOL_HTTP_TIMEOUT=0.5)
def test_it_reports_a_timeout_as_unreachable(fake_hibob: FakeHiBob) -> None:
    fake_hibob.fail_next(Fault(status=0, delay=1.5))

    started = time.monotonic()
    result = tool.check_auth(credentials(fake_hibob))

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "timed out" in result.message
    assert time.monotonic() - started < 1.4


def test_it_reports_a_server_that_is_down_as_unreachable() -> None:
    port = free_port()
    with override_settings(HIBOB_API_URL=f"http://127.0.0.1:{port}"):
        result = tool.check_auth({"service_user_id": "SERVICE-1", "token": "t"})

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "connection failed" in result.message


def test_it_fetches_every_employee_exactly_once_in_bounded_batches(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(fake_hibob)

    pages = list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS))

    assert [len(page) for page in pages] == [200, 30]
    remote_ids = [record["remote_id"] for page in pages for record in page]
    assert len(remote_ids) == len(set(remote_ids))
    assert set(remote_ids) == {employee.id for employee in fake_hibob.employees}
    assert all(set(record) == EMPLOYEE_FIELDS_READ for page in pages for record in page)
    statuses = {record["employment_status"] for page in pages for record in page}
    assert statuses == {"ACTIVE", "PENDING", "INACTIVE", "LEAVE"}
    id_query, *batches = fake_hibob.search_requests()
    assert id_query == {"fields": ["root.id"], "showInactive": True}
    assert [len(batch["filters"][0]["values"]) for batch in batches] == [200, 30]
    assert all(len(batch["filters"][0]["values"]) <= SEARCH_BATCH_SIZE for batch in batches)


def test_it_maps_a_full_record_to_unified_fields(fake_hibob: FakeHiBob) -> None:
    zoe = fake_hibob.employee("zoe.muller@acme-hr.example")
    jose = fake_hibob.employee("jose.nunez@acme-hr.example")

    records = employees(
        list(tool.fetch(credentials(fake_hibob), "hris_employees", EMPLOYEE_FIELDS))
    )

    assert records[zoe.id] == {
        "remote_id": zoe.id,
        "employee_number": "1",
        "first_name": "Zoë",
        "last_name": "Müller",
        "display_full_name": "Zoë Müller",
        "nationality": "American",
        "job_title": "Chief Executive Officer",
        "work_email": "zoe.muller@acme-hr.example",
        "personal_email": "zoe.mueller@example.org",
        "mobile_phone_number": "+1 212 555 0101",
        "ssn": "123-45-6789",
        "gender": "FEMALE",
        "ethnicity": "WHITE",
        "marital_status": "MARRIED",
        "employment_status": "ACTIVE",
        "employment_type": "FULL_TIME",
        "weekly_hours": 40.0,
        "avatar": "https://images.hibob.example/avatars/zoe.png",
        "work_location_id": "301100",
        "manager_id": None,
        "date_of_birth": "1980-04-12",
        "start_date": "2015-03-01",
        "termination_date": None,
        "remote_created_at": "2015-02-20T09:30:00.123456+00:00",
        "home_address": {
            "street_1": "1 Main Street",
            "street_2": "Apt 4B",
            "city": "New York",
            "state": "NY",
            "zip_code": "11201",
            "country": "United States",
        },
        "groups": ["209192160"],
    }
    assert records[jose.id]["manager_id"] == zoe.id
    assert records[jose.id]["employment_status"] == "LEAVE"
    assert records[jose.id]["marital_status"] == "DOMESTIC_PARTNERSHIP"
    assert records[jose.id]["weekly_hours"] == 30.5


def test_it_maps_a_sparse_record_and_a_terminated_one(fake_hibob: FakeHiBob) -> None:
    jose = fake_hibob.employee("jose.nunez@acme-hr.example")
    asa = fake_hibob.employee("asa.oberg@acme-hr.example")
    li = fake_hibob.employee("li.lei@acme-hr.example")

    records = employees(
        list(tool.fetch(credentials(fake_hibob), "hris_employees", EMPLOYEE_FIELDS))
    )

    assert records[asa.id] == {
        "remote_id": asa.id,
        "employee_number": "3",
        "first_name": "Åsa",
        "last_name": "Øberg",
        "display_full_name": "Åsa Øberg",
        "nationality": None,
        "job_title": None,
        "work_email": "asa.oberg@acme-hr.example",
        "personal_email": None,
        "mobile_phone_number": None,
        "ssn": None,
        "gender": None,
        "ethnicity": None,
        "marital_status": None,
        "employment_status": "PENDING",
        "employment_type": None,
        "weekly_hours": None,
        "avatar": None,
        "work_location_id": None,
        "manager_id": jose.id,
        "date_of_birth": None,
        "start_date": "2031-01-05",
        "termination_date": None,
        "remote_created_at": None,
        "home_address": None,
        "groups": [],
    }
    assert {
        key: records[li.id][key]
        for key in (
            "first_name",
            "last_name",
            "display_full_name",
            "employment_status",
            "employment_type",
            "gender",
            "termination_date",
            "manager_id",
        )
    } == {
        "first_name": "雷",
        "last_name": "李",
        "display_full_name": "李雷",
        "employment_status": "INACTIVE",
        "employment_type": "WORKING_STUDENT",
        "gender": "NOT_SPECIFIED",
        "termination_date": "2024-06-30",
        "manager_id": asa.id,
    }


def test_it_reads_only_the_requested_fields_and_never_what_hibob_lacks(
    fake_hibob: FakeHiBob,
) -> None:
    wanted = frozenset({"first_name", "groups", "tax_id", "bank_accounts", "legal_entity_id"})

    pages = list(tool.fetch(credentials(fake_hibob), "hris_employees", wanted))

    records = [record for page in pages for record in page]
    assert len(records) == len(fake_hibob.employees)
    assert all(set(record) == {"remote_id", "first_name", "groups"} for record in records)
    assert fake_hibob.search_requests()[-1]["fields"] == [
        "root.id",
        "root.firstName",
        "work.department",
    ]


def test_it_gets_nothing_for_fields_the_permission_group_cannot_view(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(fake_hibob, categories={"root", "work"})
    zoe = fake_hibob.employee("zoe.muller@acme-hr.example")

    records = employees(list(tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)))

    assert records[zoe.id]["first_name"] == "Zoë"
    assert records[zoe.id]["date_of_birth"] is None
    assert records[zoe.id]["home_address"] is None
    assert records[zoe.id]["employment_status"] is None


def test_it_fetches_departments_with_their_hierarchy(fake_hibob: FakeHiBob) -> None:
    pages = list(tool.fetch(credentials(fake_hibob), "hris_teams", GROUP_FIELDS))

    assert pages == [
        [
            {
                "remote_id": "209192160",
                "name": "Management",
                "type": "DEPARTMENT",
                "parent_id": None,
            },
            {
                "remote_id": "209192161",
                "name": "Product & Engineering",
                "type": "DEPARTMENT",
                "parent_id": None,
            },
            {
                "remote_id": "209192162",
                "name": "Engineering",
                "type": "DEPARTMENT",
                "parent_id": "209192161",
            },
            {
                "remote_id": "209192163",
                "name": "Design",
                "type": "DEPARTMENT",
                "parent_id": "209192161",
            },
            {"remote_id": "209192164", "name": "People", "type": "DEPARTMENT", "parent_id": None},
            {"remote_id": "209192165", "name": "Sales", "type": "DEPARTMENT", "parent_id": None},
            {
                "remote_id": "209192166",
                "name": "Account Receivables",
                "type": "DEPARTMENT",
                "parent_id": "209192165",
            },
            {
                "remote_id": "209192167",
                "name": "Legacy Operations",
                "type": "DEPARTMENT",
                "parent_id": None,
            },
        ]
    ]


def test_it_refuses_groups_for_good_without_the_department_list(fake_hibob: FakeHiBob) -> None:
    creds = credentials(fake_hibob, read_lists=False)

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(creds, "hris_teams", GROUP_FIELDS))

    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)


def test_it_stops_for_good_when_the_service_user_is_deleted_mid_fetch(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(fake_hibob)
    pages = tool.fetch(creds, "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == 200

    fake_hibob.delete_service_user(creds["service_user_id"])

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is False
    assert "HTTP 401" in str(failure.value)
    assert creds["token"] not in str(failure.value)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=503, body="upstream down", content_type="text/plain"),
        Fault(status=429, body='{"error": "Too Many Requests"}', headers={"Retry-After": "30"}),
        Fault(status=200, body=LOGIN_PAGE, content_type="text/html"),
    ],
)
def test_it_treats_a_vendor_fault_mid_fetch_as_transient(
    fake_hibob: FakeHiBob, fault: Fault
) -> None:
    pages = tool.fetch(credentials(fake_hibob), "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == 200

    fake_hibob.fail_next(fault)

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is True


@override_settings(TOOL_HTTP_TIMEOUT=0.5)
def test_it_treats_a_timeout_mid_fetch_as_transient(fake_hibob: FakeHiBob) -> None:
    pages = tool.fetch(credentials(fake_hibob), "hris_employees", EMPLOYEE_FIELDS)
    assert len(next(pages)) == 200

    fake_hibob.fail_next(Fault(status=0, delay=1.0))

    with pytest.raises(ToolError) as failure:
        next(pages)
    assert failure.value.transient is True
    assert "timed out" in str(failure.value)


@pytest.mark.parametrize(
    "body",
    [
        '{"employees": null}',
        '{"employees": [{"/root/firstName": {"value": "Zoë"}, "firstName": "Zoë"}]}',
        '{"employees": ["3332883884017713200"]}',
        '["3332883884017713200"]',
    ],
)
def test_it_reports_a_malformed_page_as_a_transient_tool_error(
    fake_hibob: FakeHiBob, body: str
) -> None:
    fake_hibob.fail_next(Fault(status=200, body=body))

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(credentials(fake_hibob), "hris_employees", EMPLOYEE_FIELDS))

    assert failure.value.transient is True
    assert "HiBob people search" in str(failure.value)


def test_it_reads_everyone_even_when_asked_for_changes_since_a_date(
    fake_hibob: FakeHiBob,
) -> None:
    # Delta syncs narrow time-off requests only; people are read whole.
    assert HiBobTool.supports_delta is True

    pages = list(
        tool.fetch(
            credentials(fake_hibob),
            "hris_employees",
            frozenset({"first_name"}),
            since=datetime(2030, 1, 1, tzinfo=UTC),
        )
    )

    assert sum(len(page) for page in pages) == len(fake_hibob.employees)


def test_it_explains_how_to_create_the_service_user_in_every_language() -> None:
    assert [field.key for field in tool.credential_fields] == ["service_user_id", "token"]
    assert [field.secret for field in tool.credential_fields] == [False, True]
    assert set(tool.guides) == {"en", "de", "fr", "it", "es"}
    assert len({len(steps) for steps in tool.guides.values()}) == 1
    assert all("Service users" in steps[1] for steps in tool.guides.values())

"""The Sandbox HR HTTP API, called over real HTTP as the `sandbox` connector calls it."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL, PERM_SENSITIVE
from sandbox_hr.models import (
    SandboxAccount,
    SandboxEmployee,
    SandboxEmployeeStatus,
    SandboxGroup,
)
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
    sandbox_employees_add,
)
from tests.support.factories import ALL_PERMISSIONS

pytestmark = pytest.mark.django_db(transaction=True)

BASIC_FIELDS = {
    "id",
    "employee_number",
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "job_title",
    "status",
    "employment_type",
    "weekly_hours",
    "manager_id",
    "location_id",
    "legal_entity_id",
    "hire_date",
    "termination_date",
    "created_at",
    "updated_at",
}
PERSONAL_FIELDS = {
    "nationality",
    "private_email",
    "mobile_phone",
    "gender",
    "marital_status",
    "birth_date",
    "home_address",
}
SENSITIVE_FIELDS = {"ssn", "tax_id", "bank_accounts"}


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=23, seed=7)


def key_for(account: SandboxAccount, *permissions: str) -> str:
    _, raw_key = sandbox_api_key_create(account=account, name="tests", permissions=permissions)
    return raw_key


def api_get(live_server: Any, path: str, raw_key: str | None, **params: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {raw_key}"} if raw_key is not None else {}
    return requests.get(
        f"{live_server.url}/sandbox-hr/api/v1/{path}", headers=headers, params=params, timeout=10
    )


def all_pages(live_server: Any, path: str, raw_key: str, **params: str) -> list[list[dict]]:
    pages: list[list[dict]] = []
    while True:
        response = api_get(live_server, path, raw_key, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["data"])
        if body["next_cursor"] is None:
            return pages
        params["cursor"] = body["next_cursor"]


@pytest.mark.parametrize(
    "raw_key", [None, "", "sbx_thisKeyWasNeverIssued1234567890ab", "not-even-a-sandbox-key"]
)
def test_it_refuses_a_missing_or_unknown_key_with_401(
    live_server: Any, account: SandboxAccount, raw_key: str | None
) -> None:
    response = api_get(live_server, "me", raw_key)

    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_it_refuses_a_revoked_key_with_401(live_server: Any, account: SandboxAccount) -> None:
    key, raw_key = sandbox_api_key_create(
        account=account, name="tests", permissions=ALL_PERMISSIONS
    )
    assert api_get(live_server, "employees", raw_key).status_code == 200

    sandbox_api_key_revoke(key=key)

    for path in ("me", "employees", "groups"):
        response = api_get(live_server, path, raw_key)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_api_key"


def test_it_tells_who_the_key_belongs_to_and_what_it_may_read(
    live_server: Any, account: SandboxAccount
) -> None:
    raw_key = key_for(account, PERM_GROUPS, PERM_EMPLOYEES)

    response = api_get(live_server, "me", raw_key)

    assert response.status_code == 200
    assert response.json() == {
        "account": {"id": account.pk, "name": "Acme GmbH"},
        "permissions": [PERM_EMPLOYEES, PERM_GROUPS],
    }


@pytest.mark.parametrize(
    ("path", "granted", "missing"),
    [
        ("employees", (PERM_GROUPS, PERM_PERSONAL), PERM_EMPLOYEES),
        ("groups", (PERM_EMPLOYEES, PERM_SENSITIVE), PERM_GROUPS),
    ],
)
def test_it_names_the_missing_permission_in_a_403(
    live_server: Any, account: SandboxAccount, path: str, granted: tuple[str, ...], missing: str
) -> None:
    response = api_get(live_server, path, key_for(account, *granted))

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "missing_permission",
            "permission": missing,
            "message": f"This API key lacks the permission {missing}",
        }
    }


def test_it_pages_through_every_employee_exactly_once(
    live_server: Any, account: SandboxAccount
) -> None:
    # Rows sharing one timestamp are where a naive cursor skips or repeats.
    SandboxEmployee.objects.filter(account=account).update(
        updated_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    )
    other = sandbox_account_create(name="Other AG", employees=4, seed=1)

    pages = all_pages(live_server, "employees", key_for(account, PERM_EMPLOYEES), limit="5")

    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    served = [record["id"] for page in pages for record in page]
    assert len(served) == len(set(served))
    assert set(served) == set(
        SandboxEmployee.objects.filter(account=account).values_list("id", flat=True)
    )
    assert not set(served) & set(
        SandboxEmployee.objects.filter(account=other).values_list("id", flat=True)
    )


def test_it_serves_rows_changed_while_paging_without_losing_any(
    live_server: Any, account: SandboxAccount
) -> None:
    raw_key = key_for(account, PERM_EMPLOYEES)
    first = api_get(live_server, "employees", raw_key, limit="10").json()

    sandbox_employees_add(account=account, count=4)
    rest = all_pages(live_server, "employees", raw_key, limit="10", cursor=first["next_cursor"])

    served = [record["id"] for record in first["data"]] + [
        record["id"] for page in rest for record in page
    ]
    assert len(served) == len(set(served)) == 27


def test_it_returns_only_employees_updated_since(live_server: Any, account: SandboxAccount) -> None:
    long_ago = datetime(2023, 1, 1, tzinfo=UTC)
    SandboxEmployee.objects.filter(account=account).update(updated_at=long_ago)
    recent = list(SandboxEmployee.objects.filter(account=account).order_by("id")[:3])
    SandboxEmployee.objects.filter(pk__in=[e.pk for e in recent]).update(
        updated_at=datetime(2024, 6, 1, tzinfo=UTC)
    )
    raw_key = key_for(account, PERM_EMPLOYEES)

    since_iso = all_pages(
        live_server, "employees", raw_key, updated_since="2024-01-01T00:00:00+00:00"
    )
    since_zulu = all_pages(live_server, "employees", raw_key, updated_since="2024-06-01T00:00:00Z")
    since_later = all_pages(live_server, "employees", raw_key, updated_since="2024-06-02")

    expected = {e.pk for e in recent}
    assert {r["id"] for page in since_iso for r in page} == expected
    assert {r["id"] for page in since_zulu for r in page} == expected
    assert since_later == [[]]


@pytest.mark.parametrize(
    ("granted", "expected_fields"),
    [
        ((PERM_EMPLOYEES,), BASIC_FIELDS),
        ((PERM_EMPLOYEES, PERM_GROUPS), BASIC_FIELDS | {"department_ids"}),
        ((PERM_EMPLOYEES, PERM_PERSONAL), BASIC_FIELDS | PERSONAL_FIELDS),
        ((PERM_EMPLOYEES, PERM_SENSITIVE), BASIC_FIELDS | SENSITIVE_FIELDS),
        (
            (PERM_EMPLOYEES, PERM_PERSONAL, PERM_SENSITIVE, PERM_GROUPS),
            BASIC_FIELDS | PERSONAL_FIELDS | SENSITIVE_FIELDS | {"department_ids"},
        ),
    ],
)
def test_it_shows_field_groups_only_with_their_permission(
    live_server: Any, account: SandboxAccount, granted: tuple[str, ...], expected_fields: set[str]
) -> None:
    response = api_get(live_server, "employees", key_for(account, *granted), limit="200")

    records = response.json()["data"]
    assert len(records) == 23
    assert all(set(record) == expected_fields for record in records)


def test_it_serves_seeded_employees_with_real_world_data(
    live_server: Any, account: SandboxAccount
) -> None:
    response = api_get(live_server, "employees", key_for(account, *ALL_PERMISSIONS), limit="200")

    records = {record["id"]: record for record in response.json()["data"]}
    names = {f"{r['first_name']} {r['last_name']}" for r in records.values()}
    assert {"Zoë Müller", "José Núñez", "Åsa Øberg"} <= names
    zoe = next(r for r in records.values() if r["first_name"] == "Zoë")
    assert zoe["email"] == "zoe.mueller@acme-gmbh.example"
    assert zoe["manager_id"] is None
    managed = [r for r in records.values() if r["manager_id"]]
    assert len(managed) == 22
    assert all(r["manager_id"] in records for r in managed)
    department_ids = set(SandboxGroup.objects.filter(account=account).values_list("id", flat=True))
    assert all(set(r["department_ids"]) <= department_ids for r in records.values())
    home = next(r["home_address"] for r in records.values() if r["home_address"])
    assert set(home) == {"street", "city", "zip", "country"}


def test_it_seeds_inactive_employees_and_missing_optional_fields(db: None) -> None:
    account = sandbox_account_create(name="Big Corp", employees=150, seed=3)

    employees = SandboxEmployee.objects.filter(account=account)
    inactive = employees.filter(status=SandboxEmployeeStatus.INACTIVE)
    assert inactive.exists()
    assert not inactive.filter(termination_date__isnull=True).exists()
    assert employees.filter(private_email__isnull=True).exists()
    assert employees.filter(birth_date__isnull=True).exists()
    assert employees.filter(bank_accounts=[]).exists()
    assert employees.values("email").distinct().count() == 150


def test_it_lists_groups_with_their_type_and_parent(
    live_server: Any, account: SandboxAccount
) -> None:
    pages = all_pages(live_server, "groups", key_for(account, PERM_GROUPS), limit="2")

    groups = {record["name"]: record for page in pages for record in page}
    assert len(pages) == 3
    assert {record["type"] for record in groups.values()} == {"department", "team", "cost_center"}
    assert groups["Engineering"]["parent_id"] == groups["Product & Engineering"]["id"]
    assert groups["Platform Team"]["parent_id"] == groups["Engineering"]["id"]
    assert groups["People & Culture"]["parent_id"] is None


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "²"}, "limit"),
        ({"cursor": "definitely-not-a-cursor"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'["yesterday", "emp_1"]').decode()}, "cursor"),
        ({"updated_since": "last tuesday"}, "updated_since"),
        ({"updated_since": "2024-13-45T99:00:00Z"}, "updated_since"),
    ],
)
def test_it_rejects_bad_parameters_with_a_json_400(
    live_server: Any, account: SandboxAccount, params: dict[str, str], parameter: str
) -> None:
    response = api_get(live_server, "employees", key_for(account, PERM_EMPLOYEES), **params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["parameter"] == parameter


def test_it_answers_unknown_paths_and_methods_in_json(
    live_server: Any, account: SandboxAccount
) -> None:
    raw_key = key_for(account, *ALL_PERMISSIONS)
    headers = {"Authorization": f"Bearer {raw_key}"}

    missing = requests.get(
        f"{live_server.url}/sandbox-hr/api/v1/payroll", headers=headers, timeout=10
    )
    posted = requests.post(
        f"{live_server.url}/sandbox-hr/api/v1/employees", headers=headers, json={}, timeout=10
    )

    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert posted.status_code == 405
    assert posted.json()["error"]["code"] == "method_not_allowed"


def test_it_serves_a_page_with_a_constant_number_of_queries(db: None) -> None:
    # Counted in-process: a live server on PostgreSQL uses its own connection.
    account = sandbox_account_create(name="Acme GmbH", employees=5, seed=1)
    raw_key = key_for(account, *ALL_PERMISSIONS)
    client = Client(headers={"Authorization": f"Bearer {raw_key}"})

    def queries_for_one_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/sandbox-hr/api/v1/employees", {"limit": "200"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    small = queries_for_one_page()
    sandbox_employees_add(account=account, count=115)
    large = queries_for_one_page()

    assert len(client.get("/sandbox-hr/api/v1/employees", {"limit": "200"}).json()["data"]) == 120
    assert large == small <= 3

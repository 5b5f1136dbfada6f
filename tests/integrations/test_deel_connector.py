"""The `deel` connector against a fake Deel that behaves as Deel's docs describe (the v2
OpenAPI description in github.com/letsdeel/deel-api-java-sdk, developer.deel.com/api/
rate-limits and the OAuth2 page); tokens come through the real OAuth protocol."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from integrations.read_models import HRIS_EMPLOYEES
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, ToolError
from integrations.tools.deel import OAUTH, PAGE_SIZE, PERM_ORGANIZATIONS, PERM_PEOPLE, DeelTool
from integrations.tools.oauth import OAuthClient, authorization_url, code_exchange
from tests.support.fakes.deel import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    OTHER_ORG_ID,
    REDIRECT_URI,
    FakeDeel,
)
from tests.support.fakes.server import Fault
from tests.support.processes import free_port

tool = DeelTool()
EMPLOYEE_FIELDS = frozenset(HRIS_EMPLOYEES.fields)
GROUP_FIELDS = frozenset({"name", "type", "parent_id"})
BOTH = (PERM_PEOPLE, PERM_ORGANIZATIONS)


def connect(
    fake: FakeDeel, *, scopes: Iterable[str] = BOTH, company: str = ORG_ID
) -> dict[str, Any]:
    """The stored token of a customer who consented on Deel's screen."""
    client = OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    url = authorization_url(
        OAUTH, client, redirect_uri=REDIRECT_URI, state="s", code_verifier=None, scopes=scopes
    )
    code = parse_qs(urlsplit(fake.consent(url, company=company)).query)["code"][0]
    return code_exchange(OAUTH, client, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)


def fetch_all(
    fake: FakeDeel, model_id: str, fields: frozenset[str], *, page_size: int = 20
) -> list[list[dict[str, Any]]]:
    return list(DeelTool(page_size=page_size).fetch(connect(fake), model_id, fields))


def by_id(pages: list[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {str(record["remote_id"]): record for page in pages for record in page}


def test_it_is_registered_as_an_oauth_tool() -> None:
    """Kombo's tool id `deel`; Deel's OAuth2 page: authorization code, HTTP Basic."""
    deel = tool_get("deel")

    assert deel.label == "Deel"
    assert deel.credential_fields == ()
    assert deel.oauth is OAUTH
    assert set(deel.permissions) == {PERM_PEOPLE, PERM_ORGANIZATIONS}


def test_it_accepts_a_token_with_its_scopes_and_organization(fake_deel: FakeDeel) -> None:
    """GET /organizations "Get Current Organization": the organization detected from the
    token; the token answer's `scope` says what was granted (OAuth2 page)."""
    result = tool.check_auth(connect(fake_deel))

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == {PERM_PEOPLE, PERM_ORGANIZATIONS}
    assert result.remote_account_id == ORG_ID
    assert fake_deel.api_requests == [("GET", "/organizations", {})]


def test_it_tells_another_organization_by_its_id(fake_deel: FakeDeel) -> None:
    """GET /organizations answers the token's own organization."""
    result = tool.check_auth(connect(fake_deel, company=OTHER_ORG_ID))

    assert result.remote_account_id == OTHER_ORG_ID


def test_it_reports_a_revoked_grant_as_invalid_credentials(fake_deel: FakeDeel) -> None:
    """The v2 description: 401 "the credentials provided are invalid"."""
    token = connect(fake_deel)
    fake_deel.revoke_grant(ORG_ID)

    result = tool.check_auth(token)

    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert token["access_token"] not in result.message
    assert "revoked" in result.message


def test_it_reports_an_expired_access_token_as_invalid_credentials(fake_deel: FakeDeel) -> None:
    """OAuth2 page, "Handle expired tokens": a request fails with 401."""
    token = connect(fake_deel)
    fake_deel.expire_access_tokens()

    assert tool.check_auth(token).outcome == AuthOutcome.INVALID_CREDENTIALS


def test_it_reports_no_token_as_invalid_credentials(fake_deel: FakeDeel) -> None:
    """Deel's API: every call needs a bearer token."""
    assert tool.check_auth({}).outcome == AuthOutcome.INVALID_CREDENTIALS
    assert fake_deel.api_requests == []


def test_it_identifies_by_people_without_the_organizations_scope(fake_deel: FakeDeel) -> None:
    """GET /organizations needs `organizations:read` (403 without); GET /people needs
    `people:read`: its ids stand in for the organization."""
    result = tool.check_auth(connect(fake_deel, scopes=[PERM_PEOPLE]))

    assert result.outcome == AuthOutcome.OK
    assert result.granted_permissions == {PERM_PEOPLE}
    assert result.remote_account_id == ""
    people_ids = sorted(person["id"] for person in fake_deel.organizations[ORG_ID].people)
    assert result.remote_id_sample == set(people_ids[:PAGE_SIZE])
    gaps = tool.permission_gaps(
        model_id="hris_teams", field_ids=GROUP_FIELDS, granted=result.granted_permissions
    )
    assert [gap.message for gap in gaps] == [
        "Deel: the connection was not granted the scope 'organizations:read', which "
        "hris_teams needs; connect again and allow it on Deel's consent screen."
    ]


def test_it_grants_only_the_organization_without_the_people_scope(fake_deel: FakeDeel) -> None:
    """The token answer's `scope` lists the granted scopes; employees need `people:read`."""
    result = tool.check_auth(connect(fake_deel, scopes=[PERM_ORGANIZATIONS]))

    assert result.granted_permissions == {PERM_ORGANIZATIONS}
    assert result.remote_account_id == ORG_ID
    assert [
        gap.permission
        for gap in tool.permission_gaps(
            model_id="hris_employees", field_ids=["first_name"], granted=result.granted_permissions
        )
    ] == [PERM_PEOPLE]


@pytest.mark.parametrize(
    ("fault", "retry_after"),
    [
        (Fault(status=429, body='{"errors": [{"message": "Too many requests"}]}'), 1.0),
        (Fault(status=429, headers={"Retry-After": "7"}), 7.0),
        (Fault(status=500, body='{"errors": [{"message": "Internal"}]}'), None),
        (Fault(status=502, body="<html>Bad gateway</html>", content_type="text/html"), None),
        (Fault(status=200, body='{"data": []}'), None),
        (Fault(status=200, body="<html>Sign in</html>", content_type="text/html"), None),
    ],
    ids=["429", "429-retry-after", "500", "502", "no-organization", "html"],
)
def test_it_reports_vendor_trouble_as_unreachable(
    fake_deel: FakeDeel, fault: Fault, retry_after: float | None
) -> None:
    """Rate Limits: 429 with no rate-limit headers in a one-second window (a Retry-After is
    honoured if sent); 5xx and bodies that are not Deel's say nothing about the token."""
    token = connect(fake_deel)
    fake_deel.fail_next(fault)

    result = tool.check_auth(token)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert result.retry_after_seconds == retry_after
    assert token["access_token"] not in result.message


def test_it_reports_a_network_failure_as_unreachable(fake_deel: FakeDeel) -> None:
    """Nothing listens: not an authentication failure."""
    token = connect(fake_deel)

    with override_settings(DEEL_API_URL=f"http://127.0.0.1:{free_port()}/rest/v2"):
        result = tool.check_auth(token)

    assert result.outcome == AuthOutcome.UNREACHABLE
    assert "connection failed" in result.message


def test_it_reads_every_page_of_people(fake_deel: FakeDeel) -> None:
    """GET /people pages with offset/limit until `page.total_rows` (six calls: the fake's
    5 a second make one of them wait)."""
    pages = fetch_all(fake_deel, "hris_employees", EMPLOYEE_FIELDS, page_size=10)

    people = fake_deel.organizations[ORG_ID].people
    assert [len(page) for page in pages] == [10, 10, 10, 10, 10, 7]
    assert set(by_id(pages)) == {person["id"] for person in people}
    offsets = [query["offset"] for method, path, query in fake_deel.api_requests]
    assert list(dict.fromkeys(offsets)) == ["0", "10", "20", "30", "40", "50"]


def test_it_maps_people_fields_as_deel_documents_them(fake_deel: FakeDeel) -> None:
    """The v2 description's people fields: names, `emails` by type, `hiring_status`,
    `hiring_type`, `department`, `direct_manager`, dates, `addresses`."""
    records = by_id(fetch_all(fake_deel, "hris_employees", EMPLOYEE_FIELDS))
    zoe = fake_deel.person("zoe.mueller@acme-remote.example")
    jose = fake_deel.person("jose.nunez@acme-remote.example")
    li = fake_deel.person("li.lei@acme-remote.example")
    engineering = zoe["department"]["id"]

    assert records[zoe["id"]] == {
        "remote_id": zoe["id"],
        "employee_number": str(zoe["worker_id"]),
        "first_name": "Zoë",
        "last_name": "Müller",
        "display_full_name": "Zoë Müller",
        "nationality": "DE",
        "job_title": "Head of Engineering",
        "work_email": "zoe.mueller@acme-remote.example",
        "personal_email": "zoe@example.org",
        "employment_status": "ACTIVE",
        "employment_type": "direct_employee",
        "legal_entity_id": "41b6f5a8-0c2d-4e1f-9a3b-7c8d9e0f1a2b",
        "manager_id": None,
        "date_of_birth": "1988-04-12",
        "start_date": "2019-03-01",
        "termination_date": None,
        "remote_created_at": "2019-02-20T09:00:00.000Z",
        "home_address": {
            "street_1": "Torstraße 1",
            "street_2": None,
            "city": "Berlin",
            "state": "BE",
            "zip_code": "10119",
            "country": "DE",
        },
        "groups": [engineering],
    }
    assert records[jose["id"]]["employment_status"] == "ACTIVE"
    assert records[jose["id"]]["employment_type"] == "CONTRACT"
    assert records[jose["id"]]["termination_date"] == "2025-09-30"
    assert records[jose["id"]]["manager_id"] == zoe["id"]
    assert records[jose["id"]]["nationality"] == "ES"
    assert records[li["id"]]["employment_status"] == "INACTIVE"
    assert records[li["id"]]["termination_date"] == "2024-06-30"
    asa = next(r for r in records.values() if r["first_name"] == "Åsa")
    assert asa["employment_status"] == "PENDING"
    assert (asa["work_email"], asa["groups"], asa["home_address"]) == (None, [], None)


def test_it_returns_only_the_wanted_fields(fake_deel: FakeDeel) -> None:
    """A scope config's disabled fields are never read into records (Kombo scope configs)."""
    pages = fetch_all(fake_deel, "hris_employees", frozenset({"first_name", "groups"}))

    assert {frozenset(r) for r in by_id(pages).values()} == {
        frozenset({"remote_id", "first_name", "groups"})
    }


def test_it_reads_departments_as_groups_with_their_parents(fake_deel: FakeDeel) -> None:
    """GET /departments: `{"data": [{"id", "name", "parent"}]}`; people point at them."""
    groups = by_id(fetch_all(fake_deel, "hris_teams", GROUP_FIELDS, page_size=3))
    people = by_id(fetch_all(fake_deel, "hris_employees", frozenset({"groups"})))

    engineering = next(g for g in groups.values() if g["name"] == "Engineering")
    platform = next(g for g in groups.values() if g["name"] == "Platform")
    assert len(groups) == 4
    assert {g["type"] for g in groups.values()} == {"DEPARTMENT"}
    assert (engineering["parent_id"], platform["parent_id"]) == (None, engineering["remote_id"])
    assert {g for person in people.values() for g in person["groups"]} <= set(groups)


def test_it_reads_no_groups_when_the_organization_has_no_departments(
    fake_deel: FakeDeel,
) -> None:
    """GET /departments: 404 "No departments found"."""
    fake_deel.organizations[ORG_ID].departments.clear()

    assert fetch_all(fake_deel, "hris_teams", GROUP_FIELDS) == []


@pytest.mark.parametrize(
    ("model_id", "scopes"),
    [("hris_employees", [PERM_ORGANIZATIONS]), ("hris_teams", [PERM_PEOPLE])],
)
def test_it_stops_for_good_on_a_missing_scope(
    fake_deel: FakeDeel, model_id: str, scopes: list[str]
) -> None:
    """The v2 description: `people:read` for GET /people, `organizations:read` for GET
    /departments; without the scope, 403, which retrying does not heal."""
    token = connect(fake_deel, scopes=scopes)

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(token, model_id, EMPLOYEE_FIELDS))

    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)


def test_it_stops_for_good_when_the_grant_is_revoked_mid_fetch(fake_deel: FakeDeel) -> None:
    """401 on a page: the token was revoked; only a new consent helps."""
    pages = DeelTool(page_size=10).fetch(connect(fake_deel), "hris_employees", EMPLOYEE_FIELDS)
    next(pages)
    fake_deel.revoke_grant(ORG_ID)

    with pytest.raises(ToolError) as failure:
        next(pages)

    assert failure.value.transient is False
    assert "HTTP 401" in str(failure.value)


def test_it_waits_out_the_rate_limit_while_reading_people(fake_deel: FakeDeel) -> None:
    """Rate Limits: 5 requests a second per organization, rolling window; "wait until the next
    cycle starts" (here the fake allows 2, so the pages must wait)."""
    fake_deel.rate_limit_per_second = 2

    pages = fetch_all(fake_deel, "hris_employees", frozenset({"first_name"}))

    assert sum(len(page) for page in pages) == len(fake_deel.organizations[ORG_ID].people)
    assert fake_deel.rate_limited_count >= 1


def test_it_honours_a_retry_after_on_a_rate_limited_page(fake_deel: FakeDeel) -> None:
    """RFC 9110 §10.2.3 Retry-After, when sent with a 429 (Deel's page says it sends none)."""
    pages = DeelTool(page_size=10).fetch(connect(fake_deel), "hris_employees", EMPLOYEE_FIELDS)
    next(pages)
    fake_deel.fail_next(Fault(status=429, headers={"Retry-After": "1"}))

    started = time.monotonic()
    rest = list(pages)

    assert time.monotonic() - started >= 1.0
    assert sum(len(page) for page in rest) == len(fake_deel.organizations[ORG_ID].people) - 10


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=429, headers={"Retry-After": "120"}),
        Fault(status=429, times=5),
        Fault(status=500, body='{"errors": [{"message": "Internal"}]}'),
        Fault(status=200, body='{"data": [{"first_name": "No id"}], "page": {"total_rows": 1}}'),
        Fault(status=200, body='{"data": []}'),
    ],
    ids=["429-long-wait", "429-persisting", "500", "person-without-id", "page-without-total"],
)
def test_it_fails_transiently_on_vendor_trouble_mid_fetch(
    fake_deel: FakeDeel, fault: Fault
) -> None:
    """Rate limits that do not pass soon, 5xx and bodies that are not Deel's: the next sync
    may well succeed."""
    pages = DeelTool(page_size=10).fetch(connect(fake_deel), "hris_employees", EMPLOYEE_FIELDS)
    next(pages)
    fake_deel.fail_next(fault)

    with pytest.raises(ToolError) as failure:
        next(pages)

    assert failure.value.transient is True

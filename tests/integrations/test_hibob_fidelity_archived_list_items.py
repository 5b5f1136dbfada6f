"""Archived company list items stay readable: a person whose department or site was archived
still names it, and the group or work location it names is synced (as for BambooHR).

Source: apidocs.hibob.com reference/get_company-named-lists-listname and
docs/how-to-work-with-lists-public-api: `GET /company/named-lists/{listName}` returns items
(`id`, `value`, `name`, `archived`, `children`); archived items come only with
`includeArchived=true`. Employees hold list item IDs (`work.department`, `work.siteId`).
"""

from __future__ import annotations

from integrations.tools.hibob import HiBobTool
from tests.support.fakes.hibob import FakeHiBob

tool = HiBobTool()
LEGACY_OPERATIONS = "209192167"
BERLIN = "301103"


def credentials(fake: FakeHiBob) -> dict[str, str]:
    user_id, token = fake.add_service_user()
    return {"service_user_id": user_id, "token": token}


def test_it_keeps_the_archived_department_a_person_still_names(fake_hibob: FakeHiBob) -> None:
    creds = credentials(fake_hibob)
    person = fake_hibob.employees[7]
    person.values["work.department"] = LEGACY_OPERATIONS
    person.labels["work.department"] = "Legacy Operations"

    employees = {
        record["remote_id"]: record
        for page in tool.fetch(creds, "hris_employees", frozenset({"groups"}))
        for record in page
    }
    groups = {
        record["remote_id"]: record
        for page in tool.fetch(creds, "hris_teams", frozenset({"name", "type", "parent_id"}))
        for record in page
    }

    assert employees[person.id]["groups"] == [LEGACY_OPERATIONS]
    assert groups[LEGACY_OPERATIONS] == {
        "remote_id": LEGACY_OPERATIONS,
        "name": "Legacy Operations",
        "type": "DEPARTMENT",
        "parent_id": None,
    }
    (list_read,) = [
        r for r in fake_hibob.requests if r.path == "/v1/company/named-lists/department"
    ]
    assert list_read.args["includeArchived"] == "true"


def test_it_keeps_the_archived_site_a_person_still_works_at(fake_hibob: FakeHiBob) -> None:
    creds = credentials(fake_hibob)
    person = fake_hibob.employees[9]
    person.values["work.siteId"] = int(BERLIN)

    employees = {
        record["remote_id"]: record
        for page in tool.fetch(creds, "hris_employees", frozenset({"work_location_id"}))
        for record in page
    }
    locations = {
        record["remote_id"]: record
        for page in tool.fetch(creds, "hris_locations", frozenset({"name", "type", "address"}))
        for record in page
    }

    assert employees[person.id]["work_location_id"] == BERLIN
    assert employees[fake_hibob.employees[0].id]["work_location_id"] == "301100"
    assert set(locations) == {"301100", "301101", "301102", BERLIN}
    # A site is a list item: its name, nothing HiBob does not have.
    assert locations[BERLIN] == {
        "remote_id": BERLIN,
        "name": "Berlin",
        "type": None,
        "address": None,
    }

"""BambooHR fidelity: archived list options still name the group or location of the people in
them.

Expectations: reference/metadata-get-details-for-list-fields (`GET /v1/meta/lists`): each list
field's options carry `archived: "yes" | "no"` (and an `archivedDate`); archiving is how an
option is "removed" from the current values (Create or Update List Field Values, official SDK
BambooHR/bhr-api-python docs/AccountInformationApi.md), while employee rows keep naming it. The
`location` list is BambooHR's work locations; departments and divisions its groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.read_models import HRIS_GROUPS, HRIS_LOCATIONS
from integrations.tools.bamboohr import BambooHrTool
from tests.support.fakes.bamboohr import ListOption

if TYPE_CHECKING:
    from tests.support.fakes.bamboohr import FakeBambooHr

tool = BambooHrTool()


def creds(fake: FakeBambooHr) -> dict[str, str]:
    return {"companyDomain": "acme", "apiKey": fake.issue_key("acme")}


def employee(fake: FakeBambooHr, remote_id: str, fields: set[str]) -> dict[str, object]:
    pages = tool.fetch(creds(fake), "hris_employees", frozenset(fields))
    return next(record for page in pages for record in page if record["remote_id"] == remote_id)


def test_it_keeps_a_person_in_their_archived_department(fake_bamboohr: FakeBambooHr) -> None:
    groups = [
        g
        for page in tool.fetch(creds(fake_bamboohr), "hris_teams", frozenset(HRIS_GROUPS.fields))
        for g in page
    ]

    assert {
        "remote_id": "department:22",
        "name": "Legacy Operations",
        "type": "DEPARTMENT",
    } in groups
    assert employee(fake_bamboohr, "7", {"groups"})["groups"] == ["department:22", "division:31"]


def test_it_reads_work_locations_archived_ones_too(fake_bamboohr: FakeBambooHr) -> None:
    pages = list(
        tool.fetch(creds(fake_bamboohr), "hris_locations", frozenset(HRIS_LOCATIONS.fields))
    )

    assert pages == [
        [
            {"remote_id": "location:51", "name": "Berlin"},
            {"remote_id": "location:52", "name": "Madrid"},
            {"remote_id": "location:53", "name": "Lisbon"},
        ]
    ]
    assert employee(fake_bamboohr, "7", {"work_location_id"})["work_location_id"] == "location:53"
    assert employee(fake_bamboohr, "2", {"work_location_id"})["work_location_id"] == "location:52"


def test_it_prefers_the_current_option_when_an_archived_one_has_the_same_name(
    fake_bamboohr: FakeBambooHr,
) -> None:
    departments = fake_bamboohr.companies["acme"].lists[0]
    departments.options.insert(0, ListOption(17, "Engineering", archived=True))

    assert employee(fake_bamboohr, "2", {"groups"})["groups"] == ["department:19", "division:31"]

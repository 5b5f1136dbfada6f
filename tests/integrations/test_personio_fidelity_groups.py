"""Personio groups: v1 lists no departments or org units, so they come from the employees.

Sources: the OpenAPI file `personio-personnel-data-api-oa3.yaml` of github.com/personio/api-docs
(the Personnel Data API v1 has no departments, teams or org-units path; `department`, `team` and
`cost_centers` are employee attributes naming `{"id", "name"}` only, no parent) and Kombo's
Personio page (docs.kombo.dev/hris/connectors/personio: no endpoint listing all groups). The
org-units listing exists only in the separate v2 API. So a department nobody belongs to is not
seen and no hierarchy is known; this is the documented limit, kept and pinned here.
"""

from __future__ import annotations

from integrations.read_models import READ_MODELS
from integrations.tools.base import Coverage
from integrations.tools.personio import PersonioTool
from tests.support.fakes.personio import FakePersonio

tool = PersonioTool()


def test_it_reads_groups_named_by_employees_and_no_hierarchy(fake_personio: FakePersonio) -> None:
    # Customer Support loses its last member.
    for employee in fake_personio.employees:
        if (
            employee.values["department"]
            and employee.values["department"]["attributes"]["id"] == 1005
        ):
            employee.values["department"] = None
    creds = fake_personio.credential_create()

    groups = {
        r["remote_id"]: r
        for page in tool.fetch(creds, "hris_teams", frozenset(READ_MODELS["hris_teams"].fields))
        for r in page
    }

    departments = {g["name"] for g in groups.values() if g["type"] == "DEPARTMENT"}
    assert departments == {"Geschäftsführung", "Engineering", "People & Culture", "Sales"}
    assert all("parent_id" not in group for group in groups.values())
    assert PersonioTool.models["hris_teams"].field_support("parent_id").coverage == (
        Coverage.UNSUPPORTED
    )

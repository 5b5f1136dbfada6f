"""BambooHR fidelity: which employee fields an API key may read.

What the docs say: docs/getting-started ("the permissions of the user associated with the API
request will determine which fields and employees each API request is allowed to view") and
reference/get-data-from-dataset-v2, whose documented answer is `{data: [{...fields}], links,
meta}`: it names no marker for a field the user may not view (`_restrictedFields` is documented
for another endpoint only). The catalogue of the dataset's fields (Get Fields from Dataset) is
not said to depend on the user either.

The fallback chosen (see the connector's package docstring): a field counts as granted when the
company's dataset lists it; one the user may not view reads as empty, never as an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.tools.bamboohr import BambooHrTool
from integrations.tools.base import AuthOutcome

if TYPE_CHECKING:
    from tests.support.fakes.bamboohr import FakeBambooHr

tool = BambooHrTool()


def test_it_grants_a_field_the_dataset_lists_even_if_the_user_may_not_view_it(
    fake_bamboohr: FakeBambooHr,
) -> None:
    key = fake_bamboohr.issue_key("acme", hidden=("dateOfBirth", "homeEmail"))

    result = tool.check_auth({"companyDomain": "acme", "apiKey": key})

    assert result.outcome == AuthOutcome.OK
    assert {"field:dateOfBirth", "field:homeEmail"} <= result.granted_permissions


def test_it_reads_a_field_the_user_may_not_view_as_empty(fake_bamboohr: FakeBambooHr) -> None:
    key = fake_bamboohr.issue_key("acme", hidden=("dateOfBirth", "homeEmail"))
    fields = frozenset({"first_name", "date_of_birth", "personal_email"})

    pages = list(tool.fetch({"companyDomain": "acme", "apiKey": key}, "hris_employees", fields))

    records = {record["remote_id"]: record for page in pages for record in page}
    assert records["2"] == {
        "remote_id": "2",
        "first_name": "José",
        "date_of_birth": None,
        "personal_email": None,
    }


def test_it_does_not_grant_a_field_the_companys_dataset_lacks(fake_bamboohr: FakeBambooHr) -> None:
    key = fake_bamboohr.issue_key("globex")

    result = tool.check_auth({"companyDomain": "globex", "apiKey": key})

    assert "field:homeEmail" not in result.granted_permissions
    assert "field:firstName" in result.granted_permissions
    gaps = tool.permission_gaps(
        model_id="hris_employees", field_ids=["personal_email"], granted=result.granted_permissions
    )
    assert [gap.message for gap in gaps] == [
        "BambooHR: the API key's user cannot read field 'homeEmail'"
    ]

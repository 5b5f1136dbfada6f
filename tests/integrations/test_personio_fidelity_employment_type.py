"""The employment type comes from Personio's `employment_type` attribute, then the hours.

Source: the OpenAPI file `personio-personnel-data-api-oa3.yaml` (github.com/personio/api-docs):
`employment_type` is a standard attribute with the values `internal` and `external` (example
responses of "List Company Employees", `/reference/get_company-employees`); Kombo's Personio page
(docs.kombo.dev/hris/connectors/personio) infers full or part time from the working hours.
Unified enum: the `kombo` SDK's employment type (FULL_TIME, PART_TIME, CONTRACT, ...).
"""

from __future__ import annotations

from integrations.tools.personio import PersonioTool
from tests.support.fakes.personio import CHLOE, JOSE, LI_LEI, ZOE, FakePersonio

tool = PersonioTool()
WANTED = frozenset({"employment_type"})


def _types(fake: FakePersonio) -> dict[str, str | None]:
    creds = fake.credential_create()
    return {
        r["remote_id"]: r["employment_type"]
        for page in tool.fetch(creds, "hris_employees", WANTED)
        for r in page
    }


def test_it_reads_an_external_employee_as_a_contractor_whatever_the_hours(
    fake_personio: FakePersonio,
) -> None:
    fake_personio.employee(JOSE).values["employment_type"] = "external"
    fake_personio.employee(CHLOE).values["employment_type"] = "some-new-kind"

    types = _types(fake_personio)

    assert types[str(JOSE)] == "CONTRACT"
    # An internal employee: full or part time by the weekly hours (40 and 20).
    assert types[str(ZOE)] == "FULL_TIME"
    assert types[str(LI_LEI)] == "PART_TIME"
    # A value Personio has not documented is not guessed at.
    assert types[str(CHLOE)] is None


def test_it_names_the_employment_type_attribute_as_what_it_needs(
    fake_personio: FakePersonio,
) -> None:
    readable = {"weekly_working_hours"}
    result = tool.check_auth(fake_personio.credential_create(readable_attributes=readable))

    gaps = tool.permission_gaps(
        model_id="hris_employees", field_ids=["employment_type"], granted=result.granted_permissions
    )

    assert [(gap.permission, gap.message) for gap in gaps] == [
        (
            "attribute:employment_type",
            "Personio: the API credential cannot read attribute 'employment_type'",
        )
    ]

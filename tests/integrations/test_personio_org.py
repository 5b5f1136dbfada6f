"""Personio work locations, legal entities and employments, read over HTTP from the fake.

Sources: the OpenAPI file `personio-personnel-data-api-oa3.yaml` of github.com/personio/api-docs
and "List Company Employees" (developer.personio.de `/reference/get_company-employees`): the
`office` and `subcompany` attributes are `{"type": "Office"|"Subcompany", "attributes": {"id",
"name"}}` (no address, and v1 lists neither apart from the employees); the salary attributes are
`fix_salary` (decimal), `fix_salary_interval` (`monthly`) and `hourly_salary` (decimal), with no
currency. Unified shapes: the `kombo` SDK's `GetHrisLocationsPositiveResponse`,
`GetHrisLegalEntitiesPositiveResponse` and `GetHrisEmploymentsPositiveResponse` results.
"""

from __future__ import annotations

from typing import Any

from integrations.read_models import READ_MODELS
from integrations.tools.base import Coverage, Page
from integrations.tools.personio import PersonioTool
from tests.support.fakes.personio import (
    JOSE,
    LI_LEI,
    NOA,
    OFFICES,
    SUBCOMPANIES,
    ZOE,
    FakePersonio,
)

tool = PersonioTool()


def _all(model_id: str) -> frozenset[str]:
    return frozenset(READ_MODELS[model_id].stored_fields)


def records_of(pages: list[Page]) -> dict[str, dict[str, Any]]:
    return {record["remote_id"]: record for page in pages for record in page}


def test_it_reads_each_office_once_as_a_work_location(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    pages = list(PersonioTool(page_size=15).fetch(creds, "hris_locations", _all("hris_locations")))

    locations = records_of(pages)
    assert sum(len(page) for page in pages) == len(locations) == len(OFFICES)
    assert locations["4001"] == {"remote_id": "4001", "name": "München"}
    employees = records_of(
        list(tool.fetch(creds, "hris_employees", frozenset({"work_location_id"})))
    )
    assert {e["work_location_id"] for e in employees.values()} - {None} == set(locations)


def test_it_reads_each_subcompany_once_as_a_legal_entity(fake_personio: FakePersonio) -> None:
    creds = fake_personio.credential_create()

    entities = records_of(
        list(tool.fetch(creds, "hris_legal_entities", _all("hris_legal_entities")))
    )

    assert entities == {
        str(key): {"remote_id": str(key), "name": name} for key, name in SUBCOMPANIES.items()
    }
    employees = records_of(
        list(tool.fetch(creds, "hris_employees", frozenset({"legal_entity_id"})))
    )
    assert employees[str(JOSE)]["legal_entity_id"] == "5002"


def test_it_declares_addresses_and_currency_unsupported() -> None:
    models = PersonioTool.models

    assert models["hris_locations"].field_support("address").coverage == Coverage.UNSUPPORTED
    assert models["hris_legal_entities"].field_support("address").coverage == Coverage.UNSUPPORTED
    employments = models["hris_employments"]
    for field_id in ("pay_currency", "pay_frequency", "effective_date"):
        assert employments.field_support(field_id).coverage == Coverage.UNSUPPORTED
    assert tool.permissions_needed("hris_employments", ["pay_rate", "pay_period"]) == {
        "employees:read",
        "attribute:fix_salary",
        "attribute:fix_salary_interval",
    }


def test_it_reads_one_employment_per_employee_from_the_salary_attributes(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create()

    employments = records_of(list(tool.fetch(creds, "hris_employments", _all("hris_employments"))))

    assert len(employments) == len(fake_personio.employees)
    assert employments[str(ZOE)] == {
        "remote_id": str(ZOE),
        "employee_id": str(ZOE),
        "job_title": "Geschäftsführerin",
        "pay_rate": 9500.0,
        "pay_period": "MONTH",
        "employment_type": "FULL_TIME",
    }
    assert (employments[str(JOSE)]["pay_rate"], employments[str(JOSE)]["pay_period"]) == (
        98000.0,
        "YEAR",
    )
    # Paid by the hour, 20 hours a week.
    li_lei = employments[str(LI_LEI)]
    assert (li_lei["pay_rate"], li_lei["pay_period"], li_lei["employment_type"]) == (
        21.5,
        "HOUR",
        "PART_TIME",
    )
    # No salary recorded: nothing made up.
    assert (employments[str(NOA)]["pay_rate"], employments[str(NOA)]["pay_period"]) == (None, None)


def test_it_leaves_salary_empty_when_the_attributes_are_not_whitelisted(
    fake_personio: FakePersonio,
) -> None:
    creds = fake_personio.credential_create(readable_attributes={"position"})

    result = tool.check_auth(creds)
    gaps = tool.permission_gaps(
        model_id="hris_employments",
        field_ids=["job_title", "pay_rate"],
        granted=result.granted_permissions,
    )
    employments = records_of(list(tool.fetch(creds, "hris_employments", _all("hris_employments"))))

    assert [gap.field_id for gap in gaps] == ["pay_rate"]
    assert employments[str(ZOE)]["job_title"] == "Geschäftsführerin"
    assert employments[str(ZOE)]["pay_rate"] is None

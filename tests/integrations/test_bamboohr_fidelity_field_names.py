"""BambooHR fidelity: the employee dataset's field names come from the dataset's own field
catalogue, because a name the dataset does not know fails the whole request.

Expectations: reference/get-data-from-dataset-v2 (documentation.bamboohr.com) and the official
SDK (BambooHR/bhr-api-python, docs/DatasetsApi.md): "You must specify a list of fields ... The
list of fields is available here at /api/v1/datasets/{datasetName}/fields" (Get Fields from
Dataset, paged by `pagination.next_page`); an invalid field name is a 400 Bad Request
("Invalid field name"). Field names differ from company to company (custom and optional fields).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import requests

from integrations.read_models import HRIS_EMPLOYEES
from integrations.tools.bamboohr import BambooHrTool

if TYPE_CHECKING:
    from tests.support.fakes.bamboohr import FakeBambooHr

tool = BambooHrTool()


def test_it_is_refused_with_400_for_a_field_the_dataset_does_not_know(
    fake_bamboohr: FakeBambooHr,
) -> None:
    key = fake_bamboohr.issue_key("globex")

    answer = requests.post(
        f"{fake_bamboohr.base_url}/globex/v2/datasets/employee/data",
        json={"fields": ["eeid", "homeEmail"]},
        auth=(key, "x"),
        headers={"Accept": "application/json"},
        timeout=5,
    )

    assert answer.status_code == 400
    assert "homeEmail" in answer.json()["detail"]


def test_it_asks_only_for_fields_the_companys_dataset_lists(fake_bamboohr: FakeBambooHr) -> None:
    creds = {"companyDomain": "globex", "apiKey": fake_bamboohr.issue_key("globex")}

    pages = list(tool.fetch(creds, "hris_employees", frozenset(HRIS_EMPLOYEES.fields)))

    records = {record["remote_id"]: record for page in pages for record in page}
    assert records["1"]["first_name"] == "Hank"
    # Globex's dataset has no home email and no gender: empty, and the rest still read.
    assert (records["1"]["personal_email"], records["1"]["gender"]) == (None, None)
    catalogue_calls = [r for r in fake_bamboohr.requests if r.path.endswith("/employee/fields")]
    assert catalogue_calls
    dataset_calls = [json.loads(r.get_data()) for r in fake_bamboohr.requests if r.method == "POST"]
    asked = {name for call in dataset_calls for name in call["fields"]}
    assert "firstName" in asked
    assert not {"homeEmail", "gender"} & asked


def test_it_reads_the_whole_catalogue_across_its_pages(fake_bamboohr: FakeBambooHr) -> None:
    creds = {"companyDomain": "acme", "apiKey": fake_bamboohr.issue_key("acme")}

    records = {
        record["remote_id"]: record
        for page in tool.fetch(creds, "hris_employees", frozenset({"home_address", "last_name"}))
        for record in page
    }

    # `zipcode` and `country` sit on the catalogue's second page (20 names a page).
    assert records["2"]["home_address"]["zip_code"] == "28014"
    assert records["2"]["home_address"]["country"] == "Spain"
    pages_asked = [
        r.args.get("page") for r in fake_bamboohr.requests if r.path.endswith("/employee/fields")
    ]
    assert pages_asked == ["1", "2"]

"""`GET /tools/HRIS` lists every shipped HR connector with its real coverage (kombo SDK)."""

from __future__ import annotations

import pytest
import requests
from kombo import Kombo
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey
from integrations.read_models import READ_MODELS
from integrations.tools import TOOLS

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lists_every_hr_tool_with_its_coverage(sdk: Kombo) -> None:
    tools = {tool.id: tool for tool in sdk.general.get_tools(category="hris").data.tools}

    assert set(tools) == {
        "sandbox",
        "sandbox_oauth",
        "personio",
        "bamboohr",
        "hibob",
        "gusto",
        "deel",
    }
    assert {tools[t].label for t in tools} == {
        "Sandbox HR",
        "Sandbox HR (OAuth)",
        "Personio",
        "BambooHR",
        "HiBob",
        "Gusto",
        "Deel",
    }
    for tool_id, listed in tools.items():
        connector = TOOLS[tool_id]
        assert listed.assets.logo_url.endswith(f"/static/{connector.logo}")
        for model in listed.coverage.read_models:
            support = connector.model_support(model.id)
            assert model.coverage_status == support.coverage
            assert [field.id for field in model.fields] == list(READ_MODELS[model.id].fields)
            for field in model.fields:
                assert field.coverage_status == support.field_support(field.id).coverage


def test_it_reports_what_each_vendor_really_lacks(sdk: Kombo) -> None:
    tools = {tool.id: tool for tool in sdk.general.get_tools(category="hris").data.tools}

    def coverage(tool_id: str, field_id: str) -> str:
        employees = next(m for m in tools[tool_id].coverage.read_models if m.id == "hris_employees")
        return next(f.coverage_status for f in employees.fields if f.id == field_id)

    for tool_id in ("personio", "bamboohr", "hibob", "gusto", "deel", "sandbox"):
        assert coverage(tool_id, "first_name") == "SUPPORTED"
        assert coverage(tool_id, "start_date") == "SUPPORTED"
    assert coverage("personio", "date_of_birth") == "UNSUPPORTED"
    assert coverage("sandbox", "ethnicity") == "UNSUPPORTED"


def test_it_accepts_the_category_in_either_case(
    live_server: LiveServer, api_key: tuple[ApiKey, str]
) -> None:
    response = requests.get(
        f"{live_server.url}/api/v1/tools/HRIS",
        headers={"Authorization": f"Bearer {api_key[1]}"},
        timeout=10,
    )

    assert response.status_code == 200
    assert len(response.json()["data"]["tools"]) == len(TOOLS)
    for tool in response.json()["data"]["tools"]:
        logo = requests.get(tool["assets"]["logo_url"], timeout=10)
        assert logo.status_code == 200
        assert logo.headers["Content-Type"].startswith("image/svg")

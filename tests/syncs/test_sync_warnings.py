"""Sync warnings, grouped for the operator: one short line per model and missing permission,
in the tool's own words for that permission, with the fields it kept from being read on demand.
The syncs API keeps listing them one sentence each, as before.

Expectations come from what the vendor tells its customers: Sandbox HR's permission
"employees.personal:read" reads "employees' personal data (birth date, gender, private contact,
address)", so a key without it cannot read those five fields; "groups:read" reads
"departments, teams and cost centers", Kombo's groups model.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
import requests
from django.test import Client
from django.urls import reverse

from core.models import ApiKey, Environment
from integrations.read_models import HRIS_EMPLOYEES
from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from syncs.models import Sync, SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import ScopeConfigFactory, sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAL_FIELDS = ["date_of_birth", "gender", "personal_email", "mobile_phone_number"]
PERSONAL_FIELDS += ["home_address"]
PERSONAL_DATA = "Read employees' personal data (birth date, gender, private contact, address)"


def _scope(environment: Environment, enabled: list[str]) -> Any:
    return ScopeConfigFactory(
        environment=environment,
        name="Personal data",
        settings={
            "hris_employees": {
                "setting": "ENABLED",
                "fields": dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED")
                | dict.fromkeys(enabled, "ENABLED"),
            },
            "hris_teams": {
                "setting": "ENABLED",
                "fields": {"name": "ENABLED", "type": "ENABLED", "parent_id": "ENABLED"},
            },
        },
    )


def _synced(environment: Environment, permissions: tuple[str, ...]) -> Sync:
    scope = _scope(environment, ["first_name", "work_email", *PERSONAL_FIELDS])
    setup = sandbox_integration(
        environment=environment, scope_config=scope, permissions=permissions
    )
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type="FULL", trigger=SyncTrigger.OPERATOR
    )
    sync_run(sync_id=sync.pk)
    sync.refresh_from_db()
    return sync


def _warnings_cell(client: Client, sync: Sync) -> str:
    page = client.get(reverse("dashboard:integration_detail", args=[sync.integration_id]))
    assert page.status_code == 200
    section = page.content.decode().split('id="syncs-title"', 1)[1]
    cell = re.search(r'<td class="small sync-outcome"[^>]*>(.*?)</td>', section, re.S)
    assert cell is not None
    return cell.group(1)


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _lines(cell: str) -> list[str]:
    """Each warning line as read before opening any details."""
    closed = re.sub(r'<ul class="warning__fields".*?</ul>', "", cell, flags=re.S)
    return [_text(line) for line in re.findall(r"<li>(.*?)</li>", closed, re.S)]


def _fields_on_demand(cell: str) -> list[list[str]]:
    return [
        re.findall(r"<code>([^<]+)</code>", fields)
        for fields in re.findall(r"</summary>(.*?)</details>", cell, re.S)
    ]


def test_it_groups_the_fields_one_permission_blocks_into_one_line(
    operator_client: Client, sandbox_hr: str, environment: Environment
) -> None:
    sync = _synced(environment, (PERM_EMPLOYEES, PERM_GROUPS))

    cell = _warnings_cell(operator_client, sync)

    assert len(sync.warnings) == 5
    assert _lines(cell) == [f"Employees: 5 fields not readable — needs ‘{PERSONAL_DATA}’"]
    assert [sorted(fields) for fields in _fields_on_demand(cell)] == [sorted(PERSONAL_FIELDS)]


def test_it_says_a_model_is_not_readable_when_its_own_permission_is_missing(
    operator_client: Client, sandbox_hr: str, environment: Environment
) -> None:
    sync = _synced(environment, (PERM_EMPLOYEES,))

    cell = _warnings_cell(operator_client, sync)

    assert _lines(cell) == [
        f"Employees: 5 fields not readable — needs ‘{PERSONAL_DATA}’",
        "Groups: not readable — needs ‘Read departments, teams and cost centers’",
    ]
    assert [sorted(fields) for fields in _fields_on_demand(cell)] == [sorted(PERSONAL_FIELDS)]


def test_it_shows_warnings_stored_as_sentences_as_they_were(
    operator_client: Client, environment: Environment
) -> None:
    setup_sync = Sync.objects.create(
        integration=sandbox_integration(environment=environment).integration,
        type="FULL",
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.PARTIALLY_FAILED,
        warnings=["Not all permissions are granted: hris_employees.ssn needs employees:sensitive"],
    )

    cell = _warnings_cell(operator_client, setup_sync)

    assert _text(cell) == (
        "Not all permissions are granted: hris_employees.ssn needs employees:sensitive"
    )


def test_it_keeps_the_apis_warnings_one_sentence_each(
    live_server: Any,
    sandbox_hr: str,
    environment: Environment,
    api_key: tuple[ApiKey, str],
) -> None:
    """Our syncs API (not Kombo's) is stable: `warnings` stays a list of strings."""
    sync = _synced(environment, (PERM_EMPLOYEES,))
    older = Sync.objects.create(
        integration=sync.integration,
        type="FULL",
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.PARTIALLY_FAILED,
        warnings=["Not all permissions are granted: hris_employees.ssn needs employees:sensitive"],
    )
    headers = {"Authorization": f"Bearer {api_key[1]}"}

    body = requests.get(
        f"{live_server.url}/api/v1/syncs/{sync.pk}", headers=headers, timeout=10
    ).json()
    older_body = requests.get(
        f"{live_server.url}/api/v1/syncs/{older.pk}", headers=headers, timeout=10
    ).json()

    warnings = body["data"]["warnings"]
    assert len(warnings) == 6
    assert all(isinstance(warning, str) for warning in warnings)
    assert (
        "Not all permissions are granted: Sandbox HR: the credentials cannot read field "
        "'date_of_birth' (needs 'employees.personal:read')."
    ) in warnings
    assert (
        "Not all permissions are granted: Sandbox HR: the credentials lack the permission "
        "'groups:read' to read hris_teams."
    ) in warnings
    assert older_body["data"]["warnings"] == [
        "Not all permissions are granted: hris_employees.ssn needs employees:sensitive"
    ]

"""Syncing work locations, legal entities and employment history through the real `sandbox`
connector from the live Sandbox HR, and the employees' references to them.

Expected shapes come from the `kombo` SDK's `GetHrisLocationsPositiveResponseResult` (address
with `street_1`, `zip_code`, an ISO 3166-1 alpha-2 `country` and the `raw` address string),
`GetHrisLegalEntitiesPositiveResponseResult` and `GetHrisEmploymentsPositiveResponseResult`
(pay_period YEAR/MONTH/HOUR..., pay_frequency MONTHLY/BIWEEKLY..., employment_type FULL_TIME...,
ISO 4217 `pay_currency`); Sandbox HR's permissions for them are `org:read` and
`compensation:read`.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Environment
from integrations.read_models import READ_MODELS
from integrations.tools.sandbox import PERM_COMPENSATION, PERM_ORG
from sandbox_hr.models import (
    SandboxEmployee,
    SandboxEmployment,
    SandboxLegalEntity,
    SandboxLocation,
)
from syncs.models import (
    Employee,
    Employment,
    LegalEntity,
    Sync,
    SyncState,
    SyncTrigger,
    WorkLocation,
)
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import (
    ALL_PERMISSIONS,
    SandboxSetup,
    ScopeConfigFactory,
    sandbox_integration,
)

pytestmark = pytest.mark.django_db(transaction=True)

ORG_MODELS = ("hris_locations", "hris_legal_entities")
PAY_PERIODS = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}
PAY_FREQUENCIES = {"monthly": "MONTHLY", "biweekly": "BIWEEKLY", "weekly": "WEEKLY"}


def _synced(environment: Environment, permissions: tuple[str, ...]) -> tuple[SandboxSetup, Sync]:
    scope = ScopeConfigFactory(
        environment=environment,
        name="Organization",
        settings={
            model_id: {
                "setting": "ENABLED",
                "fields": dict.fromkeys(READ_MODELS[model_id].fields, "ENABLED"),
            }
            for model_id in ("hris_employees", "hris_employments", *ORG_MODELS)
        },
    )
    setup = sandbox_integration(
        environment=environment, scope_config=scope, permissions=permissions, employees=8
    )
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type="FULL", trigger=SyncTrigger.OPERATOR
    )
    sync_run(sync_id=sync.pk)
    sync.refresh_from_db()
    return setup, sync


def test_it_syncs_work_locations_with_their_addresses(
    sandbox_hr: str, environment: Environment
) -> None:
    setup, sync = _synced(environment, ALL_PERMISSIONS)

    assert sync.state == SyncState.SUCCEEDED
    rows = {r.remote_id: r.data for r in WorkLocation.objects.filter(integration=setup.integration)}
    vendor = {loc.pk: loc for loc in SandboxLocation.objects.filter(account=setup.account)}
    assert set(rows) == set(vendor)
    berlin = next(data for data in rows.values() if data["name"] == "Berlin HQ")
    assert berlin["type"] == "office"
    assert berlin["address"] == {
        "street_1": "Torstraße 109",
        "street_2": None,
        "city": "Berlin",
        "state": None,
        "zip_code": "10119",
        "country": "DE",
        "raw": "Torstraße 109, 10119 Berlin, DE",
    }
    remote = next(data for data in rows.values() if data["type"] == "remote")
    assert remote["address"] is None


def test_it_syncs_legal_entities(sandbox_hr: str, environment: Environment) -> None:
    setup, _ = _synced(environment, ALL_PERMISSIONS)

    rows = {r.remote_id: r.data for r in LegalEntity.objects.filter(integration=setup.integration)}
    vendor = {e.pk: e.name for e in SandboxLegalEntity.objects.filter(account=setup.account)}
    assert {remote_id: data["name"] for remote_id, data in rows.items()} == vendor
    assert sorted(data["address"]["country"] for data in rows.values()) == ["DE", "NL"]


def test_it_syncs_the_employment_history_with_pay(
    sandbox_hr: str, environment: Environment
) -> None:
    setup, _ = _synced(environment, ALL_PERMISSIONS)

    rows = {r.remote_id: r.data for r in Employment.objects.filter(integration=setup.integration)}
    vendor = list(SandboxEmployment.objects.filter(account=setup.account))
    assert set(rows) == {e.pk for e in vendor}
    for employment in vendor:
        data = rows[employment.pk]
        assert data["employee_id"] == employment.employee_id
        assert data["job_title"] == employment.job_title
        assert data["pay_rate"] == float(employment.pay_rate)
        assert data["pay_currency"] == "EUR"
        assert data["pay_period"] == PAY_PERIODS[employment.pay_period]
        assert data["pay_frequency"] == PAY_FREQUENCIES[employment.pay_frequency]
        assert data["effective_date"] == employment.effective_date.isoformat()
        assert data["employment_type"] in {
            "FULL_TIME",
            "PART_TIME",
            "CONTRACT",
            "INTERNSHIP",
            "FREELANCE",
        }


def test_it_links_employees_to_their_location_and_legal_entity(
    sandbox_hr: str, environment: Environment
) -> None:
    setup, _ = _synced(environment, ALL_PERMISSIONS)

    rows = {r.remote_id: r.data for r in Employee.objects.filter(integration=setup.integration)}
    for employee in SandboxEmployee.objects.filter(account=setup.account):
        assert employee.location_id is not None
        assert rows[employee.pk]["work_location_id"] == employee.location_id
        assert rows[employee.pk]["legal_entity_id"] == employee.legal_entity_id


@pytest.mark.parametrize(
    ("missing", "models"),
    [(PERM_ORG, ORG_MODELS), (PERM_COMPENSATION, ("hris_employments",))],
)
def test_it_warns_about_a_missing_permission_and_still_syncs_employees(
    sandbox_hr: str, environment: Environment, missing: str, models: tuple[str, ...]
) -> None:
    setup, sync = _synced(environment, tuple(p for p in ALL_PERMISSIONS if p != missing))

    assert sync.state == SyncState.SUCCEEDED
    assert {w["model_id"] for w in sync.warnings if w["permission"] == missing} == set(models)
    assert Employee.objects.filter(integration=setup.integration).count() == 8
    unified: dict[str, Any] = {
        "hris_locations": WorkLocation,
        "hris_legal_entities": LegalEntity,
        "hris_employments": Employment,
    }
    for model_id in models:
        assert not unified[model_id].objects.filter(integration=setup.integration).exists()

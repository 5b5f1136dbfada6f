"""`GET /sandbox-hr/api/v1/employments`: every employee's employment history (job title,
employment type and pay from a date on), with `compensation:read`.

The contract is Sandbox HR's own (`integrations.tools.sandbox`'s docstring): cursor pages of
`{"data", "next_cursor"}`, `limit`, `updated_since`, and a 403 `missing_permission` body.
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox_hr.models import (
    PERM_COMPENSATION,
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxEmployee,
    SandboxEmployment,
)
from sandbox_hr.services import sandbox_account_create
from tests.support.sandbox_api import (
    assert_pages_serve_every_record,
    assert_refused_without,
    assert_updated_since_filters,
    key_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=8, seed=7)


def test_it_serves_every_employment_across_pages(live_server: Any, account: SandboxAccount) -> None:
    pages = assert_pages_serve_every_record(
        live_server,
        "employments",
        key_for(account, PERM_COMPENSATION),
        SandboxEmployment,
        account,
    )

    records = [record for page in pages for record in page]
    employees = set(SandboxEmployee.objects.filter(account=account).values_list("pk", flat=True))
    assert {record["employee_id"] for record in records} == employees


def test_it_serves_an_employment_as_stored(live_server: Any, account: SandboxAccount) -> None:
    employment = SandboxEmployment.objects.filter(account=account).order_by("pk").first()
    assert employment is not None

    pages = assert_pages_serve_every_record(
        live_server,
        "employments",
        key_for(account, PERM_COMPENSATION),
        SandboxEmployment,
        account,
    )

    served = next(r for page in pages for r in page if r["id"] == employment.pk)
    assert served == {
        "id": employment.pk,
        "employee_id": employment.employee_id,
        "job_title": employment.job_title,
        "employment_type": employment.employment_type,
        "pay_rate": float(employment.pay_rate),
        "pay_currency": "EUR",
        "pay_period": employment.pay_period,
        "pay_frequency": employment.pay_frequency,
        "effective_date": employment.effective_date.isoformat(),
        "updated_at": employment.updated_at.isoformat(),
    }


def test_it_returns_only_employments_updated_since(
    live_server: Any, account: SandboxAccount
) -> None:
    assert_updated_since_filters(
        live_server,
        "employments",
        key_for(account, PERM_COMPENSATION),
        SandboxEmployment,
        account,
    )


def test_it_refuses_a_key_without_compensation_read(
    live_server: Any, account: SandboxAccount
) -> None:
    others = [p for p in SANDBOX_PERMISSIONS if p != PERM_COMPENSATION]
    assert_refused_without(live_server, "employments", account, PERM_COMPENSATION, *others)

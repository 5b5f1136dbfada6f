"""`GET /sandbox-hr/api/v1/time-off-balances`: what time off each employee has left per
absence type, with `absences:read`.

The contract is Sandbox HR's own (`integrations.tools.sandbox`'s docstring): cursor pages of
`{"data", "next_cursor"}`, `limit`, `updated_since`, and a 403 `missing_permission` body.
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox_hr.models import (
    PERM_ABSENCES,
    SANDBOX_PERMISSIONS,
    SandboxAbsenceType,
    SandboxAccount,
    SandboxEmployee,
    SandboxTimeOffBalance,
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
    return sandbox_account_create(name="Acme GmbH", employees=4, seed=7)


def test_it_serves_one_balance_per_employee_and_type(
    live_server: Any, account: SandboxAccount
) -> None:
    pages = assert_pages_serve_every_record(
        live_server,
        "time-off-balances",
        key_for(account, PERM_ABSENCES),
        SandboxTimeOffBalance,
        account,
    )

    pairs = [(r["employee_id"], r["type_id"]) for page in pages for r in page]
    employees = SandboxEmployee.objects.filter(account=account).values_list("pk", flat=True)
    types = SandboxAbsenceType.objects.filter(account=account).values_list("pk", flat=True)
    assert sorted(pairs) == sorted((e, t) for e in employees for t in types)


def test_it_serves_the_balance_left_and_used(live_server: Any, account: SandboxAccount) -> None:
    vacation = SandboxTimeOffBalance.objects.filter(account=account, type__name="Vacation").first()
    assert vacation is not None

    pages = assert_pages_serve_every_record(
        live_server,
        "time-off-balances",
        key_for(account, PERM_ABSENCES),
        SandboxTimeOffBalance,
        account,
    )

    served = next(r for page in pages for r in page if r["id"] == vacation.pk)
    assert served["balance"] == float(vacation.balance)
    assert served["used"] == float(vacation.used)
    assert served["unit"] == "days"


def test_it_returns_only_balances_updated_since(live_server: Any, account: SandboxAccount) -> None:
    assert_updated_since_filters(
        live_server,
        "time-off-balances",
        key_for(account, PERM_ABSENCES),
        SandboxTimeOffBalance,
        account,
    )


def test_it_refuses_a_key_without_absences_read(live_server: Any, account: SandboxAccount) -> None:
    others = [p for p in SANDBOX_PERMISSIONS if p != PERM_ABSENCES]
    assert_refused_without(live_server, "time-off-balances", account, PERM_ABSENCES, *others)

"""`GET /sandbox-hr/api/v1/absence-types`: an account's kinds of absence, with
`absences:read`.

The contract is Sandbox HR's own (`integrations.tools.sandbox`'s docstring): cursor pages of
`{"data", "next_cursor"}`, `limit`, `updated_since`, and a 403 `missing_permission` body.
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox_hr.models import PERM_ABSENCES, SANDBOX_PERMISSIONS, SandboxAbsenceType, SandboxAccount
from sandbox_hr.services import sandbox_account_create
from tests.support.sandbox_api import (
    all_pages,
    assert_pages_serve_every_record,
    assert_refused_without,
    assert_updated_since_filters,
    key_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=3, seed=7)


def test_it_serves_every_absence_type_across_pages(
    live_server: Any, account: SandboxAccount
) -> None:
    assert_pages_serve_every_record(
        live_server, "absence-types", key_for(account, PERM_ABSENCES), SandboxAbsenceType, account
    )


def test_it_serves_each_types_unit_and_half_days(live_server: Any, account: SandboxAccount) -> None:
    records = all_pages(live_server, "absence-types", key_for(account, PERM_ABSENCES))[0]

    by_name = {r["name"]: (r["unit"], r["half_days_allowed"]) for r in records}
    assert by_name["Vacation"] == ("days", True)
    assert by_name["Sick leave"] == ("days", False)
    assert by_name["Overtime compensation"] == ("hours", False)


def test_it_returns_only_absence_types_updated_since(
    live_server: Any, account: SandboxAccount
) -> None:
    assert_updated_since_filters(
        live_server, "absence-types", key_for(account, PERM_ABSENCES), SandboxAbsenceType, account
    )


def test_it_refuses_a_key_without_absences_read(live_server: Any, account: SandboxAccount) -> None:
    others = [p for p in SANDBOX_PERMISSIONS if p != PERM_ABSENCES]
    assert_refused_without(live_server, "absence-types", account, PERM_ABSENCES, *others)

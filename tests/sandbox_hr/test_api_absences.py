"""`GET /sandbox-hr/api/v1/absences`: every employee's absences, with `absences:read`.

The contract is Sandbox HR's own (`integrations.tools.sandbox`'s docstring): cursor pages of
`{"data", "next_cursor"}`, `limit`, `updated_since`, and a 403 `missing_permission` body.
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox_hr.models import PERM_ABSENCES, SANDBOX_PERMISSIONS, SandboxAbsence, SandboxAccount
from sandbox_hr.services import sandbox_account_create, sandbox_employees_add
from tests.support.sandbox_api import (
    assert_pages_serve_every_record,
    assert_refused_without,
    assert_updated_since_filters,
    key_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=6, seed=7)


def test_it_serves_every_absence_across_pages(live_server: Any, account: SandboxAccount) -> None:
    assert_pages_serve_every_record(
        live_server, "absences", key_for(account, PERM_ABSENCES), SandboxAbsence, account
    )


def test_it_serves_an_absence_as_stored(live_server: Any, account: SandboxAccount) -> None:
    absence = SandboxAbsence.objects.filter(account=account).order_by("pk").first()
    assert absence is not None

    pages = assert_pages_serve_every_record(
        live_server, "absences", key_for(account, PERM_ABSENCES), SandboxAbsence, account
    )

    served = next(r for page in pages for r in page if r["id"] == absence.pk)
    assert served == {
        "id": absence.pk,
        "employee_id": absence.employee_id,
        "type_id": absence.type_id,
        "start_date": absence.start_date.isoformat(),
        "end_date": absence.end_date.isoformat(),
        "start_half_day": absence.start_half_day,
        "end_half_day": absence.end_half_day,
        "amount": float(absence.amount),
        "unit": absence.unit,
        "status": absence.status,
        "note": absence.note,
        "created_at": absence.created_at.isoformat(),
        "updated_at": absence.updated_at.isoformat(),
    }


def test_it_serves_the_absences_of_employees_hired_later(
    live_server: Any, account: SandboxAccount
) -> None:
    sandbox_employees_add(account=account, count=4)

    assert_pages_serve_every_record(
        live_server, "absences", key_for(account, PERM_ABSENCES), SandboxAbsence, account
    )


def test_it_returns_only_absences_updated_since(live_server: Any, account: SandboxAccount) -> None:
    assert_updated_since_filters(
        live_server, "absences", key_for(account, PERM_ABSENCES), SandboxAbsence, account
    )


def test_it_refuses_a_key_without_absences_read(live_server: Any, account: SandboxAccount) -> None:
    others = [p for p in SANDBOX_PERMISSIONS if p != PERM_ABSENCES]
    assert_refused_without(live_server, "absences", account, PERM_ABSENCES, *others)

"""Each company sees only its own Sandbox HR: a user of one account never sees another
account's employees or keys, and cannot revoke another account's key by guessing its id (what
any multi-tenant HR system promises its customers)."""

from __future__ import annotations

import pytest
from django.test import Client

from sandbox_hr.models import SandboxAccount, SandboxApiKey, SandboxUser
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def globex() -> SandboxAccount:
    return sandbox_account_create(name="Globex Corporation", employees=6, seed=11)


@pytest.fixture
def initech() -> SandboxAccount:
    return sandbox_account_create(name="Initech AG", employees=6, seed=12)


@pytest.fixture
def globex_admin(client: Client, globex: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(account=globex, email="hank@globex.example")
    sandbox_sign_in(client, user)
    return user


@pytest.fixture
def initech_key(initech: SandboxAccount) -> tuple[SandboxApiKey, str]:
    return sandbox_api_key_create(
        account=initech, name="Initech payroll export", permissions=ALL_PERMISSIONS
    )


def test_it_lists_only_the_accounts_own_employees(
    client: Client, globex_admin: SandboxUser, initech: SandboxAccount
) -> None:
    html = client.get("/sandbox-hr/employees/").content.decode()

    for employee in globex_admin.account.employees.all():
        assert employee.employee_number in html
        assert employee.email in html
    for employee in initech.employees.all():
        assert employee.email not in html
    assert "Initech" not in html


def test_it_lists_only_the_accounts_own_keys(
    client: Client, globex_admin: SandboxUser, initech_key: tuple[SandboxApiKey, str]
) -> None:
    sandbox_api_key_create(
        account=globex_admin.account, name="Globex analytics", permissions=ALL_PERMISSIONS
    )
    key, _ = initech_key

    html = client.get("/sandbox-hr/settings/api-keys/").content.decode()

    assert "Globex analytics" in html
    assert "Initech payroll export" not in html
    assert key.prefix not in html


def test_it_cannot_revoke_another_accounts_key_by_its_id(
    client: Client, globex_admin: SandboxUser, initech_key: tuple[SandboxApiKey, str]
) -> None:
    key, raw_key = initech_key
    url = f"/sandbox-hr/settings/api-keys/{key.pk}/revoke/"

    confirmation = client.get(url)
    attempt = client.post(url)

    assert confirmation.status_code == 404
    assert "Initech payroll export" not in confirmation.content.decode()
    assert attempt.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
    me = client.get("/sandbox-hr/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert me.status_code == 200

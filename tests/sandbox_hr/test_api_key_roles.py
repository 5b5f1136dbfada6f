"""Only administrators manage API keys: the hosted form's guide says "Sign in to Sandbox HR as
an administrator", so an employee's login must not create or revoke one."""

from __future__ import annotations

import pytest
from django.test import Client

from sandbox_hr.models import (
    SandboxAccount,
    SandboxApiKey,
    SandboxUser,
    SandboxUserRole,
)
from sandbox_hr.services import (
    ApiKeyManagementDeniedError,
    sandbox_account_create,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
)
from tests.support.factories import ALL_PERMISSIONS, SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db

ONLY_ADMINS = "Only administrators can manage API keys"


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=3, seed=2)


@pytest.fixture
def employee(client: Client, account: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(
        account=account, email="jonas@acme.example", role=SandboxUserRole.EMPLOYEE
    )
    sandbox_sign_in(client, user)
    return user


@pytest.fixture
def key(account: SandboxAccount) -> SandboxApiKey:
    key, _ = sandbox_api_key_create(account=account, name="kombo", permissions=ALL_PERMISSIONS)
    return key


def test_it_shows_an_employee_the_employees_and_says_who_manages_keys(
    client: Client, employee: SandboxUser
) -> None:
    assert client.get("/sandbox-hr/employees/").status_code == 200

    settings_page = client.get("/sandbox-hr/settings/").content.decode()

    assert "Only administrators can create or revoke API keys." in settings_page


@pytest.mark.parametrize(
    "path", ["/sandbox-hr/settings/api-keys/", "/sandbox-hr/settings/api-keys/new/"]
)
def test_it_refuses_an_employee_the_api_key_pages(
    client: Client, employee: SandboxUser, key: SandboxApiKey, path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 403
    html = response.content.decode()
    assert ONLY_ADMINS in html
    assert key.prefix not in html


def test_it_lets_an_employee_neither_create_nor_revoke_a_key(
    client: Client, employee: SandboxUser, key: SandboxApiKey
) -> None:
    created = client.post(
        "/sandbox-hr/settings/api-keys/new/", {"name": "mine", "permissions": ALL_PERMISSIONS}
    )
    revoked = client.post(f"/sandbox-hr/settings/api-keys/{key.pk}/revoke/")

    assert created.status_code == 403
    assert "sbx_" not in created.content.decode()
    assert revoked.status_code == 403
    assert list(SandboxApiKey.objects.values_list("name", "revoked_at")) == [("kombo", None)]


def test_it_refuses_key_changes_by_an_employee_or_another_account_in_the_service_too(
    account: SandboxAccount, key: SandboxApiKey
) -> None:
    employee = SandboxUserFactory(account=account, role=SandboxUserRole.EMPLOYEE)
    stranger = SandboxUserFactory(account=sandbox_account_create(name="Other", employees=0))

    for user in (employee, stranger):
        with pytest.raises(ApiKeyManagementDeniedError):
            sandbox_api_key_create(account=account, name="x", permissions=[], created_by=user)
        with pytest.raises(ApiKeyManagementDeniedError):
            sandbox_api_key_revoke(key=key, revoked_by=user)

    key.refresh_from_db()
    assert key.revoked_at is None
    assert SandboxApiKey.objects.count() == 1

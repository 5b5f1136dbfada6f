"""`manage.py sandbox ...`, end to end."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from integrations.tools.base import AuthOutcome
from integrations.tools.sandbox import (
    PERM_ABSENCES,
    PERM_COMPENSATION,
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_ORG,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    SandboxTool,
)
from sandbox_hr.models import (
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxUser,
    SandboxUserRole,
)
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_authenticate,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
)

pytestmark = pytest.mark.django_db


def sandbox(*args: str) -> str:
    out = StringIO()
    call_command("sandbox", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=5, seed=2)


def test_it_creates_an_account_with_employees_and_prints_its_id() -> None:
    account_id = sandbox("create-account", "--name", "Zoë's Bäckerei", "--employees", "12")

    account = SandboxAccount.objects.get(pk=account_id)
    assert account.name == "Zoë's Bäckerei"
    assert account.employees.count() == 12
    assert account.groups.count() >= 5


def test_it_creates_a_key_with_the_chosen_permissions_and_prints_it_once(
    account: SandboxAccount,
) -> None:
    raw_key = sandbox(
        "create-key",
        "--account",
        account.pk,
        "--name",
        "Kombo",
        "--permission",
        PERM_GROUPS,
        "--permission",
        PERM_EMPLOYEES,
    )

    key = sandbox_api_key_authenticate(raw_key=raw_key)
    assert key is not None
    assert key.account == account
    assert key.permissions == [PERM_EMPLOYEES, PERM_GROUPS]
    assert raw_key not in str(SandboxApiKey.objects.values().get())


def test_it_creates_a_key_with_all_permissions(account: SandboxAccount) -> None:
    raw_key = sandbox("create-key", "--account", account.pk, "--name", "Kombo", "--all-permissions")

    key = sandbox_api_key_authenticate(raw_key=raw_key)
    assert key is not None
    assert key.permissions == [
        PERM_EMPLOYEES,
        PERM_PERSONAL,
        PERM_SENSITIVE,
        PERM_GROUPS,
        PERM_ORG,
        PERM_COMPENSATION,
        PERM_ABSENCES,
    ]


@pytest.mark.django_db(transaction=True)
def test_it_revokes_a_key_so_the_connector_sees_invalid_credentials(live_server: Any) -> None:
    account = sandbox_account_create(name="Acme GmbH", employees=3, seed=2)
    key, raw_key = sandbox_api_key_create(
        account=account, name="Kombo", permissions=[PERM_EMPLOYEES]
    )
    tool = SandboxTool()

    with override_settings(SANDBOX_HR_URL=live_server.url + "/sandbox-hr"):
        assert tool.check_auth({"api_key": raw_key}).outcome == AuthOutcome.OK
        output = sandbox("revoke-key", "--key-prefix", key.prefix)
        result = tool.check_auth({"api_key": raw_key})

    assert "Revoked" in output
    assert result.outcome == AuthOutcome.INVALID_CREDENTIALS


def test_it_revokes_a_key_by_its_id(account: SandboxAccount) -> None:
    key, raw_key = sandbox_api_key_create(account=account, name="Kombo", permissions=[])

    sandbox("revoke-key", "--key-prefix", key.pk)

    assert sandbox_api_key_authenticate(raw_key=raw_key) is None
    assert "already revoked" in sandbox("revoke-key", "--key-prefix", key.pk)


def test_it_grants_and_removes_a_permission(account: SandboxAccount) -> None:
    key, _ = sandbox_api_key_create(account=account, name="Kombo", permissions=[PERM_EMPLOYEES])

    granted = sandbox("grant", "--key-prefix", key.prefix, "--permission", PERM_SENSITIVE)
    key.refresh_from_db()
    assert key.permissions == [PERM_EMPLOYEES, PERM_SENSITIVE]
    assert PERM_SENSITIVE in granted

    sandbox("remove-permission", "--key-prefix", key.prefix, "--permission", PERM_EMPLOYEES)
    key.refresh_from_db()
    assert key.permissions == [PERM_SENSITIVE]


def test_it_adds_employees_to_an_account(account: SandboxAccount) -> None:
    output = sandbox("add-employees", "--account", account.pk, "--count", "7")

    employees = SandboxEmployee.objects.filter(account=account)
    assert employees.count() == 12
    assert len(set(employees.values_list("employee_number", flat=True))) == 12
    assert not employees.exclude(manager__isnull=True).exclude(manager__account=account).exists()
    assert "Added 7 employees" in output


def test_it_lists_accounts_keys_and_counts_without_raw_keys(account: SandboxAccount) -> None:
    active, active_raw = sandbox_api_key_create(
        account=account, name="Kombo live", permissions=[PERM_EMPLOYEES, PERM_GROUPS]
    )
    revoked, revoked_raw = sandbox_api_key_create(account=account, name="Old", permissions=[])
    sandbox_api_key_revoke(key=revoked)
    sandbox_account_create(name="Empty AG", employees=0)

    output = sandbox("list")

    assert f"{account.pk}  Acme GmbH  5 employees" in output
    assert "Empty AG  0 employees" in output
    assert f"{active.prefix}…  Kombo live  [active]  {PERM_EMPLOYEES}, {PERM_GROUPS}" in output
    assert f"{revoked.prefix}…  Old  [revoked" in output
    assert active_raw not in output
    assert revoked_raw not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create-key", "--account", "acc_nope", "--name", "K", "--all-permissions"), "acc_nope"),
        (("add-employees", "--account", "acc_nope", "--count", "3"), "acc_nope"),
        (("revoke-key", "--key-prefix", "sbx_nope"), "sbx_nope"),
        (("grant", "--key-prefix", "sbx_nope", "--permission", PERM_GROUPS), "sbx_nope"),
        (
            ("remove-permission", "--key-prefix", "key_nope", "--permission", PERM_GROUPS),
            "key_nope",
        ),
        (("grant", "--key-prefix", "sbx_x", "--permission", "payroll:write"), "invalid choice"),
        (("add-employees", "--account", "acc_x", "--count", "many"), "whole number"),
        (("create-key", "--account", "acc_x", "--name", "K"), "--permission"),
        (("create-user", "--account", "acc_nope", "--email", "a@b.example"), "acc_nope"),
        (("create-user", "--account", "acc_x", "--email", "a@b.example", "--role", "boss"), "boss"),
    ],
)
def test_it_explains_unknown_ids_and_bad_arguments(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        sandbox(*args)


def test_it_creates_a_sandbox_hr_login_and_prints_its_password_once(
    account: SandboxAccount,
) -> None:
    password = sandbox("create-user", "--account", account.pk, "--email", "Hanna@Acme.example")

    user = SandboxUser.objects.get()
    assert user.email == "hanna@acme.example"
    assert user.account == account
    assert user.role == SandboxUserRole.ADMINISTRATOR
    assert password not in user.password
    browser = Client()
    signed_in = browser.post(
        "/sandbox-hr/sign-in/", {"email": "hanna@acme.example", "password": password}
    )
    assert signed_in.status_code == 302
    assert "login hanna@acme.example (administrator)" in sandbox("list")
    assert password not in sandbox("list")


def test_it_creates_an_employee_login(account: SandboxAccount) -> None:
    sandbox(
        "create-user", "--account", account.pk, "--email", "max@acme.example", "--role", "employee"
    )

    assert SandboxUser.objects.get().role == SandboxUserRole.EMPLOYEE


@pytest.mark.parametrize(
    ("email", "message"),
    [("taken@acme.example", "exists already"), ("not-an-address", "is not an email address")],
)
def test_it_explains_why_a_login_cannot_be_created(
    account: SandboxAccount, email: str, message: str
) -> None:
    sandbox("create-user", "--account", account.pk, "--email", "taken@acme.example")

    with pytest.raises(CommandError, match=message):
        sandbox("create-user", "--account", account.pk, "--email", email)

    assert SandboxUser.objects.count() == 1

"""`manage.py sandbox ...`: run the Sandbox HR system from the shell.

Break a connection for real (revoke a key, remove a permission), then relink it:

    manage.py sandbox create-account --name "Acme GmbH" --employees 40
    manage.py sandbox create-user --account acc_... --email it@acme.example --role administrator
    manage.py sandbox create-key --account acc_... --name "Kombo" --all-permissions
    manage.py sandbox remove-permission --key-prefix sbx_AbCdEfGh --permission groups:read
    manage.py sandbox revoke-key --key-prefix sbx_AbCdEfGh

Sandbox HR is an OAuth 2.0 provider too: register an app, then cut off every company's grant:

    manage.py sandbox oauth-app create --name "Kombo" --redirect-uri https://app.example/cb
    manage.py sandbox oauth-revoke acc_... [--client-id sbxapp_...]
"""

from __future__ import annotations

import argparse
import secrets
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox_hr.models import (
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxApiKey,
    SandboxUserRole,
)
from sandbox_hr.selectors import (
    account_get,
    accounts_overview,
    administrators_by_account,
    api_key_get,
    oauth_app_get,
)
from sandbox_hr.services import (
    MAX_EMPLOYEES_PER_CALL,
    OAuthAppInvalidError,
    SandboxUserInvalidError,
    sandbox_account_create,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
    sandbox_employees_add,
    sandbox_oauth_app_register,
    sandbox_oauth_grants_revoke,
    sandbox_permission_grant,
    sandbox_permission_remove,
    sandbox_user_create,
)


def _employee_count(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_EMPLOYEES_PER_CALL:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole number from 0 to {MAX_EMPLOYEES_PER_CALL}"
        )
    return int(value)


def _add_oauth_arguments(subcommands: Any) -> None:
    """`oauth-app create` and `oauth-revoke`: Sandbox HR as an OAuth provider."""
    oauth_app = subcommands.add_parser("oauth-app", help="Register OAuth apps.")
    oauth_app_actions = oauth_app.add_subparsers(
        dest="oauth_app_action", required=True, metavar="ACTION"
    )
    oauth_app_create = oauth_app_actions.add_parser(
        "create",
        help="Register an OAuth app any account can authorize; prints its client id and "
        "client secret (shown only this once).",
    )
    oauth_app_create.add_argument("--name", required=True)
    oauth_app_create.add_argument(
        "--redirect-uri",
        required=True,
        action="append",
        dest="redirect_uris",
        help="Exact redirect URI; repeat for more.",
    )
    oauth_app_create.add_argument(
        "--scope",
        action="append",
        choices=SANDBOX_PERMISSIONS,
        dest="scopes",
        help="A scope the app may ask for; repeat for more (default: all).",
    )

    oauth_revoke = subcommands.add_parser(
        "oauth-revoke",
        help="Revoke every OAuth grant of an account (and all their tokens) at once.",
    )
    oauth_revoke.add_argument("account", help="Account id (acc_...).")
    oauth_revoke.add_argument("--client-id", help="Only the grants of this app.")


class Command(BaseCommand):
    help = "Manage Sandbox HR accounts, API keys, permissions and employees."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        create_account = subcommands.add_parser(
            "create-account", help="Create an account with demo employees; prints its id."
        )
        create_account.add_argument("--name", required=True)
        create_account.add_argument("--employees", type=_employee_count, default=25)
        create_account.add_argument("--seed", type=int, help="Make the demo data reproducible.")

        create_user = subcommands.add_parser(
            "create-user",
            help="Create a login for an account's Sandbox HR pages; prints its password "
            "(shown only this once).",
        )
        create_user.add_argument("--account", required=True, help="Account id (acc_...).")
        create_user.add_argument("--email", required=True)
        create_user.add_argument(
            "--role",
            choices=SandboxUserRole.values,
            default=SandboxUserRole.ADMINISTRATOR,
            help="Administrators manage API keys; employees only see the employees list.",
        )

        create_key = subcommands.add_parser(
            "create-key", help="Create an API key; prints the raw key (shown only this once)."
        )
        create_key.add_argument("--account", required=True, help="Account id (acc_...).")
        create_key.add_argument("--name", required=True)
        granted = create_key.add_mutually_exclusive_group(required=True)
        granted.add_argument(
            "--permission", action="append", choices=SANDBOX_PERMISSIONS, dest="permissions"
        )
        granted.add_argument("--all-permissions", action="store_true")

        revoke_key = subcommands.add_parser("revoke-key", help="Revoke an API key for good.")
        revoke_key.add_argument("--key-prefix", required=True, help="Key prefix (sbx_...) or id.")

        grant = subcommands.add_parser("grant", help="Give an API key a permission.")
        grant.add_argument("--key-prefix", required=True, help="Key prefix (sbx_...) or id.")
        grant.add_argument("--permission", required=True, choices=SANDBOX_PERMISSIONS)

        remove = subcommands.add_parser(
            "remove-permission", help="Take a permission away from an API key."
        )
        remove.add_argument("--key-prefix", required=True, help="Key prefix (sbx_...) or id.")
        remove.add_argument("--permission", required=True, choices=SANDBOX_PERMISSIONS)

        add_employees = subcommands.add_parser(
            "add-employees", help="Hire more demo employees into an account."
        )
        add_employees.add_argument("--account", required=True, help="Account id (acc_...).")
        add_employees.add_argument("--count", required=True, type=_employee_count)

        _add_oauth_arguments(subcommands)
        subcommands.add_parser("list", help="Accounts, their keys and employee counts.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        handlers: dict[str, Callable[..., None]] = {
            "create-account": self._create_account,
            "create-user": self._create_user,
            "create-key": self._create_key,
            "revoke-key": self._revoke_key,
            "grant": self._grant,
            "remove-permission": self._remove_permission,
            "add-employees": self._add_employees,
            "oauth-app": self._oauth_app,
            "oauth-revoke": self._oauth_revoke,
            "list": self._list,
        }
        handlers[subcommand](**options)

    def _account(self, account_id: str) -> SandboxAccount:
        account = account_get(account_id=account_id)
        if account is None:
            raise CommandError(
                f"No sandbox account with the id {account_id!r}. "
                "`manage.py sandbox list` shows the accounts."
            )
        return account

    def _key(self, prefix_or_id: str) -> SandboxApiKey:
        keys = api_key_get(prefix_or_id=prefix_or_id)
        if not keys:
            raise CommandError(
                f"No sandbox API key with the prefix or id {prefix_or_id!r}. "
                "`manage.py sandbox list` shows the keys."
            )
        if len(keys) > 1:
            raise CommandError(
                f"More than one API key matches {prefix_or_id!r}; use the key id instead."
            )
        return keys[0]

    def _create_account(self, *, name: str, employees: int, seed: int | None, **_: Any) -> None:
        account = sandbox_account_create(name=name, employees=employees, seed=seed)
        self.stderr.write(f"Created {account.name!r} with {employees} employees.")
        self.stdout.write(account.pk)

    def _create_user(self, *, account: str, email: str, role: str, **_: Any) -> None:
        target = self._account(account)
        password = secrets.token_urlsafe(12)
        try:
            user = sandbox_user_create(
                account=target, email=email, password=password, role=SandboxUserRole(role)
            )
        except SandboxUserInvalidError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            f"Created {user.get_role_display().lower()} {user.email} of {target.name!r}; "
            "sign in at /sandbox-hr/sign-in/ with the password below, shown only this once."
        )
        self.stdout.write(password)

    def _create_key(
        self,
        *,
        account: str,
        name: str,
        permissions: list[str] | None,
        all_permissions: bool,
        **_: Any,
    ) -> None:
        granted = SANDBOX_PERMISSIONS if all_permissions else (permissions or [])
        key, raw_key = sandbox_api_key_create(
            account=self._account(account), name=name, permissions=granted
        )
        self.stderr.write(
            f"Created API key {key.pk} ({key.prefix}…) with {', '.join(key.permissions)}. "
            "The key below is shown only this once."
        )
        self.stdout.write(raw_key)

    def _revoke_key(self, *, key_prefix: str, **_: Any) -> None:
        key = self._key(key_prefix)
        if key.revoked_at is not None:
            self.stdout.write(f"API key {key.prefix}… was already revoked at {key.revoked_at}.")
            return
        sandbox_api_key_revoke(key=key)
        self.stdout.write(self.style.SUCCESS(f"Revoked API key {key.prefix}… ({key.name})."))

    def _grant(self, *, key_prefix: str, permission: str, **_: Any) -> None:
        key = self._key(key_prefix)
        sandbox_permission_grant(key=key, permission=permission)
        self._report_permissions(key)

    def _remove_permission(self, *, key_prefix: str, permission: str, **_: Any) -> None:
        key = self._key(key_prefix)
        sandbox_permission_remove(key=key, permission=permission)
        self._report_permissions(key)

    def _report_permissions(self, key: SandboxApiKey) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"API key {key.prefix}… now has: {', '.join(key.permissions) or 'no permissions'}."
            )
        )

    def _add_employees(self, *, account: str, count: int, **_: Any) -> None:
        target = self._account(account)
        added = sandbox_employees_add(account=target, count=count)
        self.stdout.write(self.style.SUCCESS(f"Added {added} employees to {target.name!r}."))

    def _oauth_app(
        self, *, name: str, redirect_uris: list[str], scopes: list[str] | None, **_: Any
    ) -> None:
        try:
            app, client_secret = sandbox_oauth_app_register(
                name=name, redirect_uris=redirect_uris, allowed_scopes=scopes
            )
        except OAuthAppInvalidError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            f"Registered OAuth app {app.name!r} for {', '.join(app.redirect_uris)} with "
            f"{', '.join(app.allowed_scopes)}. The client secret below is shown only this once."
        )
        self.stdout.write(f"client_id={app.client_id}")
        self.stdout.write(f"client_secret={client_secret}")

    def _oauth_revoke(self, *, account: str, client_id: str | None, **_: Any) -> None:
        target = self._account(account)
        app = None
        if client_id is not None:
            app = oauth_app_get(client_id=client_id)
            if app is None:
                raise CommandError(f"No OAuth app with the client id {client_id!r}.")
        revoked = sandbox_oauth_grants_revoke(account=target, app=app)
        self.stdout.write(
            self.style.SUCCESS(
                f"Revoked {revoked} OAuth grant{'' if revoked == 1 else 's'} of {target.name!r}: "
                "their access tokens answer 401 and their refresh tokens invalid_grant."
            )
        )

    def _list(self, **_: Any) -> None:
        accounts = list(accounts_overview())
        administrators = administrators_by_account()
        if not accounts:
            self.stdout.write("No sandbox accounts yet. Create one with `sandbox create-account`.")
            return
        for account in accounts:
            self.stdout.write(f"{account.pk}  {account.name}  {account.employee_count} employees")
            for administrator in administrators.get(account.pk, []):
                self.stdout.write(f"    login {administrator.email} (administrator)")
            keys = list(account.api_keys.all())
            if not keys:
                self.stdout.write("    (no API keys)")
            for key in keys:
                state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
                self.stdout.write(
                    f"    {key.pk}  {key.prefix}…  {key.name}  [{state}]  "
                    f"{', '.join(key.permissions) or 'no permissions'}"
                )

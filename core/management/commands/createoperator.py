"""`manage.py createoperator`: a dashboard login with one operator role.

Modelled on Django's `createsuperuser`: the password is asked twice, or with `--noinput` read
from KOMBO_OPERATOR_PASSWORD (like DJANGO_SUPERUSER_PASSWORD), and checked by the password
validators. For an existing user it changes only the role (and the email, if given).
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import exceptions
from django.core.management.base import BaseCommand, CommandError

from core.roles import Role
from core.services import RoleGroupsMissingError, operator_save

PASSWORD_VARIABLE = "KOMBO_OPERATOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a dashboard operator with a role (viewer, operator or admin), or change the "
        "role of an existing user."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", help="The operator's email address")
        parser.add_argument(
            "--role",
            required=True,
            choices=[role.value for role in Role],
            help="viewer: reads every page; operator: also relinks, checks auth, syncs, "
            "enables/disables, redelivers; admin: also API keys, deleting, scope configs, "
            "webhook endpoints",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: a new user's password comes from {PASSWORD_VARIABLE}",
        )

    def handle(
        self,
        *args: Any,
        username: str,
        email: str | None,
        role: str,
        interactive: bool,
        **options: Any,
    ) -> None:
        username = username.strip()
        if not username:
            raise CommandError("The username cannot be blank.")
        user_model = get_user_model()
        exists = user_model._default_manager.filter(
            **{user_model.USERNAME_FIELD: username}
        ).exists()
        password = None if exists else self._password(username, email, interactive)
        try:
            user, created = operator_save(
                username=username, email=email, role=Role(role), password=password
            )
        except RoleGroupsMissingError:
            raise CommandError(
                "The role groups do not exist in this database: run `manage.py migrate` first."
            ) from None
        group = Role(role).group_name
        if created:
            self.stdout.write(f"Operator “{username}” created with the {group} role.")
        else:
            self.stdout.write(f"“{username}” now has the {group} role; the password is unchanged.")
        if user.is_superuser:
            self.stderr.write(
                f"“{username}” is a superuser: they have every permission, whatever the role."
            )

    def _password(self, username: str, email: str | None, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(
                    f"With --noinput, set {PASSWORD_VARIABLE} to the new operator's password."
                )
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords didn't match; nothing was changed.")
            if not password.strip():
                raise CommandError("The password cannot be blank; nothing was changed.")
        user_model = get_user_model()
        # The validators compare the password with the user's name and email, as for
        # createsuperuser.
        candidate = user_model(**{user_model.USERNAME_FIELD: username, "email": email or ""})
        try:
            validate_password(password, candidate)
        except exceptions.ValidationError as error:
            raise CommandError(
                "The password was refused, nothing was changed: " + " ".join(error.messages)
            ) from None
        return password

"""Operator accounts and their role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from core.roles import Role


class RoleGroupsMissingError(Exception):
    """The role groups are created by `migrate`; they are not in this database."""


@transaction.atomic
def operator_save(
    *, username: str, email: str | None, role: Role, password: str | None
) -> tuple[User, bool]:
    """Create the operator (with `password`), or update an existing user: staff, the email if
    one is given, and `role` as their only role group (other groups stay). The password of an
    existing user is left alone. Returns the user and whether it was created."""
    group = Group.objects.filter(name=role.group_name).first()
    if group is None:
        raise RoleGroupsMissingError(role.group_name)
    user_model = get_user_model()
    user = (
        user_model._default_manager.select_for_update()
        .filter(**{user_model.USERNAME_FIELD: username})
        .first()
    )
    created = user is None
    if user is None:
        user = user_model._default_manager.create_user(
            username, email=email or "", password=password, is_staff=True
        )
    else:
        user.is_staff = True
        if email is not None:
            user.email = email
        user.save()
    user.groups.remove(*Group.objects.filter(name__in=[r.group_name for r in Role]))
    user.groups.add(group)
    return user, created

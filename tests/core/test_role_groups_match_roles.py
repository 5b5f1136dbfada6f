"""The groups `migrate` creates hold exactly the permissions core/roles.py gives each role, so
a change to the roles without a migration changing the groups fails here."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from core.roles import ROLE_PERMISSIONS, Role
from tests.support.roles import role_group

pytestmark = pytest.mark.django_db


def _names(permissions: object) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list(  # type: ignore[attr-defined]
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_it_creates_each_role_group_with_exactly_its_permissions(role: Role) -> None:
    """Issue 14's role table: Viewer reads, Operator also operates, Admin also configures."""
    group = role_group(role)

    assert _names(group.permissions.all()) == set(ROLE_PERMISSIONS[role])


@pytest.mark.usefixtures("role_groups")
def test_it_creates_only_the_three_role_groups() -> None:
    assert set(Group.objects.values_list("name", flat=True)) == {"Viewer", "Operator", "Admin"}


def test_it_names_only_permissions_that_exist() -> None:
    """Every string core/roles.py names is a permission Django knows (default or Meta)."""
    every = set().union(*ROLE_PERMISSIONS.values())

    assert every <= _names(Permission.objects.all())

"""What the per-role tests share: issue 14's role order, and URLs built from a world's rows.

Issue 14's role table: each role has everything the one before it has; a staff user without a
role has nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from core.roles import Role
from tests.core.conftest import World

RANK: dict[Role | None, int] = {None: 0, Role.VIEWER: 1, Role.OPERATOR: 2, Role.ADMIN: 3}
ROLES: list[Role | None] = [None, *Role]


def role_id(role: Role | None) -> str:
    return role.value if role else "no-role"


def world_url(name: str, *attributes: str) -> Callable[[World], str]:
    """The URL `name` with, as its arguments, the world's values at the dotted `attributes`
    (e.g. "integration.pk"), for when the world exists."""

    def url(world: World) -> str:
        args = []
        for attribute in attributes:
            value: Any = world
            for part in attribute.split("."):
                value = getattr(value, part)
            args.append(value)
        return reverse(name, args=args)

    return url

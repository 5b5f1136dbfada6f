"""What the per-role tests share: the role groups as `migrate` made them, issue 14's role
order, a world with something for every page and action, and URLs built from its rows.

Issue 14's role table: each role has everything the one before it has; a staff user without a
role has nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.urls import reverse

from core.models import ApiKey, Environment, RequestLog
from core.roles import Role
from integrations.models import Integration, ReconnectionLink, ScopeConfig, ScopeConfigMigration
from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import SandboxAccount, SandboxApiKey
from syncs.models import Sync
from webhooks.models import WebhookDelivery, WebhookEndpoint

SANDBOX_PERMISSION = PERM_EMPLOYEES


@dataclass
class World:
    """Something for every page and action to work on."""

    environment: Environment
    integration: Integration
    link: ReconnectionLink
    scope_config: ScopeConfig
    wide: ScopeConfig
    migration: ScopeConfigMigration
    api_key: ApiKey
    sync: Sync
    request_log: RequestLog
    endpoint: WebhookEndpoint
    failed_delivery: WebhookDelivery
    account: SandboxAccount
    sandbox_key: SandboxApiKey
    before: dict[str, Any] = field(default_factory=dict)


def role_group(role: Role) -> Group:
    """The role's group as the core data migrations made it.

    A transactional test (live_server, real workers) empties every table when it ends, and
    Django's flush re-creates permissions but not groups: then core's migrations run again,
    on the model state they were written for, as `migrate` ran them.
    """
    group = Group.objects.filter(name=role.group_name).first()
    if group is not None:
        return group
    loader = MigrationLoader(connection)
    editor = SimpleNamespace(connection=connection)
    for leaf in loader.graph.leaf_nodes("core"):
        for key in loader.graph.forwards_plan(leaf):
            if key[0] != "core":
                continue
            state_apps = loader.project_state(key).apps
            for operation in loader.get_migration(*key).operations:
                if isinstance(operation, RunPython):
                    operation.code(state_apps, editor)
    return Group.objects.get(name=role.group_name)


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

"""Fixtures for the health loop: a sandbox HR account served over real HTTP, integrations on
it, and helpers to run what a tick queued the way a worker would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.models import Environment
from integrations.models import Integration, ScopeConfig
from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL, PERM_SENSITIVE
from sandbox_hr.models import SandboxAccount, SandboxApiKey
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import Sync, SyncState
from syncs.runner import sync_run
from tests.factories import IntegrationFactory, ScopeConfigFactory

ALL_PERMISSIONS = (PERM_EMPLOYEES, PERM_PERSONAL, PERM_SENSITIVE, PERM_GROUPS)


@dataclass
class SandboxSetup:
    account: SandboxAccount
    key: SandboxApiKey
    raw_key: str
    integration: Integration


def sandbox_integration(
    *,
    environment: Environment,
    permissions: tuple[str, ...] = ALL_PERMISSIONS,
    employees: int = 12,
    scope_config: ScopeConfig | None = None,
    **fields: Any,
) -> SandboxSetup:
    account = sandbox_account_create(name="Acme GmbH", employees=employees, seed=7)
    key, raw_key = sandbox_api_key_create(account=account, name="kombo", permissions=permissions)
    integration = IntegrationFactory(
        environment=environment,
        scope_config=scope_config or ScopeConfigFactory(environment=environment),
        credentials={"api_key": raw_key},
        remote_account_id=account.id,
        **fields,
    )
    return SandboxSetup(account, key, raw_key, integration)


def run_queued_syncs() -> list[Sync]:
    """Run every QUEUED sync as a worker would (the tasks themselves went to a test broker)."""
    ran = []
    for sync_id in Sync.objects.filter(state=SyncState.QUEUED).values_list("pk", flat=True):
        sync = sync_run(sync_id=sync_id)
        if sync is not None:
            sync.refresh_from_db()
            ran.append(sync)
    return ran

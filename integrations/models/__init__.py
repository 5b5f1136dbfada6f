"""Integrations domain: scope configs, integrations, credentials, links, issues, audit.

Every write goes through `integrations.services`; these classes hold data and invariants only.
"""

from __future__ import annotations

from integrations.models.audit import (
    ActorType,
    CredentialSource,
    CredentialVersion,
    EventKind,
    IntegrationEvent,
    Issue,
    IssueStatus,
    IssueType,
)
from integrations.models.integrations import (
    Category,
    Integration,
    IntegrationQuerySet,
    IntegrationStatus,
    QaStatus,
    SetupStatus,
    SyncPausedReason,
    SyncRefusal,
    SyncType,
)
from integrations.models.links import (
    LinkKind,
    LinkLanguage,
    LinkState,
    LinkType,
    ReconnectionLink,
    ScopeConfigMigration,
    link_state_conditions,
    link_state_expression,
)
from integrations.models.oauth import OAuthApp, OAuthFlow
from integrations.models.scope_configs import (
    ScopeConfig,
    ScopeConfigEnvironmentError,
    ScopeSetting,
)

__all__ = [
    "ActorType",
    "Category",
    "CredentialSource",
    "CredentialVersion",
    "EventKind",
    "Integration",
    "IntegrationEvent",
    "IntegrationQuerySet",
    "IntegrationStatus",
    "Issue",
    "IssueStatus",
    "IssueType",
    "LinkKind",
    "LinkLanguage",
    "LinkState",
    "LinkType",
    "OAuthApp",
    "OAuthFlow",
    "QaStatus",
    "ReconnectionLink",
    "ScopeConfig",
    "ScopeConfigEnvironmentError",
    "ScopeConfigMigration",
    "ScopeSetting",
    "SetupStatus",
    "SyncPausedReason",
    "SyncRefusal",
    "SyncType",
    "link_state_conditions",
    "link_state_expression",
]

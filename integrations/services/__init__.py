"""Every write of the integrations domain. Each service owns its transaction and audit row."""

from __future__ import annotations

from integrations.services.connect import connect_link_complete, connect_link_create
from integrations.services.health import (
    AuthTransition,
    integration_full_sync_request,
    integration_record_auth_result,
    integration_record_sync_finished,
    integration_schedule_next,
    integrations_mark_sync_queued,
)
from integrations.services.integrations import (
    credential_version_add,
    credentials_reencrypt_all,
    integration_create,
    integration_delete,
    integration_event_record,
    integration_set_enabled,
    scope_config_create,
    scope_settings_checked,
)
from integrations.services.link_completion import LinkOutcome, LinkResult, relink_link_complete
from integrations.services.links import (
    activation_token_exchange,
    link_find,
    link_open,
    relink_link_create,
    relink_link_email,
    relink_link_revoke,
)
from integrations.services.scope_configs import (
    MIGRATION_BATCH_LIMIT,
    ScopeConfigMigrationError,
    scope_config_migration_create,
    scope_config_update,
)

__all__ = [
    "MIGRATION_BATCH_LIMIT",
    "AuthTransition",
    "LinkOutcome",
    "LinkResult",
    "ScopeConfigMigrationError",
    "activation_token_exchange",
    "connect_link_complete",
    "connect_link_create",
    "credential_version_add",
    "credentials_reencrypt_all",
    "integration_create",
    "integration_delete",
    "integration_event_record",
    "integration_full_sync_request",
    "integration_record_auth_result",
    "integration_record_sync_finished",
    "integration_schedule_next",
    "integration_set_enabled",
    "integrations_mark_sync_queued",
    "link_find",
    "link_open",
    "relink_link_complete",
    "relink_link_create",
    "relink_link_email",
    "relink_link_revoke",
    "scope_config_create",
    "scope_config_migration_create",
    "scope_config_update",
    "scope_settings_checked",
]

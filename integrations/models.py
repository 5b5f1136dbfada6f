"""Integrations domain: environments, API keys, scope configs, integrations, credentials, audit.

Every write goes through `integrations.services`; these classes hold data and invariants only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Q, Value, When

from core.ids import new_id


class Environment(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    name = models.SlugField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """An API key: only a SHA-256 of the full key is kept; `prefix` is for recognising it."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScopeSetting(models.TextChoices):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"
    OPTIONAL = "OPTIONAL"


class ScopeConfig(models.Model):
    """Which read models and fields integrations using this config read.

    `settings` is `{model_id: {"setting": ScopeSetting, "fields": {field_id: ScopeSetting}}}`;
    a model or field missing from it is DISABLED.
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="scope_configs"
    )
    name = models.CharField(max_length=200)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["environment", "name"], name="scope_config_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def model_setting(self, model_id: str) -> str:
        entry: dict[str, Any] = self.settings.get(model_id) or {}
        return str(entry.get("setting", ScopeSetting.DISABLED))

    def field_setting(self, model_id: str, field_id: str) -> str:
        if self.model_setting(model_id) == ScopeSetting.DISABLED:
            return ScopeSetting.DISABLED
        entry: dict[str, Any] = self.settings.get(model_id) or {}
        return str((entry.get("fields") or {}).get(field_id, ScopeSetting.DISABLED))


class Category(models.TextChoices):
    HRIS = "HRIS"
    ATS = "ATS"


class IntegrationStatus(models.TextChoices):
    ACTIVE = "ACTIVE"
    INVALID = "INVALID"
    INACTIVE = "INACTIVE"


class SyncRefusal(models.TextChoices):
    """Why an integration may not be asked to sync now."""

    DISABLED = "DISABLED", "The integration is disabled."
    CREDENTIALS_INVALID = "CREDENTIALS_INVALID", "Its credentials are invalid; syncs are paused."


class SetupStatus(models.TextChoices):
    INCOMPLETE = "INCOMPLETE"
    FINAL_SYNC_PENDING = "FINAL_SYNC_PENDING"
    COMPLETED = "COMPLETED"


class QaStatus(models.TextChoices):
    PENDING = "PENDING"
    PASSED = "PASSED"
    FAILED = "FAILED"


class SyncPausedReason(models.TextChoices):
    AUTHENTICATION = "AUTHENTICATION"


class SyncType(models.TextChoices):
    FULL = "FULL"
    DELTA = "DELTA"


class IntegrationQuerySet(models.QuerySet["Integration"]):
    def alive(self) -> IntegrationQuerySet:
        # `integrations.api_fast_path` writes this condition in SQL too.
        return self.filter(deleted_at__isnull=True)


class Integration(models.Model):
    id = models.CharField(primary_key=True, max_length=80, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.PROTECT, related_name="integrations"
    )
    tool = models.CharField(max_length=64)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.HRIS)
    organization_name = models.CharField(max_length=300)
    creator_email = models.EmailField(null=True, blank=True)
    origin_id = models.CharField(max_length=300, null=True, blank=True)
    scope_config = models.ForeignKey(
        ScopeConfig, on_delete=models.PROTECT, related_name="integrations"
    )
    # Read models/fields the customer opted out of: ["hris_employees", "hris_employees.ssn"].
    opted_out = models.JSONField(default=list, blank=True)
    remote_account_id = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=IntegrationStatus.choices, default=IntegrationStatus.ACTIVE
    )
    enabled = models.BooleanField(default=True)
    setup_status = models.CharField(
        max_length=24, choices=SetupStatus.choices, default=SetupStatus.COMPLETED
    )
    qa_status = models.CharField(max_length=16, choices=QaStatus.choices, default=QaStatus.PASSED)
    beta = models.BooleanField(default=False)
    # When what is read last changed (scope config edited or switched): the synced data is
    # stale until a FULL sync that started after it succeeds (Kombo's SDK documents the same).
    data_expired_at = models.DateTimeField(null=True, blank=True)
    # When the scheduler should start the next sync; NULL while one is queued or running.
    next_sync_at = models.DateTimeField(null=True, blank=True)
    # Since when a FULL sync is owed (what is read changed, or someone asked for one while
    # another sync was active). Every sync started while it is set runs FULL; a FULL sync that
    # started after it and succeeded clears it, so no request is ever lost to a running sync.
    full_sync_requested_at = models.DateTimeField(null=True, blank=True)
    sync_paused_reason = models.CharField(
        max_length=32, choices=SyncPausedReason.choices, null=True, blank=True
    )
    auth_failing_since = models.DateTimeField(null=True, blank=True)
    last_auth_ok_at = models.DateTimeField(null=True, blank=True)
    consecutive_auth_failures = models.PositiveIntegerField(default=0)
    # The newest finished sync, copied here by the syncs app so the list filters and sorts on it
    # without reading the sync history of every row.
    last_sync_state = models.CharField(max_length=24, null=True, blank=True)
    last_sync_finished_at = models.DateTimeField(null=True, blank=True)
    last_sync_warning_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # The dashboard's and admin's actions that are not plain CRUD (core/roles.py).
        permissions = [
            ("relink_integration", "Can create and revoke relink links"),
            ("check_auth_integration", "Can check an integration's authentication now"),
            ("force_sync_integration", "Can force a sync of an integration"),
            ("enable_integration", "Can enable and disable integrations"),
        ]
        indexes = [
            models.Index(
                fields=["next_sync_at"],
                name="integration_due_idx",
                condition=Q(enabled=True, sync_paused_reason__isnull=True, deleted_at__isnull=True),
            ),
            models.Index(fields=["environment", "status"], name="integration_env_status_idx"),
            models.Index(fields=["environment", "tool"], name="integration_env_tool_idx"),
            models.Index(fields=["environment", "-created_at", "-id"], name="integration_list_idx"),
            models.Index(fields=["-created_at", "-id"], name="integration_newest_idx"),
            models.Index(fields=["organization_name", "id"], name="integration_org_idx"),
            # (PostgreSQL also gets integration_last_sync_idx for the last-sync sort: 0008.)
            # Every list request counts the live rows per health chip: an index-only scan of
            # this is a third of a scan of the table.
            models.Index(
                fields=[
                    "status",
                    "auth_failing_since",
                    "last_sync_warning_count",
                    "environment",
                    "tool",
                ],
                name="integration_health_count_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # The "authentication failing" chip: a few percent of the rows, read often.
            models.Index(
                fields=["auth_failing_since", "id"],
                name="integration_auth_failing_idx",
                condition=Q(
                    status="ACTIVE", auth_failing_since__isnull=False, deleted_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.tool})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def sync_refusal(self) -> SyncRefusal | None:
        """Why a sync may not be asked for now; None when it may. The one rule the API, the
        pages and their buttons share (`syncs.services.sync_force` enforces it)."""
        if not self.enabled:
            return SyncRefusal.DISABLED
        if self.status == IntegrationStatus.INVALID:
            return SyncRefusal.CREDENTIALS_INVALID
        return None


class IssueType(models.TextChoices):
    AUTHENTICATION_FAILED = "integration.authentication_failed"


class IssueStatus(models.TextChoices):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"


class Issue(models.Model):
    """A Kombo-style issue: raised on the first failing auth check, resolved by a success."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="issues")
    type = models.CharField(max_length=64, choices=IssueType.choices)
    status = models.CharField(max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    title = models.CharField(max_length=300)
    markdown_message = models.TextField()
    first_observed_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_observed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "type"],
                condition=Q(status="OPEN"),
                name="one_open_issue_per_type",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class CredentialSource(models.TextChoices):
    CONNECT_LINK = "CONNECT_LINK", "Connection link"
    RELINK_LINK = "RELINK_LINK", "Reconnection link"
    OPERATOR = "OPERATOR", "Operator"
    SEED = "SEED", "Demo seed"


class CredentialVersion(models.Model):
    """One set of credentials for an integration; only the newest is used.

    `payload_encrypted` is a MultiFernet token of the JSON credentials (see `integrations.crypto`).
    """

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="credential_versions"
    )
    payload_encrypted = models.TextField()
    source = models.CharField(max_length=24, choices=CredentialSource.choices)
    set_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    link_id = models.CharField(max_length=32, null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["integration", "-created_at"], name="credential_newest_idx")
        ]

    def __str__(self) -> str:
        return f"Credentials #{self.pk} of {self.integration_id} via {self.source}"


class EventKind(models.TextChoices):
    CREATED = "CREATED", "Integration created"
    DELETED = "DELETED", "Integration deleted"
    ENABLED = "ENABLED", "Enabled"
    DISABLED = "DISABLED", "Disabled"
    STATUS_CHANGED = "STATUS_CHANGED", "Status changed"
    PAUSED = "PAUSED", "Sync scheduling paused"
    RESUMED = "RESUMED", "Sync scheduling resumed"
    CREDENTIALS_UPDATED = "CREDENTIALS_UPDATED", "Credentials updated"
    SCOPE_CONFIG_CHANGED = "SCOPE_CONFIG_CHANGED", "Scope config changed"
    LINK_CREATED = "LINK_CREATED", "Reconnection link created"
    LINK_OPENED = "LINK_OPENED", "Reconnection link opened"
    LINK_REVOKED = "LINK_REVOKED", "Reconnection link revoked"
    LINK_COMPLETED = "LINK_COMPLETED", "Reconnection link completed"
    AUTH_FAILING = "AUTH_FAILING", "Authentication started failing"
    AUTH_RECOVERED = "AUTH_RECOVERED", "Authentication works again"


class ActorType(models.TextChoices):
    OPERATOR = "OPERATOR"
    API_KEY = "API_KEY"
    CUSTOMER = "CUSTOMER"
    SYSTEM = "SYSTEM"


class IntegrationEvent(models.Model):
    """The audit trail: one row per state change, with who did it and when."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_label = models.CharField(max_length=300, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["integration", "-created_at"], name="event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_label or self.actor_type}"


class RequestLog(models.Model):
    """One row per API request; error envelopes link here through `log_url`."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, null=True, blank=True, on_delete=models.CASCADE, related_name="request_logs"
    )
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField()
    integration_id = models.CharField(max_length=80, null=True, blank=True, db_index=True)
    error_code = models.CharField(max_length=64, blank=True, default="")
    latency_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status_code}"


class LinkKind(models.TextChoices):
    CONNECT = "CONNECT"
    RELINK = "RELINK"


class LinkType(models.TextChoices):
    EMBEDDED = "EMBEDDED"
    MAGIC_LINK = "MAGIC_LINK"


class LinkLanguage(models.TextChoices):
    EN = "en", "English"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    IT = "it", "Italiano"
    ES = "es", "Español"


class ScopeConfigMigration(models.Model):
    """A batch of magic links moving integrations to `scope_config`; its links carry its id."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="scope_config_migrations"
    )
    scope_config = models.ForeignKey(
        ScopeConfig, on_delete=models.PROTECT, related_name="migrations"
    )
    # What the operator picked, in words ("all on Basic", "Personio integrations on Basic").
    selection_label = models.CharField(max_length=300)
    language = models.CharField(max_length=2, choices=LinkLanguage.choices, default="en")
    emailed = models.BooleanField(default=False)
    created_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Migration to {self.scope_config_id} ({self.created_at:%Y-%m-%d})"


class LinkState(StrEnum):
    SENT = "SENT"
    OPENED = "OPENED"
    COMPLETED = "COMPLETED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"

    @property
    def label(self) -> str:
        return {
            LinkState.SENT: "Sent, not opened",
            LinkState.OPENED: "Opened",
            LinkState.COMPLETED: "Completed",
            LinkState.EXPIRED: "Expired",
            LinkState.REVOKED: "Revoked",
        }[self]

    @property
    def short_label(self) -> str:
        return "Sent" if self is LinkState.SENT else self.label

    @property
    def badge(self) -> str:
        """The dashboard badge tone (`badge--<tone>`) of the state."""
        return {
            LinkState.SENT: "outline",
            LinkState.OPENED: "info",
            LinkState.COMPLETED: "active",
            LinkState.EXPIRED: "inactive",
            LinkState.REVOKED: "invalid",
        }[self]


def link_state_conditions(now: datetime) -> dict[LinkState, Q]:
    """Each link is in exactly one state; a used link counts as completed even if it has
    expired since, a revoked one as revoked."""
    usable = Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
    return {
        LinkState.COMPLETED: Q(used_at__isnull=False),
        LinkState.REVOKED: Q(used_at__isnull=True, revoked_at__isnull=False),
        LinkState.EXPIRED: Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now),
        LinkState.OPENED: usable & Q(opened_at__isnull=False),
        LinkState.SENT: usable & Q(opened_at__isnull=True),
    }


def link_state_expression(now: datetime) -> Case:
    """A link's `LinkState` value, computed by the database (for `.annotate(state=...)`)."""
    return Case(
        *(When(q, then=Value(s.value)) for s, q in link_state_conditions(now).items()),
        output_field=CharField(),
    )


class ReconnectionLink(models.Model):
    """A single-use link a customer opens to (re)connect an integration.

    Only a SHA-256 of the token is stored; consuming the link is a compare-and-set on
    `used_at`/`revoked_at`/`expires_at`.
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="reconnection_links"
    )
    integration = models.ForeignKey(
        Integration,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reconnection_links",
    )
    kind = models.CharField(max_length=8, choices=LinkKind.choices, default=LinkKind.RELINK)
    link_type = models.CharField(max_length=12, choices=LinkType.choices)
    language = models.CharField(max_length=2, choices=LinkLanguage.choices, default="en")
    # CONNECT links: who the new integration is for, and (optionally) its fixed tool.
    end_user_organization_name = models.CharField(max_length=300, blank=True, default="")
    end_user_email = models.EmailField(null=True, blank=True)
    end_user_origin_id = models.CharField(max_length=300, null=True, blank=True)
    tool = models.CharField(max_length=64, null=True, blank=True)
    # The scope config the integration switches to on completion; NULL keeps the current one.
    target_scope_config = models.ForeignKey(
        ScopeConfig, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Embedded links: a short-lived token the page hands to the operator's frontend on
    # completion, exchanged once by their backend for the integration (hash only).
    activation_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    activation_expires_at = models.DateTimeField(null=True, blank=True)
    activation_used_at = models.DateTimeField(null=True, blank=True)
    migration = models.ForeignKey(
        ScopeConfigMigration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["integration", "-created_at"], name="link_integration_idx")]

    def __str__(self) -> str:
        return f"{self.get_link_type_display()} link {self.id}"

    def is_usable_at(self, moment: Any) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > moment

    def state_at(self, moment: datetime) -> LinkState:
        """The link's state, as `link_state_conditions` decides it in SQL."""
        if self.used_at is not None:
            return LinkState.COMPLETED
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.expires_at <= moment:
            return LinkState.EXPIRED
        return LinkState.SENT if self.opened_at is None else LinkState.OPENED

"""What happened to an integration: its issues, credential history and audit events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.ids import new_id
from integrations.models.integrations import Integration


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

    `payload_encrypted` is a MultiFernet token of the JSON credentials (see `core.crypto`).
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
    # OAuth tools: when the stored token was last refreshed, and when a refresh was last
    # refused as a dead grant (no refresh is tried again until the next scheduled check or a
    # relink, which brings a new version).
    token_refreshed_at = models.DateTimeField(null=True, blank=True)
    token_refresh_refused_at = models.DateTimeField(null=True, blank=True)

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

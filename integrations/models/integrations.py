"""Integrations and their credentials: the connection to one customer's tool."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.models import Environment
from integrations.models.scope_configs import ScopeConfig


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

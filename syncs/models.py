"""Syncs domain: sync runs, auth checks, and the unified HRIS data they produce."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.ids import new_id
from integrations.models import Integration, SyncType


class SyncTrigger(models.TextChoices):
    SCHEDULE = "SCHEDULE"
    API = "API", "Force-sync (API)"
    OPERATOR = "OPERATOR", "Operator (dashboard)"
    RECONNECTION = "RECONNECTION"


class SyncState(models.TextChoices):
    """Kombo's `sync_state` values and meanings (docs.kombo.dev/webhooks, sync-finished;
    docs.kombo.dev/integration-states): a sync whose only trouble is warnings (fields or models
    skipped because a permission is missing) "was successful with warnings", so it SUCCEEDED;
    PARTIALLY_FAILED means errors cost part of the data."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    PARTIALLY_FAILED = "PARTIALLY_FAILED"
    FAILED = "FAILED"
    AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
    CANCELLED = "CANCELLED"


ACTIVE_SYNC_STATES = (SyncState.QUEUED, SyncState.RUNNING)
# Syncs that read everything the scope wanted: succeeded without warnings. Deltas build only on
# these; after a sync that skipped something, the next one reads it all again.
COMPLETE_SYNCS = Q(state=SyncState.SUCCEEDED, warnings=[])


class Sync(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="syncs")
    type = models.CharField(max_length=8, choices=SyncType.choices)
    trigger = models.CharField(max_length=16, choices=SyncTrigger.choices)
    state = models.CharField(max_length=24, choices=SyncState.choices, default=SyncState.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    # {model_id: {"fetched": n, "created": n, "updated": n, "unchanged": n, "deleted": n}}
    counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one QUEUED-or-RUNNING sync per integration: duplicate ticks are harmless.
            models.UniqueConstraint(
                fields=["integration"],
                condition=Q(state__in=["QUEUED", "RUNNING"]),
                name="one_active_sync_per_integration",
            )
        ]
        indexes = [
            models.Index(fields=["integration", "-created_at"], name="sync_history_idx"),
            models.Index(
                fields=["state", "heartbeat_at"],
                name="sync_active_idx",
                condition=Q(state__in=["QUEUED", "RUNNING"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} sync {self.id} ({self.state})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class AuthCheckTrigger(models.TextChoices):
    SYNC = "SYNC"
    MANUAL = "MANUAL"


class AuthCheck(models.Model):
    """One authentication check against the tool, before a sync or on demand."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="auth_checks"
    )
    sync = models.OneToOneField(
        Sync, null=True, blank=True, on_delete=models.SET_NULL, related_name="auth_check"
    )
    trigger = models.CharField(max_length=8, choices=AuthCheckTrigger.choices)
    outcome = models.CharField(max_length=24)
    granted_permissions = models.JSONField(default=list, blank=True)
    remote_account_id = models.CharField(max_length=300, blank=True, default="")
    message = models.TextField(blank=True, default="")
    latency_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["integration", "-created_at"], name="auth_check_history_idx")
        ]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.created_at:%Y-%m-%d %H:%M}"


class UnifiedRecord(models.Model):
    """A row of unified data: `data` holds every unified field (null where not synced)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=300)
    data = models.JSONField(default=dict)
    # Hash of `data`: a sync bumps `changed_at` only when the content really changed.
    content_hash = models.CharField(max_length=64)
    changed_at = models.DateTimeField()
    remote_deleted_at = models.DateTimeField(null=True, blank=True)
    # The last sync that saw this row; a FULL sync marks rows it did not see as deleted.
    last_seen_sync_id = models.CharField(max_length=32)

    class Meta:
        abstract = True
        # Per table: ingest upserts on (integration, remote_id); the HRIS API pages by
        # (integration, changed_at, id).
        constraints = [
            models.UniqueConstraint(fields=["integration", "remote_id"], name="%(class)s_remote_id")
        ]
        indexes = [
            models.Index(fields=["integration", "changed_at", "id"], name="%(class)s_changed_idx")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.remote_id} of {self.integration_id}"


class Employee(UnifiedRecord):
    pass


class Group(UnifiedRecord):
    pass


class Employment(UnifiedRecord):
    pass


class WorkLocation(UnifiedRecord):
    pass


class LegalEntity(UnifiedRecord):
    class Meta(UnifiedRecord.Meta):
        verbose_name_plural = "legal entities"


class AbsenceType(UnifiedRecord):
    pass


class Absence(UnifiedRecord):
    pass


class TimeOffBalance(UnifiedRecord):
    pass


UNIFIED_MODELS: dict[str, type[UnifiedRecord]] = {
    "hris_employees": Employee,
    "hris_teams": Group,
    "hris_employments": Employment,
    "hris_locations": WorkLocation,
    "hris_legal_entities": LegalEntity,
    "hris_absence_types": AbsenceType,
    "hris_absences": Absence,
    "hris_time_off_balances": TimeOffBalance,
}

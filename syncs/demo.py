"""The syncs part of `make run`'s demo: a week of auth checks and syncs behind each integration,
consistent with its health, so the integration page's history strips tell its story."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from integrations.models import Integration, IntegrationStatus
from integrations.services import integration_record_sync_finished
from syncs.models import AuthCheck, AuthCheckTrigger, Sync, SyncState, SyncTrigger

DEMO_DAYS = 7
DEMO_SYNC_INTERVAL = timedelta(hours=3)
REVOKED_MESSAGE = "Sandbox HR rejected the API key (revoked or unknown)."
MISSING_PERMISSION_WARNING = (
    "Not all permissions are granted: hris_employees.date_of_birth needs employees:personal"
)


def demo_history_seed(*, integration_ids: list[str], now: datetime | None = None) -> int:
    """Backfill the last week for these integrations; returns how many syncs were written."""
    now = now or timezone.now()
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    written = 0
    with transaction.atomic():
        for integration in Integration.objects.filter(pk__in=integration_ids):
            written += _history_backfill(integration, now, rng)
    return written


def _history_backfill(integration: Integration, now: datetime, rng: random.Random) -> int:
    failing_since = integration.auth_failing_since
    paused_at = (
        failing_since + timedelta(days=3)
        if integration.status == IntegrationStatus.INVALID and failing_since
        else None
    )
    disabled_at = now - timedelta(days=2) if not integration.enabled else None
    partial = integration.organization_name.startswith("Globex")
    moment = now - timedelta(days=DEMO_DAYS) + timedelta(minutes=rng.randint(5, 50))
    last: Sync | None = None
    written = 0
    while moment < now - timedelta(minutes=5):
        if (paused_at and moment > paused_at) or (disabled_at and moment > disabled_at):
            break
        failed = failing_since is not None and moment >= failing_since
        employees = 25 + rng.randint(0, 15)
        state = (
            SyncState.AUTHENTICATION_FAILED
            if failed
            else SyncState.PARTIALLY_FAILED
            if partial
            else SyncState.SUCCEEDED
        )
        duration = timedelta(seconds=rng.uniform(1.5, 6.0))
        last = Sync.objects.create(
            integration=integration,
            type="FULL",
            trigger=SyncTrigger.SCHEDULE,
            state=state,
            started_at=moment,
            finished_at=moment + duration,
            heartbeat_at=moment + duration,
            progress=100,
            counts={}
            if failed
            else {"hris_employees": {"fetched": employees, "created": 0, "updated": 1}},
            warnings=[MISSING_PERMISSION_WARNING] if partial and not failed else [],
        )
        check = AuthCheck.objects.create(
            integration=integration,
            sync=last,
            trigger=AuthCheckTrigger.SYNC,
            outcome="INVALID_CREDENTIALS" if failed else "OK",
            message=REVOKED_MESSAGE if failed else "",
            remote_account_id=integration.remote_account_id,
            latency_ms=rng.randint(40, 220),
        )
        # Both tables stamp created_at themselves; the demo needs them in the past.
        Sync.objects.filter(pk=last.pk).update(created_at=moment)
        AuthCheck.objects.filter(pk=check.pk).update(created_at=moment)
        written += 1
        moment += DEMO_SYNC_INTERVAL + timedelta(minutes=rng.randint(-20, 20))
    if last is not None:
        integration_record_sync_finished(
            integration_id=integration.pk,
            state=last.state,
            finished_at=last.finished_at or moment,
            warning_count=len(last.warnings),
        )
    return written

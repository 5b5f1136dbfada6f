"""One sync run: auth check first, then each in-scope model streamed page by page.

Claiming is a compare-and-set (QUEUED -> RUNNING), so a sync task delivered twice runs once.
Memory stays bounded: one vendor page is held at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from core.log_context import log_integration_set
from integrations.models import Integration, SyncType
from integrations.read_models import READ_MODELS
from integrations.selectors.integrations import credentials_current, integration_wanted_fields
from integrations.tools import tool_get
from integrations.tools.base import (
    AuthOutcome,
    PermissionGap,
    Tool,
    ToolError,
    readable_fields,
)
from syncs.ingest import IngestCounts, ingest_page, mark_unseen_deleted
from syncs.models import COMPLETE_SYNCS, UNIFIED_MODELS, AuthCheckTrigger, Sync, SyncState
from syncs.readahead import read_ahead
from syncs.services import auth_check_run, sync_finish, sync_heartbeat

logger = logging.getLogger(__name__)


# How soon a sync that failed for a passing reason (vendor down, rate limited) is tried again.
TRANSIENT_RETRY = timedelta(minutes=5)


class SyncCancelled(Exception):
    """The integration was disabled or deleted, or the sync was reaped, mid-run."""


def sync_run(*, sync_id: str) -> Sync | None:
    """Run a QUEUED sync to its end; None when another worker already took it."""
    sync = sync_claim(sync_id=sync_id)
    if sync is not None:
        sync_run_claimed(sync=sync)
    return sync


def sync_claim(*, sync_id: str) -> Sync | None:
    """QUEUED -> RUNNING (compare-and-set); None when another worker already took it.

    A sync that starts while its integration owes a FULL sync runs FULL, whatever it was
    queued as: the same statement claims it and decides, so no request slips in between.
    """
    now = timezone.now()
    full_owed = Exists(
        Integration.objects.filter(
            pk=OuterRef("integration_id"), full_sync_requested_at__isnull=False
        )
    )
    claimed = Sync.objects.filter(pk=sync_id, state=SyncState.QUEUED).update(
        state=SyncState.RUNNING,
        started_at=now,
        heartbeat_at=now,
        type=Case(When(full_owed, then=Value(SyncType.FULL)), default=F("type")),
    )
    if not claimed:
        return None
    return Sync.objects.select_related("integration__scope_config").get(pk=sync_id)


def sync_run_claimed(*, sync: Sync) -> None:
    """Run a sync this worker claimed to its end, whatever happens on the way."""
    log_integration_set(sync.integration_id)
    try:
        _run_claimed(sync)
    except Exception as error:
        # A bug or a broken row must end the sync with a reason, not leave it RUNNING for
        # the reaper; the message names the error class only (no data, no secrets).
        logger.exception("Sync %s failed unexpectedly", sync.pk)
        sync_finish(
            sync=sync,
            state=SyncState.FAILED,
            error=f"Internal error ({type(error).__name__}); see the worker log.",
        )


def _run_claimed(sync: Sync) -> None:
    if not _is_active(sync.integration.pk):
        sync_finish(sync=sync, state=SyncState.CANCELLED, error="Integration disabled.")
        return
    granted = _auth_checked(sync)
    if granted is None:
        return
    reading = _Reading()
    try:
        _read_wanted_models(sync, granted, reading)
    except SyncCancelled as cancelled:
        sync_finish(
            sync=sync,
            state=SyncState.CANCELLED,
            error=str(cancelled),
            changed_models=reading.changed_models,
        )
        return
    if reading.failures:
        # Transient vendor trouble is retried soon; a permanent error waits for the next sync.
        sync_finish(
            sync=sync,
            state=SyncState.PARTIALLY_FAILED if reading.read else SyncState.FAILED,
            # Models read from the same vendor listing fail with the same message: say it once.
            error="; ".join(dict.fromkeys(str(failure) for failure in reading.failures)),
            changed_models=reading.changed_models,
            retry_after=TRANSIENT_RETRY if any(f.transient for f in reading.failures) else None,
        )
        return
    sync_finish(sync=sync, state=SyncState.SUCCEEDED, changed_models=reading.changed_models)


def _auth_checked(sync: Sync) -> frozenset[str] | None:
    """The permissions the sync's auth check found; None when it failed, and then the sync is
    finished with the failure (counted towards the three days only for refused credentials)."""
    run = auth_check_run(integration=sync.integration, trigger=AuthCheckTrigger.SYNC, sync=sync)
    if run.result.outcome == AuthOutcome.INVALID_CREDENTIALS:
        sync_finish(
            sync=sync,
            state=SyncState.AUTHENTICATION_FAILED,
            error=run.result.message,
            failed_auth=True,
        )
        return None
    if run.result.outcome == AuthOutcome.UNREACHABLE:
        sync_finish(
            sync=sync,
            state=SyncState.FAILED,
            error=run.result.message,
            retry_after=_retry_after(run.result.retry_after_seconds),
        )
        return None
    return run.result.granted_permissions


@dataclass
class _Reading:
    """What a sync has read so far: kept when it is cancelled or a model fails midway."""

    read: list[str] = field(default_factory=list)
    changed_models: list[str] = field(default_factory=list)
    failures: list[ToolError] = field(default_factory=list)


def _read_wanted_models(sync: Sync, granted: frozenset[str], reading: _Reading) -> None:
    integration = sync.integration
    tool = tool_get(integration.tool)
    credentials = credentials_current(integration=integration) or {}
    wanted = integration_wanted_fields(integration=integration)
    since = sync_delta_since(sync) if sync.type == SyncType.DELTA else None
    gaps = tool.scope_permission_gaps(scope=wanted, granted=granted)
    for index, (model_id, field_ids) in enumerate(wanted.items()):
        sync.warnings.extend(permission_warnings(gaps[model_id]))
        fields = readable_fields(field_ids, gaps[model_id])
        if fields is None:
            continue
        try:
            counts = _sync_model(
                sync=sync,
                tool=tool,
                credentials=credentials,
                model_id=model_id,
                fields=fields,
                since=since,
                progress_span=(index / len(wanted), (index + 1) / len(wanted)),
            )
        except ToolError as failure:
            # One model's failure does not cost the others their data (Kombo's
            # PARTIALLY_FAILED); what it read so far is kept, nothing is marked deleted.
            reading.failures.append(failure)
            continue
        reading.read.append(model_id)
        if counts.changed:
            reading.changed_models.append(model_id)


def permission_warnings(gaps: Iterable[PermissionGap]) -> list[dict[str, Any]]:
    """How a sync stores what missing permissions kept it from reading (`Sync.warnings`)."""
    return [
        {**asdict(gap), "message": f"Not all permissions are granted: {gap.message}"}
        for gap in gaps
    ]


def _sync_model(
    *,
    sync: Sync,
    tool: Tool,
    credentials: dict[str, str],
    model_id: str,
    fields: frozenset[str],
    since: datetime | None,
    progress_span: tuple[float, float],
) -> IngestCounts:
    model = UNIFIED_MODELS[model_id]
    all_fields = READ_MODELS[model_id].stored_fields
    fields = fields | frozenset(READ_MODELS[model_id].references)
    expected = _expected_rows(sync, model_id)
    counts = IngestCounts()
    start, end = progress_span
    for page in read_ahead(tool.fetch(credentials, model_id, fields, since)):
        # One transaction (one commit) per page: the rows and the heartbeat that vouches for them.
        with transaction.atomic():
            counts.add(
                ingest_page(
                    model=model,
                    integration_id=sync.integration_id,
                    sync_id=sync.pk,
                    all_fields=all_fields,
                    records=page,
                    now=timezone.now(),
                )
            )
            sync.counts[model_id] = counts.as_dict()
            # Without a previous count to go by, creep towards the end of this model's share.
            share = counts.fetched / expected if expected else 1 - 1 / (counts.fetched / 100 + 2)
            alive = sync_heartbeat(
                sync=sync, progress=int(100 * (start + (end - start) * min(share, 0.99)))
            )
            if not alive:
                transaction.set_rollback(True)
        if not alive:
            raise SyncCancelled(
                "Integration disabled."
                if not _is_active(sync.integration_id)
                else "The sync was stopped (its lease expired)."
            )
    if sync.type == SyncType.FULL:
        counts.deleted = mark_unseen_deleted(
            model=model, integration_id=sync.integration_id, sync_id=sync.pk, now=timezone.now()
        )
    sync.counts[model_id] = counts.as_dict()
    return counts


def _retry_after(seconds: float | None) -> timedelta:
    return max(TRANSIENT_RETRY, timedelta(seconds=seconds or 0))


def _is_active(integration_id: str) -> bool:
    return Integration.objects.filter(
        pk=integration_id, enabled=True, deleted_at__isnull=True
    ).exists()


def _previous_success(sync: Sync) -> Sync | None:
    return (
        Sync.objects.filter(COMPLETE_SYNCS, integration_id=sync.integration_id)
        .exclude(pk=sync.pk)
        .order_by("-started_at")
        .first()
    )


def sync_delta_since(sync: Sync) -> datetime | None:
    """Where a DELTA sync starts reading: the start of the newest complete sync."""
    previous = _previous_success(sync)
    return previous.started_at if previous else None


def _expected_rows(sync: Sync, model_id: str) -> int:
    """Rows the last successful sync fetched for this model: a guess for the progress bar."""
    previous = _previous_success(sync)
    if previous is None or sync.type == SyncType.DELTA:
        return 0
    return int((previous.counts.get(model_id) or {}).get("fetched", 0))

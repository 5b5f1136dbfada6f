"""Writes of the syncs domain: queueing syncs, the scheduler tick, auth checks, finishing runs.

The sync run itself is in `syncs.runner`. Tasks are sent by name on commit, so a rolled-back
enqueue never reaches a worker and this module never imports the task module.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.crypto import CredentialDecryptionError
from core.ids import new_id
from core.log_context import log_integration_set
from core.pruning import rows_delete_in_batches
from core.tasks import tasks_send_on_commit
from integrations.models import Integration, SyncRefusal, SyncType
from integrations.selectors.integrations import credentials_current
from integrations.services import (
    AuthTransition,
    integration_full_sync_request,
    integration_record_auth_result,
    integration_record_sync_finished,
    integration_schedule_next,
    integrations_mark_sync_queued,
)
from integrations.services.oauth_tokens import oauth_credentials_check
from integrations.tools import TOOLS, tool_get
from integrations.tools.base import AuthResult
from syncs.events import data_changed_emit, sync_finished_emit
from syncs.metrics import auth_check_observe, sync_finished_observe
from syncs.models import (
    ACTIVE_SYNC_STATES,
    COMPLETE_SYNCS,
    AuthCheck,
    AuthCheckTrigger,
    Sync,
    SyncState,
    SyncTrigger,
)

logger = logging.getLogger(__name__)

SYNC_RUN_TASK = "syncs.tasks.sync_run_task"


def _send_sync_tasks_on_commit(sync_ids: list[str]) -> None:
    tasks_send_on_commit(
        SYNC_RUN_TASK,
        [[sync_id] for sync_id in sync_ids],
        recovery="the scheduler, once their lease is over",
    )


class SyncRefusedError(Exception):
    def __init__(self, refusal: SyncRefusal) -> None:
        super().__init__(refusal.label)
        self.refusal = refusal


def sync_force(
    *, integration: Integration, sync_type: SyncType, trigger: SyncTrigger
) -> tuple[Sync, bool]:
    """A sync an operator or the API asks for, now: refused (`SyncRefusedError`) while the
    integration may not sync; a DELTA of a tool without deltas runs FULL. As `sync_enqueue`."""
    refusal = integration.sync_refusal
    if refusal is not None:
        raise SyncRefusedError(refusal)
    if sync_type == SyncType.DELTA and not tool_get(integration.tool).supports_delta:
        sync_type = SyncType.FULL
    return sync_enqueue(integration=integration, sync_type=sync_type, trigger=trigger)


def sync_enqueue(
    *, integration: Integration, sync_type: SyncType, trigger: SyncTrigger
) -> tuple[Sync, bool]:
    """Queue a sync now; returns (the sync, created). An active one is returned, not doubled;
    a FULL sync asked for meanwhile is owed and runs right after it."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                sync = Sync.objects.create(
                    integration=integration,
                    type=sync_type,
                    trigger=trigger,
                    heartbeat_at=timezone.now(),
                )
        except IntegrityError:
            existing = Sync.objects.filter(
                integration=integration, state__in=ACTIVE_SYNC_STATES
            ).first()
            if existing is None:
                raise
            if sync_type == SyncType.FULL:
                integration_full_sync_request(integration_id=integration.pk, now=timezone.now())
            return existing, False
        integrations_mark_sync_queued(integration_ids=[integration.pk])
        _send_sync_tasks_on_commit([sync.pk])
    return sync, True


@dataclass
class TickResult:
    enqueued: int = 0
    requeued: int = 0
    reaped: int = 0


def scheduler_tick(*, now: datetime | None = None) -> TickResult:
    """Reap dead syncs, re-send lost ones, and queue one sync per due integration.

    Cost is O(due): the due query walks the partial index on `next_sync_at`, and each batch is
    a handful of statements whatever its size. Two ticks racing skip each other's locked rows,
    and the one-active-sync constraint makes any overlap harmless.
    """
    now = now or timezone.now()
    result = TickResult(reaped=syncs_reap_stale(now=now), requeued=_requeue_lost(now=now))
    while result.enqueued < settings.SCHEDULER_MAX_PER_TICK:
        batch = min(
            settings.SCHEDULER_BATCH_SIZE, settings.SCHEDULER_MAX_PER_TICK - result.enqueued
        )
        considered, enqueued = _enqueue_due_batch(now=now, limit=batch)
        result.enqueued += enqueued
        if considered < batch:
            break
    return result


def _enqueue_due_batch(*, now: datetime, limit: int) -> tuple[int, int]:
    with transaction.atomic():
        due = list(
            Integration.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                enabled=True,
                sync_paused_reason__isnull=True,
                deleted_at__isnull=True,
                next_sync_at__lte=now,
            )
            .order_by("next_sync_at")
            .values_list("id", "tool", "full_sync_requested_at")[:limit]
        )
        if not due:
            return 0, 0
        ids = [integration_id for integration_id, _, _ in due]
        types = sync_types_due(due=due, now=now)
        syncs = [
            Sync(
                id=new_id(),
                integration_id=integration_id,
                type=types[integration_id],
                trigger=SyncTrigger.SCHEDULE,
                heartbeat_at=now,
            )
            for integration_id in ids
        ]
        # An integration that already has an active sync is skipped by the constraint.
        Sync.objects.bulk_create(syncs, ignore_conflicts=True)
        created = list(
            Sync.objects.filter(pk__in=[s.pk for s in syncs]).values_list("pk", flat=True)
        )
        integrations_mark_sync_queued(integration_ids=ids)
        _send_sync_tasks_on_commit(created)
    return len(due), len(created)


def sync_types_due(
    *, due: Sequence[tuple[str, str, datetime | None]], now: datetime
) -> dict[str, SyncType]:
    """The type of the scheduled sync of each due `(integration id, tool id, FULL owed since)`:
    FULL while one is owed; DELTA on top of a complete FULL sync within FULL_SYNC_INTERVAL when
    the tool can read changes only; else FULL."""
    recent_full = set(
        Sync.objects.filter(
            COMPLETE_SYNCS,
            integration_id__in=[integration_id for integration_id, _, _ in due],
            type=SyncType.FULL,
            finished_at__gte=now - settings.FULL_SYNC_INTERVAL,
        ).values_list("integration_id", flat=True)
    )
    types = {}
    for integration_id, tool_id, full_owed_since in due:
        tool = TOOLS.get(tool_id)
        delta_ok = (
            full_owed_since is None
            and tool is not None
            and tool.supports_delta
            and integration_id in recent_full
        )
        types[integration_id] = SyncType.DELTA if delta_ok else SyncType.FULL
    return types


def _requeue_lost(*, now: datetime) -> int:
    """QUEUED syncs not started within the lease: their broker message may be lost; resend.

    Sending twice is harmless: a worker claims a sync with a compare-and-set.
    """
    stale = now - timedelta(seconds=settings.SYNC_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            Sync.objects.select_for_update(skip_locked=True)
            .filter(state=SyncState.QUEUED, heartbeat_at__lt=stale)
            .values_list("pk", flat=True)[: settings.SCHEDULER_BATCH_SIZE]
        )
        if ids:
            Sync.objects.filter(pk__in=ids, state=SyncState.QUEUED).update(heartbeat_at=now)
            _send_sync_tasks_on_commit(ids)
    return len(ids)


def syncs_reap_stale(*, now: datetime) -> int:
    """RUNNING syncs whose heartbeat stopped (a killed worker) end FAILED; the next one runs."""
    stale = now - timedelta(seconds=settings.SYNC_LEASE_SECONDS)
    reaped = 0
    for sync in Sync.objects.filter(state=SyncState.RUNNING, heartbeat_at__lt=stale).select_related(
        "integration"
    )[: settings.SCHEDULER_BATCH_SIZE]:
        with transaction.atomic():
            claimed = Sync.objects.filter(
                pk=sync.pk, state=SyncState.RUNNING, heartbeat_at__lt=stale
            ).update(state=SyncState.FAILED, finished_at=now, error="Worker lost: no heartbeat.")
            if not claimed:
                continue
            sync.refresh_from_db()
            integration_record_sync_finished(
                integration_id=sync.integration_id,
                state=sync.state,
                finished_at=now,
                warning_count=len(sync.warnings),
            )
            integration_schedule_next(integration_id=sync.integration_id, at=now)
            sync_finished_emit(sync=sync, integration=sync.integration)
        sync_finished_observe(sync)
        reaped += 1
    return reaped


@dataclass(frozen=True)
class AuthCheckRun:
    check: AuthCheck
    result: AuthResult
    transition: AuthTransition


def auth_check_run(
    *, integration: Integration, trigger: AuthCheckTrigger, sync: Sync | None = None
) -> AuthCheckRun:
    """Check the current credentials against the tool, record the check, apply the outcome."""
    log_integration_set(integration.pk)
    tool = tool_get(integration.tool)
    started = time.perf_counter()
    try:
        if tool.oauth is not None:
            result = oauth_credentials_check(
                integration=integration,
                scheduled=sync is not None and sync.trigger == SyncTrigger.SCHEDULE,
            )
        elif (credentials := credentials_current(integration=integration)) is None:
            result = AuthResult.invalid("No credentials are stored for this integration.")
        else:
            result = tool.check_auth(credentials)
    except CredentialDecryptionError as error:
        # A configuration problem on our side says nothing about the customer's credentials.
        result = AuthResult.unreachable(str(error))
    except Exception as error:
        logger.exception("The %s connector failed checking %s", tool.id, integration.pk)
        result = AuthResult.unreachable(
            f"The {tool.label} connector failed ({type(error).__name__}); see the worker log."
        )
    latency_ms = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        check = AuthCheck.objects.create(
            integration=integration,
            sync=sync,
            trigger=trigger,
            outcome=result.outcome,
            granted_permissions=sorted(result.granted_permissions),
            remote_account_id=result.remote_account_id,
            message=result.message,
            latency_ms=latency_ms,
        )
        transition = integration_record_auth_result(integration_id=integration.pk, result=result)
    auth_check_observe(check)
    logger.info("Auth check %s of %s: %s", check.pk, integration.pk, result.outcome)
    return AuthCheckRun(check=check, result=result, transition=transition)


def next_sync_delay(*, failed_auth: bool, retry_after: timedelta | None = None) -> timedelta:
    """When to sync again: the normal interval; sooner while authentication is failing (so the
    grace period is measured by several checks) or after a passing failure (`retry_after`,
    which honours a vendor's Retry-After); spread with jitter."""
    interval = settings.DELTA_SYNC_INTERVAL
    if failed_auth:
        interval = min(interval, settings.AUTH_FAILURE_GRACE_PERIOD / 8)
    if retry_after is not None:
        interval = min(interval, retry_after)
    return interval * random.uniform(0.95, 1.05)  # noqa: S311 - jitter, not security


def sync_finish(
    *,
    sync: Sync,
    state: SyncState,
    error: str = "",
    changed_models: list[str] | None = None,
    failed_auth: bool = False,
    retry_after: timedelta | None = None,
) -> bool:
    """End a RUNNING sync (compare-and-set), schedule the next one, emit the events."""
    now = timezone.now()
    with transaction.atomic():
        finished = Sync.objects.filter(pk=sync.pk, state=SyncState.RUNNING).update(
            state=state,
            finished_at=now,
            heartbeat_at=now,
            progress=100,
            counts=sync.counts,
            warnings=sync.warnings,
            error=error,
        )
        if not finished:
            return False
        sync.refresh_from_db()
        integration = sync.integration
        read_everything = sync.type == SyncType.FULL and state == SyncState.SUCCEEDED
        integration_record_sync_finished(
            integration_id=integration.pk,
            state=state,
            finished_at=now,
            warning_count=len(sync.warnings),
            read_everything_since=sync.started_at if read_everything else None,
        )
        integration_schedule_next(
            integration_id=integration.pk,
            at=now + next_sync_delay(failed_auth=failed_auth, retry_after=retry_after),
            sync_started_at=sync.started_at,
        )
        sync_finished_emit(sync=sync, integration=integration)
        if changed_models:
            data_changed_emit(integration=integration, model_ids=changed_models)
    sync_finished_observe(sync)
    logger.info("Sync %s of %s finished: %s", sync.pk, sync.integration_id, state)
    return True


def sync_heartbeat(*, sync: Sync, progress: int) -> bool:
    """Record progress; False when the sync must stop: reaped meanwhile, or its integration
    disabled or deleted (checked in the same statement, so a page costs no extra query)."""
    return bool(
        Sync.objects.filter(
            pk=sync.pk,
            state=SyncState.RUNNING,
            integration__enabled=True,
            integration__deleted_at__isnull=True,
        ).update(
            heartbeat_at=timezone.now(), progress=max(0, min(progress, 99)), counts=sync.counts
        )
    )


def sync_history_prune(*, now: datetime | None = None) -> int:
    """Delete finished syncs and auth checks older than SYNC_HISTORY_RETENTION.

    Active syncs are never touched; the health state lives on the integration, not in old rows.
    """
    cutoff = (now or timezone.now()) - settings.SYNC_HISTORY_RETENTION
    checks = rows_delete_in_batches(AuthCheck.objects.filter(created_at__lt=cutoff))
    return checks + rows_delete_in_batches(
        Sync.objects.filter(created_at__lt=cutoff).exclude(state__in=ACTIVE_SYNC_STATES)
    )

"""The syncs part of `make run`'s demo: the week since the demo customers connected, replayed.

The replay does what the scheduler and `syncs.runner` do, in order, at the moments they would
have done it: it picks the due integration the scheduler would pick, checks auth and records it
with `integration_record_auth_result`, skips what `scope_permission_gaps` says the key can't read,
ingests what Sandbox HR holds with `ingest_page`, and schedules the next sync with the product's
interval. The customers' fates strike in between. So the health on each integration is the
product's verdict on its checks, and the pages, the strips and the API agree.

It can't call `sync_run` itself: the runner stamps everything with the wall clock and fetches
over HTTP, and the demo's past has neither.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from integrations.models import Integration, SyncType
from integrations.read_models import READ_MODELS
from integrations.selectors.integrations import credentials_current, integration_wanted_fields
from integrations.services import (
    integration_record_auth_result,
    integration_record_sync_finished,
    integration_schedule_next,
    integrations_mark_sync_queued,
)
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult, Tool, readable_fields
from kombo_site.demo.customers import (
    DemoIntegration,
    demo_fate_strike,
    demo_happened_at,
    demo_sandbox_check_auth,
    demo_sandbox_fetch,
    demo_sandbox_key,
)
from sandbox_hr.models import SandboxApiKey
from syncs.events import data_changed_emit, sync_finished_emit
from syncs.ingest import IngestCounts, ingest_page, mark_unseen_deleted
from syncs.models import UNIFIED_MODELS, AuthCheck, AuthCheckTrigger, Sync, SyncState, SyncTrigger
from syncs.runner import permission_warnings, sync_delta_since
from syncs.services import next_sync_delay, sync_types_due

# Rows this module writes itself; `demo_happened_at` moves their wall-clock stamps too.
_SYNC_ROWS = ((Sync, ("created_at",)), (AuthCheck, ("created_at",)))


@dataclass(frozen=True)
class _Due:
    integration: Integration
    at: datetime


def demo_history_seed(*, integrations: Sequence[DemoIntegration], now: datetime) -> int:
    """Replay everything that happened to these integrations until `now`; returns how many
    syncs ran."""
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    ids = [demo.integration_id for demo in integrations]
    fates = sorted(
        (demo for demo in integrations if demo.strikes_at is not None),
        key=lambda demo: demo.strikes_at or now,
    )
    synced = 0
    with transaction.atomic():
        while True:
            due = _next_due(ids, rng)
            strikes_at = fates[0].strikes_at if fates else None
            if strikes_at is not None and (due is None or strikes_at <= due.at):
                with demo_happened_at(strikes_at):
                    demo_fate_strike(demo=fates.pop(0))
                continue
            # A sync that would still be running at `now` is the live product's to run.
            if due is None or due.at >= now - timedelta(minutes=1):
                return synced
            _sync_replay(due.integration, at=due.at, rng=rng)
            synced += 1


def _next_due(ids: list[str], rng: random.Random) -> _Due | None:
    """The integration the scheduler's tick picks next, and when (ticks come once a minute)."""
    integration = (
        # The scheduler's own conditions (syncs.services._enqueue_due_batch).
        Integration.objects.filter(
            pk__in=ids,
            enabled=True,
            sync_paused_reason__isnull=True,
            deleted_at__isnull=True,
            next_sync_at__isnull=False,
        )
        .select_related("scope_config")
        .order_by("next_sync_at", "pk")
        .first()
    )
    if integration is None or integration.next_sync_at is None:
        return None
    tick = timedelta(seconds=rng.uniform(0, settings.SCHEDULER_TICK_SECONDS))
    return _Due(integration=integration, at=integration.next_sync_at + tick)


def _sync_replay(integration: Integration, *, at: datetime, rng: random.Random) -> None:
    """One scheduled sync at `at`, as `syncs.runner` runs it and `sync_finish` ends it."""
    tool = tool_get(integration.tool)
    credentials = credentials_current(integration=integration) or {}
    with demo_happened_at(at, also=_SYNC_ROWS):
        sync = Sync.objects.create(
            integration=integration,
            type=sync_types_due(
                due=[(integration.pk, integration.tool, integration.full_sync_requested_at)],
                now=at,
            )[integration.pk],
            trigger=SyncTrigger.SCHEDULE,
            state=SyncState.RUNNING,
            started_at=at,
            heartbeat_at=at,
        )
        integrations_mark_sync_queued(integration_ids=[integration.pk])
        key = demo_sandbox_key(credentials)
        result = demo_sandbox_check_auth(key)
        AuthCheck.objects.create(
            integration=integration,
            sync=sync,
            trigger=AuthCheckTrigger.SYNC,
            outcome=result.outcome,
            granted_permissions=sorted(result.granted_permissions),
            remote_account_id=result.remote_account_id,
            message=result.message,
            latency_ms=rng.randint(40, 220),
        )
        integration_record_auth_result(integration_id=integration.pk, result=result, now=at)
        failed_auth = result.outcome == AuthOutcome.INVALID_CREDENTIALS
        changed_models = (
            _data_replay(sync, tool, key, result=result, at=at)
            if key is not None and not failed_auth
            else []
        )
        # Warnings alone leave a sync SUCCEEDED: Kombo's "the last sync was successful with
        # warnings".
        sync.state = SyncState.AUTHENTICATION_FAILED if failed_auth else SyncState.SUCCEEDED
        sync.error = result.message if failed_auth else ""
        sync.finished_at = sync.heartbeat_at = at + timedelta(seconds=rng.uniform(0.8, 4.0))
        sync.progress = 100
        sync.save()
        read_everything = sync.type == SyncType.FULL and sync.state == SyncState.SUCCEEDED
        integration_record_sync_finished(
            integration_id=integration.pk,
            state=sync.state,
            finished_at=sync.finished_at,
            warning_count=len(sync.warnings),
            read_everything_since=at if read_everything else None,
        )
        integration_schedule_next(
            integration_id=integration.pk,
            at=sync.finished_at + next_sync_delay(failed_auth=failed_auth),
            sync_started_at=at,
        )
        sync_finished_emit(sync=sync, integration=integration)
        if changed_models:
            data_changed_emit(integration=integration, model_ids=changed_models)


def _data_replay(
    sync: Sync, tool: Tool, key: SandboxApiKey, *, result: AuthResult, at: datetime
) -> list[str]:
    """Read what the scope wants and the key may: the runner's loop. Returns the changed models."""
    since = sync_delta_since(sync) if sync.type == SyncType.DELTA else None
    changed = []
    wanted = integration_wanted_fields(integration=sync.integration)
    gaps = tool.scope_permission_gaps(scope=wanted, granted=result.granted_permissions)
    for model_id, field_ids in wanted.items():
        sync.warnings.extend(permission_warnings(gaps[model_id]))
        fields = readable_fields(field_ids, gaps[model_id])
        if fields is None:
            continue
        counts = IngestCounts()
        fields |= frozenset(READ_MODELS[model_id].references)
        for page in demo_sandbox_fetch(key, model_id, fields, since):
            counts.add(
                ingest_page(
                    model=UNIFIED_MODELS[model_id],
                    integration_id=sync.integration_id,
                    sync_id=sync.pk,
                    all_fields=READ_MODELS[model_id].stored_fields,
                    records=page,
                    now=at,
                )
            )
        if sync.type == SyncType.FULL:
            counts.deleted = mark_unseen_deleted(
                model=UNIFIED_MODELS[model_id],
                integration_id=sync.integration_id,
                sync_id=sync.pk,
                now=at,
            )
        sync.counts[model_id] = counts.as_dict()
        if counts.changed:
            changed.append(model_id)
    return changed

"""Auth health and sync scheduling of integrations: the three-day rule lives here.

The syncs app reports each auth check with `integration_record_auth_result`; only these
services change `status`, the failure streak, the pause and `next_sync_at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone

from core.tasks import tasks_send_on_commit
from core.timestamps import iso_timestamp
from integrations.actors import Actor
from integrations.events import integration_state_changed_emit, issue_status_changed_emit
from integrations.models import (
    EventKind,
    Integration,
    IntegrationStatus,
    Issue,
    IssueStatus,
    IssueType,
    SyncPausedReason,
)
from integrations.services.integrations import integration_event_record
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult

# Sent by name: the integrations app never imports the syncs app.
SCHEDULER_TICK_TASK = "syncs.tasks.scheduler_tick_task"


def scheduler_tick_request_on_commit() -> None:
    """Ask for a scheduler tick right after commit, so an integration whose `next_sync_at` was
    just set to now syncs at once. Without a broker it simply waits for the next beat tick: the
    change is committed either way, so the caller's request must not fail."""

    tasks_send_on_commit(SCHEDULER_TICK_TASK, [[]], recovery="the next beat tick")


HEALTH_ACTOR = Actor.system("health check")


class AuthTransition(StrEnum):
    NONE = "NONE"
    STREAK_STARTED = "STREAK_STARTED"
    STREAK_GREW = "STREAK_GREW"
    INVALIDATED = "INVALIDATED"
    RECOVERED = "RECOVERED"
    REACTIVATED = "REACTIVATED"


def integration_record_auth_result(
    *, integration_id: str, result: AuthResult, now: datetime | None = None
) -> AuthTransition:
    """Apply one auth check's outcome to the integration's health, in one transaction.

    INVALID_CREDENTIALS grows the streak (raising the issue on its first failure) and, once
    every check for AUTH_FAILURE_GRACE_PERIOD has failed, makes the integration INVALID and
    pauses scheduling — exactly once, because the row is locked and the status checked.
    OK ends a streak and, for an integration paused for authentication, resumes it.
    UNREACHABLE changes nothing: it says nothing about the credentials.
    """
    now = now or timezone.now()
    if result.outcome == AuthOutcome.UNREACHABLE:
        return AuthTransition.NONE
    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration_id)
        if integration.deleted_at is not None:
            return AuthTransition.NONE
        if result.outcome == AuthOutcome.OK:
            transition = integration_auth_ok_apply(integration, result, now)
        else:
            transition = _record_failure(integration, result, now)
    return transition


def integration_auth_ok_apply(
    integration: Integration, result: AuthResult, now: datetime
) -> AuthTransition:
    """Working credentials on a locked integration: end the streak, resolve the issue and
    resume an integration paused for authentication. Saves the integration."""
    transition = AuthTransition.NONE
    integration.last_auth_ok_at = now
    if not integration.remote_account_id and result.remote_account_id:
        integration.remote_account_id = result.remote_account_id
    if integration.auth_failing_since is not None:
        integration.auth_failing_since = None
        integration.consecutive_auth_failures = 0
        _issue_resolve(integration, now)
        integration_event_record(
            integration=integration, kind=EventKind.AUTH_RECOVERED, actor=HEALTH_ACTOR
        )
        transition = AuthTransition.RECOVERED
    if (
        integration.status == IntegrationStatus.INVALID
        and integration.sync_paused_reason == SyncPausedReason.AUTHENTICATION
        and integration.enabled
    ):
        integration.status = IntegrationStatus.ACTIVE
        integration.sync_paused_reason = None
        integration.next_sync_at = now
        integration.save()
        integration_event_record(
            integration=integration, kind=EventKind.RESUMED, actor=HEALTH_ACTOR
        )
        integration_event_record(
            integration=integration,
            kind=EventKind.STATUS_CHANGED,
            actor=HEALTH_ACTOR,
            data={"from": IntegrationStatus.INVALID, "to": IntegrationStatus.ACTIVE},
        )
        integration_state_changed_emit(integration=integration)
        return AuthTransition.REACTIVATED
    integration.save()
    return transition


def _record_failure(integration: Integration, result: AuthResult, now: datetime) -> AuthTransition:
    integration.consecutive_auth_failures += 1
    transition = AuthTransition.STREAK_GREW
    if integration.auth_failing_since is None:
        integration.auth_failing_since = now
        _issue_raise(integration, result, now)
        integration_event_record(
            integration=integration,
            kind=EventKind.AUTH_FAILING,
            actor=HEALTH_ACTOR,
            data={"message": result.message},
        )
        transition = AuthTransition.STREAK_STARTED
    failing_for = now - integration.auth_failing_since
    if (
        integration.status == IntegrationStatus.ACTIVE
        and integration.enabled
        and failing_for >= settings.AUTH_FAILURE_GRACE_PERIOD
    ):
        integration.status = IntegrationStatus.INVALID
        integration.sync_paused_reason = SyncPausedReason.AUTHENTICATION
        integration.next_sync_at = None
        integration.save()
        integration_event_record(
            integration=integration,
            kind=EventKind.STATUS_CHANGED,
            actor=HEALTH_ACTOR,
            data={
                "from": IntegrationStatus.ACTIVE,
                "to": IntegrationStatus.INVALID,
                "failing_since": iso_timestamp(integration.auth_failing_since),
            },
        )
        integration_event_record(
            integration=integration,
            kind=EventKind.PAUSED,
            actor=HEALTH_ACTOR,
            data={"reason": SyncPausedReason.AUTHENTICATION},
        )
        integration_state_changed_emit(integration=integration)
        return AuthTransition.INVALIDATED
    integration.save()
    return transition


def _issue_raise(integration: Integration, result: AuthResult, now: datetime) -> None:
    label = tool_get(integration.tool).label
    issue = Issue.objects.create(
        integration=integration,
        type=IssueType.AUTHENTICATION_FAILED,
        title=f"Authentication with {label} failed",
        markdown_message=(
            f"We could not authenticate with **{label}**: "
            f"{result.message or 'the credentials were rejected'}. "
            "If this continues, syncs pause and the integration becomes invalid; send the "
            "customer a reconnection link so they can enter new credentials."
        ),
        first_observed_at=now,
    )
    issue_status_changed_emit(issue=issue, integration=integration, change="raised")


def _issue_resolve(integration: Integration, now: datetime) -> None:
    for issue in Issue.objects.filter(
        integration=integration,
        type=IssueType.AUTHENTICATION_FAILED,
        status=IssueStatus.OPEN,
    ):
        issue.status = IssueStatus.RESOLVED
        issue.resolved_at = now
        issue.save(update_fields=["status", "resolved_at"])
        issue_status_changed_emit(issue=issue, integration=integration, change="resolved")


def integrations_mark_sync_queued(*, integration_ids: Iterable[str]) -> None:
    """A sync is queued for these: nothing more is scheduled until it finishes. A FULL sync
    owed stays owed (`full_sync_requested_at`) until one delivers it."""
    Integration.objects.filter(pk__in=list(integration_ids)).update(next_sync_at=None)


def integration_full_sync_request(*, integration_id: str, now: datetime) -> None:
    """A FULL sync is wanted while another sync is active: it runs right after that one.

    The newest request's time is kept: only a FULL sync that starts after it delivers it (an
    older request may already be delivered by the sync that is running).
    """
    Integration.objects.filter(pk=integration_id).update(full_sync_requested_at=now)


def integration_schedule_next(
    *, integration_id: str, at: datetime, sync_started_at: datetime | None = None
) -> bool:
    """Set when the next sync runs, unless the integration is paused, disabled or deleted.

    A FULL sync requested after `sync_started_at` (while the sync that just ended ran, so it
    could not deliver it) is due at once instead of at `at`.
    """
    next_sync_at: Any = Value(at)
    if sync_started_at is not None:
        next_sync_at = Case(
            When(full_sync_requested_at__gt=sync_started_at, then=Value(timezone.now())),
            default=Value(at),
            output_field=DateTimeField(),
        )
    return bool(
        Integration.objects.filter(
            pk=integration_id,
            enabled=True,
            sync_paused_reason__isnull=True,
            deleted_at__isnull=True,
        ).update(next_sync_at=next_sync_at)
    )


def integration_record_sync_finished(
    *,
    integration_id: str,
    state: str,
    finished_at: datetime,
    warning_count: int,
    read_everything_since: datetime | None = None,
) -> None:
    """Remember the newest finished sync on the integration (the list filters and sorts on it).

    `read_everything_since`: the start of a FULL sync that just succeeded. What was owed or
    expired before then is delivered: the FULL request and `data_expired_at` are cleared
    (Kombo: `data_expired_at` "is cleared after a successful sync"); later ones stay.
    """
    updates: dict[str, Any] = {
        "last_sync_state": state,
        "last_sync_finished_at": finished_at,
        "last_sync_warning_count": warning_count,
    }
    if read_everything_since is not None:
        for name in ("full_sync_requested_at", "data_expired_at"):
            updates[name] = Case(
                When(**{f"{name}__lte": read_everything_since}, then=Value(None)),
                default=F(name),
                output_field=DateTimeField(),
            )
    Integration.objects.filter(pk=integration_id).update(**updates)

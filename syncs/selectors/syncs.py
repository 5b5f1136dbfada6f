"""Reads of sync runs and auth checks for pages and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypedDict

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Trunc
from django.utils import translation

from integrations.models import Integration
from integrations.read_models import READ_MODELS
from integrations.tools import TOOLS
from integrations.tools.base import AuthOutcome
from syncs.models import ACTIVE_SYNC_STATES, AuthCheck, Sync, SyncState


def sync_list(*, integration: Integration) -> QuerySet[Sync]:
    return Sync.objects.filter(integration=integration).order_by("-created_at", "-pk")


def sync_get(*, environment_id: str, sync_id: str) -> Sync | None:
    return (
        Sync.objects.select_related("integration")
        .filter(pk=sync_id, integration__environment_id=environment_id)
        .first()
    )


def sync_get_for_operator(*, sync_id: str) -> Sync | None:
    """A sync of any environment, with its integration and the auth check it began with."""
    return Sync.objects.select_related("integration", "auth_check").filter(pk=sync_id).first()


def auth_check_list(*, integration: Integration, limit: int = 50) -> list[AuthCheck]:
    return list(AuthCheck.objects.filter(integration=integration).order_by("-created_at")[:limit])


# --- History strips of the integration page -------------------------------------------------

STRIP_DAYS = 7


@dataclass(frozen=True)
class StripBucket:
    """One hour of the strip: how many checks (or syncs) ended how."""

    start: datetime
    ok: int = 0
    warning: int = 0
    failed: int = 0
    neutral: int = 0
    detail: str = ""

    @property
    def total(self) -> int:
        return self.ok + self.warning + self.failed + self.neutral

    @property
    def tone(self) -> str:
        """The worst thing that happened in the hour decides its colour."""
        if self.failed:
            return "failed"
        if self.warning:
            return "warning"
        if self.ok:
            return "ok"
        return "neutral" if self.neutral else "empty"


def _hour_buckets(now: datetime) -> list[datetime]:
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    hours = STRIP_DAYS * 24
    return [end - timedelta(hours=hours - index) for index in range(hours)]


def auth_check_strip(*, integration: Integration, now: datetime) -> list[StripBucket]:
    """The last seven days of auth checks, per hour, in one grouped query."""
    starts = _hour_buckets(now)
    rows = (
        AuthCheck.objects.filter(integration=integration, created_at__gte=starts[0])
        .annotate(hour=Trunc("created_at", "hour", tzinfo=UTC))
        .values("hour")
        .annotate(
            ok=Count("pk", filter=Q(outcome=AuthOutcome.OK)),
            invalid=Count("pk", filter=Q(outcome=AuthOutcome.INVALID_CREDENTIALS)),
            unreachable=Count("pk", filter=Q(outcome=AuthOutcome.UNREACHABLE)),
            # One of the hour's failure messages, not necessarily the newest: within an hour
            # they rarely differ, and picking the newest would cost a query per bucket.
            failure_message=Max("message", filter=~Q(outcome=AuthOutcome.OK)),
        )
        .order_by()
    )
    by_hour = {row["hour"]: row for row in rows}
    buckets = []
    for start in starts:
        row = by_hour.get(start)
        if row is None:
            buckets.append(StripBucket(start=start))
            continue
        parts = [f"{row['ok']} OK"] if row["ok"] else []
        if row["invalid"]:
            parts.append(f"{row['invalid']} invalid credentials")
        if row["unreachable"]:
            parts.append(f"{row['unreachable']} unreachable")
        detail = ", ".join(parts)
        if row["failure_message"]:
            detail += f" — {row['failure_message'][:160]}"
        buckets.append(
            StripBucket(
                start=start,
                ok=row["ok"],
                warning=row["unreachable"],
                failed=row["invalid"],
                detail=detail,
            )
        )
    return buckets


# A sync that succeeded with warnings is counted apart, as "warning" (Kombo's "Sync has
# warnings"); a partial failure is a failure ("Sync failing").
SYNC_TONES = {
    SyncState.SUCCEEDED: "ok",
    SyncState.PARTIALLY_FAILED: "failed",
    SyncState.FAILED: "failed",
    SyncState.AUTHENTICATION_FAILED: "failed",
    SyncState.CANCELLED: "neutral",
    SyncState.QUEUED: "neutral",
    SyncState.RUNNING: "neutral",
}


def sync_strip(*, integration: Integration, now: datetime) -> list[StripBucket]:
    """The last seven days of syncs by the hour they were queued, in one grouped query."""
    starts = _hour_buckets(now)
    rows = (
        Sync.objects.filter(integration=integration, created_at__gte=starts[0])
        .annotate(hour=Trunc("created_at", "hour", tzinfo=UTC))
        .values("hour", "state")
        .annotate(count=Count("pk"), warned=Count("pk", filter=~Q(warnings=[])))
        .order_by()
    )
    by_hour: dict[datetime, dict[str, tuple[int, int]]] = {}
    for row in rows:
        by_hour.setdefault(row["hour"], {})[row["state"]] = (row["count"], row["warned"])
    buckets = []
    for start in starts:
        states = by_hour.get(start, {})
        tones = {"ok": 0, "warning": 0, "failed": 0, "neutral": 0}
        words = []
        for state, (count, warned) in sorted(states.items()):
            tone = SYNC_TONES.get(SyncState(state), "neutral")
            if tone == "ok":
                tones["ok"] += count - warned
                tones["warning"] += warned
            else:
                tones[tone] += count
            word = f"{count} {SyncState(state).label.lower().replace('_', ' ')}"
            words.append(f"{word} ({warned} with warnings)" if tone == "ok" and warned else word)
        buckets.append(StripBucket(start=start, detail=", ".join(words), **tones))
    return buckets


def sync_latest(*, integration: Integration) -> Sync | None:
    return sync_list(integration=integration).first()


def sync_progress_shown(*, integration: Integration) -> tuple[Sync | None, bool]:
    """The newest sync, and whether it still runs (the progress panel polls while it does).

    A running sync is always the newest: one active sync per integration, and none is created
    while one is active.
    """
    latest = sync_latest(integration=integration)
    return latest, latest is not None and latest.state in ACTIVE_SYNC_STATES


# --- Sync warnings ---------------------------------------------------------------------------


class PermissionWarning(TypedDict):
    """A sync warning as `Sync.warnings` stores it: the tool's `PermissionGap` as a dict, its
    message as the API shows it. Syncs stored before this structure hold plain strings."""

    permission: str
    model_id: str
    field_id: str | None
    message: str


StoredWarning = PermissionWarning | str


def sync_warning_messages(warnings: Sequence[StoredWarning]) -> list[str]:
    """The warnings as the syncs API has always listed them: one sentence each."""
    return [warning if isinstance(warning, str) else warning["message"] for warning in warnings]


@dataclass(frozen=True)
class WarningGroup:
    """One line of a sync's warnings: what of one model a missing permission kept from being
    read. `text` alone is a warning stored as a sentence, which cannot be grouped."""

    text: str
    needs: str = ""
    field_ids: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        return f"{self.text} — needs ‘{self.needs}’" if self.needs else self.text


def sync_warning_groups(*, warnings: Sequence[StoredWarning], tool_id: str) -> list[WarningGroup]:
    """The warnings one line per (model, permission), in the order they were raised:
    "Employees: 9 fields not readable", needing the tool's words for the permission."""
    tool = TOOLS.get(tool_id)
    fields: dict[tuple[str, str], list[str]] = {}
    plain: list[str] = []
    for warning in warnings:
        if isinstance(warning, str):
            plain.append(warning)
            continue
        model_fields = fields.setdefault((warning["model_id"], warning["permission"]), [])
        if warning["field_id"] is not None:
            model_fields.append(warning["field_id"])
    groups = []
    for (model_id, permission), field_ids in fields.items():
        model = READ_MODELS.get(model_id)
        label = model.label if model else model_id
        if not field_ids:
            what = "not readable"
        elif len(field_ids) == 1:
            what = "1 field not readable"
        else:
            what = f"{len(field_ids)} fields not readable"
        # The tool's words may be translatable for the hosted form; this page is in English.
        with translation.override("en"):
            needs = str(tool.permissions.get(permission, permission)) if tool else permission
        groups.append(
            WarningGroup(text=f"{label}: {what}", needs=needs, field_ids=tuple(field_ids))
        )
    return groups + [WarningGroup(text=text) for text in plain]

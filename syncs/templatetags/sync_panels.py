"""Panels the syncs app renders into other apps' pages (the integration page places them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from integrations.models import Integration
from syncs.models import Sync
from syncs.selectors.syncs import (
    StripBucket,
    WarningGroup,
    auth_check_list,
    auth_check_strip,
    sync_list,
    sync_progress_shown,
    sync_strip,
    sync_warning_groups,
)

register = template.Library()

SYNC_HISTORY_LENGTH = 20
# Width of one hour in the strip's SVG user units; the SVG scales to its container.
STRIP_HOUR_WIDTH = 6


# A day partly in the strip is labelled when at least this many of its hours are.
DAY_LABEL_MIN_HOURS = 12


@dataclass(frozen=True)
class Day:
    """One local day of the strip: where it starts (a tick at midnight) and how wide it is, in
    the SVG's units; its label takes the day's width, so no two labels can overlap."""

    x: int
    width: int
    weekday: str
    number: int
    starts_at_midnight: bool
    labelled: bool


@dataclass(frozen=True)
class Strip:
    id: str
    title: str
    summary: str
    bars: SafeString
    days: list[Day]
    width: int


def _bar(x: int, bucket: StripBucket) -> str:
    # 168 bars per strip: plain string formatting, not a template loop, keeps the page fast.
    start = timezone.localtime(bucket.start)
    detail = bucket.detail if bucket.total else "nothing"
    return (
        f'<rect class="strip__bar strip__bar--{bucket.tone}" x="{x}" y="2" width="5" '
        f'height="26" rx="1" data-hour="{start.isoformat()}"><title>'
        f"{start:%a %b} {start.day}, {start:%H}:00–{start:%H}:59 · {escape(detail)}"
        "</title></rect>"
    )


def _days(buckets: list[StripBucket]) -> list[Day]:
    hours_by_day: dict[date, list[int]] = {}
    for index, bucket in enumerate(buckets):
        hours_by_day.setdefault(timezone.localtime(bucket.start).date(), []).append(index)
    return [
        Day(
            x=hours[0] * STRIP_HOUR_WIDTH,
            width=len(hours) * STRIP_HOUR_WIDTH,
            weekday=f"{day:%a}",
            number=day.day,
            starts_at_midnight=timezone.localtime(buckets[hours[0]].start).hour == 0,
            labelled=len(hours) >= DAY_LABEL_MIN_HOURS,
        )
        for day, hours in hours_by_day.items()
    ]


def _strip(strip_id: str, title: str, noun: str, buckets: list[StripBucket]) -> Strip:
    total = sum(bucket.total for bucket in buckets)
    failed = sum(bucket.failed for bucket in buckets)
    warned = sum(bucket.warning for bucket in buckets)
    summary = f"Last 7 days: {total} {noun}{'s' if total != 1 else ''}"
    if total:
        summary += f", {failed} failed, {warned} with warnings"
    return Strip(
        id=strip_id,
        title=title,
        summary=summary,
        bars=mark_safe(  # noqa: S308 - every value in it is ours or escaped in _bar
            "".join(_bar(index * STRIP_HOUR_WIDTH, b) for index, b in enumerate(buckets))
        ),
        days=_days(buckets),
        width=len(buckets) * STRIP_HOUR_WIDTH,
    )


@register.inclusion_tag("syncs/_history_strips.html")
def history_strips(integration: Integration) -> dict[str, Any]:
    now = timezone.now()
    return {
        "strips": [
            _strip(
                "auth-strip",
                "Auth checks",
                "check",
                auth_check_strip(integration=integration, now=now),
            ),
            _strip("sync-strip", "Syncs", "sync", sync_strip(integration=integration, now=now)),
        ]
    }


@dataclass(frozen=True)
class SyncRow:
    sync: Sync
    warnings: list[WarningGroup]


@register.inclusion_tag("syncs/_sync_history.html")
def sync_history(integration: Integration) -> dict[str, Any]:
    return {
        "integration": integration,
        "rows": [
            SyncRow(sync, sync_warning_groups(warnings=sync.warnings, tool_id=integration.tool))
            for sync in sync_list(integration=integration)[:SYNC_HISTORY_LENGTH]
        ],
    }


@register.inclusion_tag("syncs/_activity.html")
def sync_progress(integration: Integration) -> dict[str, Any]:
    """Where the page's actions say how they went, and a running sync's progress: a finished
    sync is in the tables, not here."""
    sync, running = sync_progress_shown(integration=integration)
    return {"integration": integration, "sync": sync if running else None, "polling": running}


@register.inclusion_tag("syncs/_auth_checks.html")
def auth_check_history(integration: Integration) -> dict[str, Any]:
    return {"checks": auth_check_list(integration=integration, limit=20)}


@register.inclusion_tag("syncs/_actions.html", takes_context=True)
def sync_actions(context: dict[str, Any], integration: Integration) -> dict[str, Any]:
    return {
        "integration": integration,
        "csrf_token": context.get("csrf_token"),
        "user": context.get("user"),
    }

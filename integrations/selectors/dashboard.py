"""Reads for the operator dashboard: the integration list with its health states and the
integration page's banner; the API key and request log pages.

Every function here issues a fixed number of queries, whatever the number of integrations:
the list filters, counts and sorts on columns of the integration row itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from core.models import ApiKey, Environment, RequestLog
from integrations.models import Integration, IntegrationStatus
from integrations.selectors.integrations import integration_list


class HealthState(StrEnum):
    """The dashboard's chips: four exclusive states, the names of Kombo's integrations page
    (docs.kombo.dev/integration-states), plus "has warnings", a facet across them.

    The API's `status` is coarser: an integration whose authentication fails is still ACTIVE
    there until the grace period makes it INVALID.
    """

    ACTIVE = "active"
    AUTH_FAILING = "auth_failing"
    INVALID = "invalid"
    INACTIVE = "inactive"
    WARNINGS = "warnings"

    @property
    def label(self) -> str:
        return HEALTH_STATE_LABELS[self]

    @property
    def is_facet(self) -> bool:
        """Whether it cuts across the states rather than being one of them."""
        return self is HealthState.WARNINGS

    @property
    def label_is_api_status(self) -> bool:
        """Whether its label is also the API's `status` (Active, Inactive); where it isn't, the
        list shows the API's word too, which is what the operator's backend sees."""
        return self in (HealthState.ACTIVE, HealthState.INACTIVE)

    @property
    def badge(self) -> str:
        """The tone of its badge (`.badge--<tone>`), the colour of its chip's dot."""
        return HEALTH_STATE_BADGES[self]


HEALTH_STATE_LABELS = {
    HealthState.ACTIVE: "Active",
    HealthState.AUTH_FAILING: "Authentication failing",
    HealthState.INVALID: "Credentials invalid",
    HealthState.INACTIVE: "Inactive",
    HealthState.WARNINGS: "Has warnings",
}

HEALTH_STATE_BADGES = {
    HealthState.ACTIVE: "active",
    HealthState.AUTH_FAILING: "warning",
    HealthState.INVALID: "invalid",
    HealthState.INACTIVE: "inactive",
    HealthState.WARNINGS: "warning",
}

# The same rule twice, next to each other: as SQL for the chips and filters, and in Python for
# a row already loaded (`integration_health_state`). tests/integrations/
# test_dashboard_state_badges.py checks that every row's badge is the chip counting it.
HEALTH_STATE_FILTERS = {
    HealthState.ACTIVE: Q(status=IntegrationStatus.ACTIVE, auth_failing_since__isnull=True),
    HealthState.AUTH_FAILING: Q(status=IntegrationStatus.ACTIVE, auth_failing_since__isnull=False),
    HealthState.INVALID: Q(status=IntegrationStatus.INVALID),
    HealthState.INACTIVE: Q(status=IntegrationStatus.INACTIVE),
    HealthState.WARNINGS: Q(last_sync_warning_count__gt=0),
}


def integration_health_state(integration: Integration) -> HealthState:
    """The one exclusive state (never the facet) the chips count this integration under."""
    if integration.status == IntegrationStatus.INVALID:
        return HealthState.INVALID
    if integration.status == IntegrationStatus.INACTIVE:
        return HealthState.INACTIVE
    if integration.auth_failing_since is not None:
        return HealthState.AUTH_FAILING
    return HealthState.ACTIVE


class IntegrationSort(StrEnum):
    NEWEST = "-created"
    OLDEST = "created"
    ORGANIZATION = "organization"
    ORGANIZATION_DESC = "-organization"
    LAST_SYNC = "-last_sync"
    LAST_SYNC_OLDEST = "last_sync"
    PAUSE_SOONEST = "pause"


SORT_ORDERINGS = {
    IntegrationSort.NEWEST: (F("created_at").desc(), F("id").desc()),
    IntegrationSort.OLDEST: (F("created_at").asc(), F("id").asc()),
    IntegrationSort.ORGANIZATION: (F("organization_name").asc(), F("id").asc()),
    IntegrationSort.ORGANIZATION_DESC: (F("organization_name").desc(), F("id").desc()),
    IntegrationSort.LAST_SYNC: (F("last_sync_finished_at").desc(nulls_last=True), F("id").desc()),
    IntegrationSort.LAST_SYNC_OLDEST: (
        F("last_sync_finished_at").asc(nulls_first=True),
        F("id").asc(),
    ),
    # The streak that started first pauses first; integrations that aren't failing go last.
    IntegrationSort.PAUSE_SOONEST: (F("auth_failing_since").asc(nulls_last=True), F("id").asc()),
}


def integration_dashboard_list(
    *,
    environment: Environment | None = None,
    state: HealthState | None = None,
    tool: str | None = None,
    search: str | None = None,
    sort: IntegrationSort = IntegrationSort.NEWEST,
) -> QuerySet[Integration]:
    queryset = integration_list(environment=environment, tool=tool, search=search)
    if state is not None:
        queryset = queryset.filter(HEALTH_STATE_FILTERS[state])
    return queryset.order_by(*SORT_ORDERINGS[sort])


def integration_state_counts(
    *,
    environment: Environment | None = None,
    tool: str | None = None,
    search: str | None = None,
) -> dict[HealthState | None, int]:
    """Live integrations per chip for the other filters, in one query; None counts them all."""
    queryset = integration_list(environment=environment, tool=tool, search=search).order_by()
    # COUNT(status) rather than COUNT(id): status is never null, and unlike the id it is in
    # integration_health_count_idx, so PostgreSQL counts from that index alone.
    counts = queryset.aggregate(
        all=Count("status"),
        **{
            state.value: Count("status", filter=HEALTH_STATE_FILTERS[state])
            for state in HealthState
        },
    )
    result: dict[HealthState | None, int] = {state: counts[state.value] for state in HealthState}
    result[None] = counts["all"]
    return result


def pause_due_at(integration: Integration) -> datetime | None:
    """When a failing streak pauses syncing at the earliest, if it keeps failing."""
    if integration.auth_failing_since is None or integration.status != IntegrationStatus.ACTIVE:
        return None
    grace: timedelta = settings.AUTH_FAILURE_GRACE_PERIOD
    return integration.auth_failing_since + grace


@dataclass(frozen=True)
class HealthSummary:
    """What the integration page's banner says: what is wrong and what to do."""

    level: str  # "error", "warning" or "info"
    title: str
    detail: str
    action: str
    pause_at: datetime | None = None


def integration_health_summary(*, integration: Integration, now: datetime) -> HealthSummary | None:
    """None when nothing needs the operator's attention."""
    failing_since = integration.auth_failing_since
    checks = integration.consecutive_auth_failures
    if integration.deleted_at is not None:
        return None
    if not integration.enabled:
        return HealthSummary(
            level="info",
            title="This integration is disabled.",
            detail="No syncs run while it is disabled; credentials and configuration are kept.",
            action="Enable it to resume syncing.",
        )
    if integration.status == IntegrationStatus.INVALID:
        since = f" since {_moment(failing_since, now)}" if failing_since else ""
        return HealthSummary(
            level="error",
            title=f"Authentication has failed{since} ({_checks(checks)}). Syncs are paused.",
            detail="The customer's credentials no longer work, so no data is synced.",
            action="Create a reconnection link below and send it to the customer; "
            "syncs resume as soon as they enter working credentials.",
        )
    pause_at = pause_due_at(integration)
    if failing_since is not None and pause_at is not None:
        remaining = pause_at - now
        when = (
            f"Syncs pause in {duration_words(remaining)}"
            if remaining > timedelta(0)
            else "Syncs pause at the next failed check"
        )
        return HealthSummary(
            level="warning",
            title=f"Authentication has failed since {_moment(failing_since, now)} "
            f"({_checks(checks)}). {when}.",
            detail="Syncs keep running until then; a successful check ends the streak.",
            action="Create a reconnection link below, or check auth now if the customer "
            "says it's fixed.",
            pause_at=pause_at,
        )
    if integration.last_sync_warning_count:
        return HealthSummary(
            level="warning",
            title=f"The last sync finished with {integration.last_sync_warning_count} "
            f"warning{'s' if integration.last_sync_warning_count != 1 else ''}.",
            detail="Some data was skipped, usually because a permission is missing.",
            action="See the sync's warnings below; a reconnection link lets the customer "
            "grant what is missing.",
        )
    return None


def duration_words(duration: timedelta) -> str:
    """'1 day 3 h', '5 h 20 min', '12 min': the two largest units, for banners and lists."""
    minutes = max(0, int(duration.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        day_words = f"{days} day{'s' if days != 1 else ''}"
        return f"{day_words} {hours} h" if hours else day_words
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{max(minutes, 1)} min"


def _checks(count: int) -> str:
    return f"{count} failed check{'s' if count != 1 else ''}"


def _moment(moment: datetime, now: datetime) -> str:
    """'Mon 14:02' within the last week, 'Nov 3, 14:02' before; in the site's time zone."""
    local = timezone.localtime(moment)
    if now - moment < timedelta(days=6):
        return local.strftime("%a %H:%M")
    return local.strftime("%b %-d, %H:%M")


# --- API keys and request logs ---------------------------------------------------------

REQUEST_LOG_LIST_LIMIT = 200


def api_key_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("environment", "created_by").order_by("-created_at", "-id")


def api_key_get(*, api_key_id: str) -> ApiKey | None:
    return ApiKey.objects.filter(pk=api_key_id).first()


def request_log_list(
    *,
    integration_id: str | None = None,
    status_code: int | None = None,
    path: str | None = None,
    limit: int = REQUEST_LOG_LIST_LIMIT,
) -> list[RequestLog]:
    queryset = RequestLog.objects.select_related("environment", "api_key")
    if integration_id:
        queryset = queryset.filter(integration_id=integration_id)
    if status_code is not None:
        queryset = queryset.filter(status_code=status_code)
    if path:
        queryset = queryset.filter(path__icontains=path)
    return list(queryset.order_by("-created_at", "-id")[:limit])


def request_log_get(*, log_id: str) -> RequestLog | None:
    return RequestLog.objects.select_related("environment", "api_key").filter(pk=log_id).first()

"""The syncs app's figures for /metrics (see core.metrics): syncs and auth checks as they end,
recorded in the worker process that ran them."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from syncs.models import AuthCheck, Sync

SYNCS_FINISHED = Counter(
    "kombo_syncs_finished",
    "Syncs that ended, by tool and final state (SUCCEEDED, PARTIALLY_FAILED, FAILED, "
    "AUTHENTICATION_FAILED, CANCELLED).",
    ["tool", "outcome"],
)
SYNC_DURATION = Histogram(
    "kombo_sync_duration_seconds",
    "From a worker starting a sync to its end, by tool.",
    ["tool"],
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200),
)
AUTH_CHECKS = Counter(
    "kombo_auth_checks",
    "Authentication checks against the HR tools, by tool and outcome (OK, "
    "INVALID_CREDENTIALS, UNREACHABLE).",
    ["tool", "outcome"],
)


def sync_finished_observe(sync: Sync) -> None:
    """Count a sync that just ended (its row refreshed, its integration loaded)."""
    tool = sync.integration.tool
    SYNCS_FINISHED.labels(tool=tool, outcome=sync.state).inc()
    if sync.started_at is not None and sync.finished_at is not None:
        SYNC_DURATION.labels(tool=tool).observe(
            max((sync.finished_at - sync.started_at).total_seconds(), 0.0)
        )


def auth_check_observe(check: AuthCheck) -> None:
    """Count an auth check just recorded (its integration loaded)."""
    AUTH_CHECKS.labels(tool=check.integration.tool, outcome=check.outcome).inc()

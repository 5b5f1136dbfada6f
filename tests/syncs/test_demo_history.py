"""`seed_demo` gives every demo integration the week it would have had: syncs on the product's
schedule, and checks that fail exactly while the customer's Sandbox HR key doesn't work.

The schedule and the three-day rule are DESIGN.md's ("The health loop"); when a key was
revoked is what Sandbox HR itself recorded.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.conf import settings
from django.core.management import call_command

from integrations.models import EventKind, Integration, IntegrationEvent
from integrations.tools.sandbox import PERM_PERSONAL
from sandbox_hr.models import (
    SandboxAbsence,
    SandboxApiKey,
    SandboxEmployee,
    SandboxEmployment,
    SandboxTimeOffBalance,
)
from syncs.models import AuthCheck, Sync, SyncState

pytestmark = pytest.mark.django_db

# Intervals get up to 5% of jitter; a due sync waits for the next tick (once a minute) and
# counts from when the previous one finished (seconds after it was queued).
SLACK = timedelta(minutes=1, seconds=30)


def _syncs(integration: Integration) -> list[Sync]:
    return list(Sync.objects.filter(integration=integration).order_by("created_at"))


def _checks(integration: Integration) -> list[AuthCheck]:
    return list(AuthCheck.objects.filter(integration=integration).order_by("created_at"))


def _event_at(integration: Integration, kind: EventKind) -> IntegrationEvent:
    return IntegrationEvent.objects.get(integration=integration, kind=kind)


def test_it_replays_each_integrations_week_as_the_product_would_have() -> None:
    call_command("seed_demo", stdout=StringIO())

    by_name = {i.organization_name: i for i in Integration.objects.all()}
    healthy, globex = by_name["Acme GmbH"], by_name["Globex Corporation"]
    failing, invalid, disabled = (
        by_name["Initech AG"],
        by_name["Umbrella SA"],
        by_name["Hooli Inc."],
    )

    # A healthy integration syncs every DELTA_SYNC_INTERVAL, FULL when the last FULL is older
    # than FULL_SYNC_INTERVAL, and every sync succeeds.
    syncs = _syncs(healthy)
    assert {s.state for s in syncs} == {SyncState.SUCCEEDED}
    assert len(syncs) >= 6 * 24 // 3
    interval = settings.DELTA_SYNC_INTERVAL
    for earlier, later in pairwise(syncs):
        gap = later.created_at - earlier.created_at
        assert interval * 0.95 <= gap <= interval * 1.05 + SLACK
    assert syncs[0].type == "FULL"
    # A DELTA sync reads what Sandbox HR changed (its records' `updated_at`) since the start of
    # the sync before it (DESIGN.md: delta syncs); what a customer's account held before it
    # connected is not news to a later delta.
    changed_since = {
        "hris_employees": SandboxEmployee,
        "hris_employments": SandboxEmployment,
        "hris_absences": SandboxAbsence,
        "hris_time_off_balances": SandboxTimeOffBalance,
    }
    for earlier, delta in pairwise(syncs):
        if delta.type != "DELTA":
            continue
        for model_id, model in changed_since.items():
            changed = model.objects.filter(
                account_id=healthy.remote_account_id,
                updated_at__gte=earlier.started_at,
                updated_at__lte=delta.started_at,
            ).count()
            assert delta.counts[model_id]["fetched"] == changed, (model_id, delta.started_at)
    last_full = syncs[0]
    for sync in syncs[1:]:
        assert last_full.finished_at is not None
        full_is_due = sync.created_at - last_full.finished_at >= settings.FULL_SYNC_INTERVAL
        assert sync.type == ("FULL" if full_is_due else "DELTA")
        last_full = sync if sync.type == "FULL" else last_full

    # Globex's key lost a permission mid-week: from then on every sync warns about it.
    warned = [bool(s.warnings) for s in _syncs(globex)]
    assert warned[0] is False
    assert warned[-1] is True
    assert warned == sorted(warned)
    assert (
        PERM_PERSONAL
        not in SandboxApiKey.objects.get(account_id=globex.remote_account_id).permissions
    )
    assert globex.last_sync_state == SyncState.SUCCEEDED

    # The revoked keys: checks pass until Sandbox HR revoked the key, and fail from then on.
    for integration in (failing, invalid):
        key = SandboxApiKey.objects.get(account_id=integration.remote_account_id)
        assert key.revoked_at is not None
        checks = _checks(integration)
        # Seen once in a full CI run (an INVALID check before the revocation) and never alone:
        # the timeline says which side moved.
        timeline = (
            integration.organization_name,
            key.revoked_at,
            [(c.created_at, c.outcome) for c in checks],
        )
        assert {c.outcome for c in checks if c.created_at < key.revoked_at} == {"OK"}, timeline
        assert {c.outcome for c in checks if c.created_at > key.revoked_at} == {
            "INVALID_CREDENTIALS"
        }, timeline
        assert integration.auth_failing_since is not None
        assert (
            integration.auth_failing_since - key.revoked_at
            <= settings.DELTA_SYNC_INTERVAL * 1.05 + SLACK
        )
    assert failing.last_sync_state == SyncState.AUTHENTICATION_FAILED

    # Umbrella turned INVALID at its first failed check AUTH_FAILURE_GRACE_PERIOD into the
    # streak, and nothing synced after that pause.
    paused = _event_at(invalid, EventKind.PAUSED).created_at
    assert invalid.auth_failing_since is not None
    failures_after_grace = [
        c.created_at
        for c in _checks(invalid)
        if c.created_at - invalid.auth_failing_since >= settings.AUTH_FAILURE_GRACE_PERIOD
    ]
    assert failures_after_grace == [paused]
    assert _syncs(invalid)[-1].created_at == paused

    # Hooli was disabled mid-week and never synced again.
    disabled_at = _event_at(disabled, EventKind.DISABLED).created_at
    assert _syncs(disabled)[-1].created_at < disabled_at
    assert any(s.created_at > disabled_at for s in _syncs(healthy))

"""After `seed_demo`, the live product carries each story on without a jump: a real sync over
HTTP against Sandbox HR finds exactly the data and warnings the demo's history stored, a real
auth check fails where the history failed, and the scheduler picks up where it left off.

The seeded week is replayed without the network; this is the check that the replay is what
the `sandbox` connector, the runner and the scheduler really produce.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from integrations.models import Integration, SyncType
from kombo_site.demo.oauth import DEMO_OAUTH_CUSTOMER
from syncs.models import AuthCheck, AuthCheckTrigger, Sync, SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.selectors.syncs import sync_list
from syncs.services import auth_check_run, scheduler_tick, sync_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


def _seeded() -> dict[str, Integration]:
    call_command("seed_demo", stdout=StringIO())
    return {i.organization_name: i for i in Integration.objects.all()}


def _newest(integration: Integration, *, full: bool = False) -> Sync:
    return next(
        s
        for s in sync_list(integration=integration)
        if s.state != SyncState.AUTHENTICATION_FAILED and (s.type == SyncType.FULL or not full)
    )


def test_it_reads_live_exactly_what_the_demo_history_stored_and_fails_where_it_failed(
    sandbox_hr: str,
) -> None:
    """Both stories on one seeded demo (seeding replays a week): the healthy customers' and
    the failing one's are apart, on integrations of their own."""
    demo = _seeded()

    for name in ("Acme GmbH", "Globex Corporation"):
        integration = demo[name]
        seeded = _newest(integration, full=True)
        sync, _ = sync_enqueue(
            integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR
        )

        live = sync_run(sync_id=sync.pk)

        assert live is not None
        live.refresh_from_db()
        assert live.error == "", name
        assert live.warnings == _newest(integration).warnings, name
        for model_id, counts in seeded.counts.items():
            # Every row the connector maps today hashes as the demo stored it: nothing changed.
            assert live.counts[model_id] == {
                "fetched": counts["fetched"],
                "created": 0,
                "updated": 0,
                "unchanged": counts["fetched"],
                "deleted": 0,
            }, (name, model_id)

    initech = demo["Initech AG"]
    seeded_check = AuthCheck.objects.filter(integration=initech).latest("created_at")

    run = auth_check_run(integration=initech, trigger=AuthCheckTrigger.MANUAL)

    assert run.result.outcome == seeded_check.outcome == "INVALID_CREDENTIALS"
    assert run.result.message == seeded_check.message
    initech_now = Integration.objects.get(pk=initech.pk)
    assert initech_now.auth_failing_since == initech.auth_failing_since
    assert initech_now.consecutive_auth_failures == initech.consecutive_auth_failures + 1


def test_it_schedules_the_next_sync_where_the_history_left_off() -> None:
    """DESIGN.md's schedule: FULL when the newest successful FULL sync finished more than
    FULL_SYNC_INTERVAL ago or skipped something for a missing permission (a delta builds only
    on a sync that read everything), else DELTA; paused and disabled integrations are never
    queued."""
    demo = _seeded()
    syncing = sorted(
        (demo["Acme GmbH"], demo["Globex Corporation"]),
        key=lambda integration: integration.next_sync_at or timezone.now(),
    )

    for integration in syncing:
        due = integration.next_sync_at
        assert due is not None
        last_full = _newest(integration, full=True)
        assert last_full.finished_at is not None
        full_is_due = due - last_full.finished_at >= settings.FULL_SYNC_INTERVAL or bool(
            last_full.warnings
        )

        scheduler_tick(now=due)

        queued = Sync.objects.get(integration=integration, state=SyncState.QUEUED)
        assert queued.type == (SyncType.FULL if full_is_due else SyncType.DELTA)
    scheduler_tick(now=timezone.now() + timedelta(days=1))
    queued_names = {
        sync.integration.organization_name for sync in Sync.objects.filter(state=SyncState.QUEUED)
    }
    # The customer connected through OAuth at the end of the week syncs first thing.
    assert queued_names == {"Acme GmbH", "Globex Corporation", "Initech AG", DEMO_OAUTH_CUSTOMER}

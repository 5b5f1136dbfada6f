"""`seed_demo` gives every demo integration a week of history that matches its health."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from integrations.models import Integration
from syncs.models import AuthCheck, Sync, SyncState

pytestmark = pytest.mark.django_db


def test_it_backfills_a_week_of_syncs_and_checks_matching_each_integration() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert "past syncs" in out.getvalue()
    by_name = {i.organization_name: i for i in Integration.objects.all()}
    healthy, partial = by_name["Acme GmbH"], by_name["Globex Corporation"]
    failing, invalid = by_name["Initech AG"], by_name["Umbrella SA"]
    assert set(Sync.objects.filter(integration=healthy).values_list("state", flat=True)) == {
        SyncState.SUCCEEDED
    }
    assert healthy.last_sync_state == SyncState.SUCCEEDED
    assert partial.last_sync_warning_count == 1
    # The failing one's checks fail from the start of its streak on, and not before.
    assert not AuthCheck.objects.filter(
        integration=failing, outcome="OK", created_at__gte=failing.auth_failing_since
    ).exists()
    assert AuthCheck.objects.filter(integration=failing, outcome="INVALID_CREDENTIALS").exists()
    assert failing.last_sync_state == SyncState.AUTHENTICATION_FAILED
    # Paused integrations stop syncing once paused.
    newest = Sync.objects.filter(integration=invalid).latest("created_at")
    assert newest.created_at <= invalid.auth_failing_since + timedelta(days=3)
    assert (
        Sync.objects.filter(integration=invalid).count()
        < Sync.objects.filter(integration=healthy).count()
    )


def test_it_seeds_history_only_once() -> None:
    call_command("seed_demo", stdout=StringIO())
    syncs = Sync.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert Sync.objects.count() == syncs > 0

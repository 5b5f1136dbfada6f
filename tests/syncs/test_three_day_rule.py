"""The three-day rule end to end: sandbox HR over real HTTP, a Celery-free tick loop, the clock
moved with time-machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from integrations.models import (
    EventKind,
    Integration,
    IntegrationStatus,
    Issue,
    IssueStatus,
    SyncPausedReason,
)
from sandbox_hr.models import SandboxApiKey
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import AuthCheck, Sync, SyncState
from syncs.services import scheduler_tick
from tests.support.factories import sandbox_integration
from tests.support.processes import free_port, run_queued_syncs
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/sandbox-hr"


def _run_until(traveller: time_machine.Coordinates, until: datetime) -> None:
    """Hour by hour up to `until` (exclusive): a tick, then whatever it queued runs to its end."""
    now = datetime.now(UTC)
    while now < until:
        scheduler_tick()
        run_queued_syncs()
        now += timedelta(hours=1)
        traveller.move_to(now)


def _state_changes(integration: Integration) -> list[WebhookEvent]:
    return list(
        WebhookEvent.objects.filter(integration_id=integration.pk, type="integration-state-changed")
    )


def test_it_invalidates_and_pauses_after_three_days_of_failures(
    sandbox_hr: str, environment: object
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        setup = sandbox_integration(environment=environment)
        integration = setup.integration
        sandbox_api_key_revoke(key=setup.key)

        _run_until(traveller, START + timedelta(days=2, hours=23))
        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.ACTIVE
        assert integration.auth_failing_since == START
        # Hourly ticks and a jittered 3 h retry (2.85-3.15 h): a check every 3 or 4 hours.
        assert 71 // 4 <= integration.consecutive_auth_failures <= 71 // 3
        assert (
            integration.consecutive_auth_failures
            == AuthCheck.objects.filter(
                integration=integration, outcome="INVALID_CREDENTIALS"
            ).count()
        )
        assert Issue.objects.get(integration=integration).status == IssueStatus.OPEN
        states = set(Sync.objects.filter(integration=integration).values_list("state", flat=True))
        assert states == {SyncState.AUTHENTICATION_FAILED}
        assert _state_changes(integration) == []

        # Checks come every ~3 h (with ±5% jitter) on hourly ticks: the first one past the
        # three days is due by 3 d 3 h 10 min at the latest.
        _run_until(traveller, START + timedelta(days=3, hours=5))
        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.INVALID
        assert integration.sync_paused_reason == SyncPausedReason.AUTHENTICATION
        assert integration.next_sync_at is None
        syncs_when_paused = Sync.objects.filter(integration=integration).count()

        _run_until(traveller, START + timedelta(days=5))
        assert Sync.objects.filter(integration=integration).count() == syncs_when_paused
        [event] = _state_changes(integration)
        assert event.payload["data"]["state"] == "INVALID"
        assert integration.events.filter(kind=EventKind.STATUS_CHANGED).count() == 1
        assert integration.events.filter(kind=EventKind.PAUSED).count() == 1


def test_it_resets_the_streak_on_a_success(sandbox_hr: str, environment: object) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        setup = sandbox_integration(environment=environment)
        integration = setup.integration
        sandbox_api_key_revoke(key=setup.key)
        _run_until(traveller, START + timedelta(days=2))

        # The customer's admin re-activates the key in their HR tool.
        SandboxApiKey.objects.filter(pk=setup.key.pk).update(revoked_at=None)
        _run_until(traveller, START + timedelta(days=2, hours=4))
        integration.refresh_from_db()
        assert integration.auth_failing_since is None
        assert integration.consecutive_auth_failures == 0
        assert Issue.objects.get(integration=integration).status == IssueStatus.RESOLVED

        sandbox_api_key_revoke(key=setup.key)
        _run_until(traveller, START + timedelta(days=4))
        integration.refresh_from_db()
        # Failing again since day 2 only: not yet three days.
        assert integration.status == IntegrationStatus.ACTIVE
        assert integration.auth_failing_since is not None
        assert integration.auth_failing_since > START + timedelta(days=2)
        assert Issue.objects.filter(integration=integration, status=IssueStatus.OPEN).count() == 1
        assert _state_changes(integration) == []


def test_it_never_counts_an_unreachable_tool_as_an_auth_failure(
    sandbox_hr: str, environment: object
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        integration = sandbox_integration(environment=environment).integration
        with override_settings(SANDBOX_HR_URL=_closed_port_url()):
            _run_until(traveller, START + timedelta(days=4))

        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.ACTIVE
        assert integration.auth_failing_since is None
        assert integration.consecutive_auth_failures == 0
        assert not Issue.objects.filter(integration=integration).exists()
        outcomes = set(
            AuthCheck.objects.filter(integration=integration).values_list("outcome", flat=True)
        )
        assert outcomes == {"UNREACHABLE"}
        assert set(
            Sync.objects.filter(integration=integration).values_list("state", flat=True)
        ) == {SyncState.FAILED}


def test_it_neither_grows_nor_resets_a_streak_while_unreachable(
    sandbox_hr: str, environment: object
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        setup = sandbox_integration(environment=environment)
        integration = setup.integration
        sandbox_api_key_revoke(key=setup.key)
        _run_until(traveller, START + timedelta(days=1))
        integration.refresh_from_db()
        failures = integration.consecutive_auth_failures

        with override_settings(SANDBOX_HR_URL=_closed_port_url()):
            _run_until(traveller, START + timedelta(days=2))
        integration.refresh_from_db()
        assert integration.consecutive_auth_failures == failures
        assert integration.auth_failing_since == START

        _run_until(traveller, START + timedelta(days=3, hours=5))
        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.INVALID

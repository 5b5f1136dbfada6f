"""Syncs and auth checks move their figures on /metrics as they end: a counter per tool and
outcome, a duration histogram per tool whose `_count` grows by one per observation
(prometheus-client docs, "Instrumenting": Counter, Histogram; Prometheus docs, "Histograms and
summaries")."""

from __future__ import annotations

import pytest

from core.models import Environment
from integrations.models import SyncType
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import AuthCheckTrigger, SyncState, SyncTrigger
from syncs.runner import sync_run
from syncs.services import auth_check_run, sync_enqueue
from tests.support.factories import sandbox_integration
from tests.support.metrics import metrics_token, scrape

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_counts_a_sandbox_sync_and_its_duration(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment, employees=5)
    with metrics_token():
        before = scrape()
        sync, _ = sync_enqueue(
            integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
        )
        ran = sync_run(sync_id=sync.pk)
        after = scrape()

    assert ran is not None
    ran.refresh_from_db()
    assert ran.state == SyncState.SUCCEEDED
    sandbox = {"tool": "sandbox"}
    assert (
        after.moved_since(before, "kombo_syncs_finished_total", **sandbox, outcome="SUCCEEDED") == 1
    )
    assert after.moved_since(before, "kombo_sync_duration_seconds_count", **sandbox) == 1
    assert after.moved_since(before, "kombo_auth_checks_total", **sandbox, outcome="OK") == 1


def test_it_counts_an_auth_check_with_revoked_credentials(
    sandbox_hr: str, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    sandbox_api_key_revoke(key=setup.key)
    invalid = {"tool": "sandbox", "outcome": "INVALID_CREDENTIALS"}
    with metrics_token():
        before = scrape()
        run = auth_check_run(integration=setup.integration, trigger=AuthCheckTrigger.MANUAL)
        after = scrape()

    assert run.result.outcome == "INVALID_CREDENTIALS"
    assert after.moved_since(before, "kombo_auth_checks_total", **invalid) == 1
    assert after.moved_since(before, "kombo_auth_checks_total", tool="sandbox", outcome="OK") == 0

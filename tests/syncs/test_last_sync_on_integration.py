"""A finished sync is recorded on its integration: state, time and warning count, for the list
and the page to show without reading the syncs."""

from __future__ import annotations

import pytest

from core.models import Environment
from integrations.models import SyncType
from integrations.tools.sandbox import PERM_EMPLOYEES
from syncs.models import SyncState, SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import sandbox_integration
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db


def test_it_records_the_newest_finished_sync_on_the_integration(
    environment: Environment, sandbox_hr: str
) -> None:
    setup = sandbox_integration(environment=environment, permissions=(PERM_EMPLOYEES,))
    sync_enqueue(
        integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR
    )

    [sync] = run_queued_syncs()
    setup.integration.refresh_from_db()

    assert sync.state == SyncState.SUCCEEDED
    assert setup.integration.last_sync_state == SyncState.SUCCEEDED
    assert setup.integration.last_sync_finished_at == sync.finished_at
    assert setup.integration.last_sync_warning_count == len(sync.warnings) > 0

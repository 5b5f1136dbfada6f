"""A DELTA sync reads only the absences Sandbox HR changed since the last sync (its
`updated_since` filter), and the change reaches the unified row.

Statuses as in the `kombo` SDK's `GetHrisAbsencesPositiveResponseResult` (DECLINED ...).
"""

from __future__ import annotations

import pytest

from core.models import Environment
from integrations.models import Integration
from integrations.read_models import READ_MODELS
from sandbox_hr.models import SandboxAbsence, SandboxAbsenceStatus
from syncs.models import Absence, Sync, SyncState, SyncTrigger, SyncType
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import ScopeConfigFactory, sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


def _run(integration_id: str, sync_type: SyncType) -> Sync:
    integration = Integration.objects.get(pk=integration_id)
    sync, _ = sync_enqueue(
        integration=integration, sync_type=sync_type, trigger=SyncTrigger.OPERATOR
    )
    sync_run(sync_id=sync.pk)
    sync.refresh_from_db()
    return sync


def test_it_reads_only_the_changed_absence_in_a_delta_sync(
    sandbox_hr: str, environment: Environment
) -> None:
    scope = ScopeConfigFactory(
        environment=environment,
        name="Absences",
        settings={
            model_id: {
                "setting": "ENABLED",
                "fields": dict.fromkeys(READ_MODELS[model_id].fields, "ENABLED"),
            }
            for model_id in ("hris_employees", "hris_absence_types", "hris_absences")
        },
    )
    setup = sandbox_integration(environment=environment, scope_config=scope, employees=4)
    full = _run(setup.integration.pk, SyncType.FULL)
    assert full.state == SyncState.SUCCEEDED
    assert full.counts["hris_absences"]["fetched"] > 1

    absence = SandboxAbsence.objects.filter(account=setup.account).exclude(
        status=SandboxAbsenceStatus.DECLINED
    )[0]
    absence.status = SandboxAbsenceStatus.DECLINED
    absence.save()
    delta = _run(setup.integration.pk, SyncType.DELTA)

    assert delta.state == SyncState.SUCCEEDED
    assert delta.counts["hris_absences"]["fetched"] == 1
    row = Absence.objects.get(integration=setup.integration, remote_id=absence.pk)
    assert row.data["status"] == "DECLINED"

"""Checking auth now tells the operator, before any sync, what the next sync will not be able
to read: the same missing permissions the sync then warns about.

Source: DESIGN.md, the health loop, step 4: "what the granted permissions don't cover is
skipped and recorded as warnings", so the answer before a sync and the warnings after it must
name the same permissions."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL
from syncs.models import SyncTrigger
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_names_what_the_next_sync_warns_about(
    live_server: Any, sandbox_hr: str, environment: Any, api_key: tuple[Any, str]
) -> None:
    setup = sandbox_integration(environment=environment, permissions=(PERM_EMPLOYEES,))

    checked = requests.post(
        f"{live_server.url}/api/v1/integrations/{setup.integration.pk}/check-auth",
        headers={"Authorization": f"Bearer {api_key[1]}"},
        timeout=10,
    ).json()["data"]
    sync, _ = sync_enqueue(
        integration=setup.integration, sync_type="FULL", trigger=SyncTrigger.OPERATOR
    )
    sync_run(sync_id=sync.pk)
    sync.refresh_from_db()

    missing = checked["missing_permissions"]
    assert checked["outcome"] == "OK"
    assert any(PERM_PERSONAL in message for message in missing)
    assert any(PERM_GROUPS in message for message in missing)
    assert [warning["message"] for warning in sync.warnings] == [
        f"Not all permissions are granted: {message}" for message in missing
    ]

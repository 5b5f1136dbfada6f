"""The integration page's sync panels and its "Check auth now" / "Sync now" buttons."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import Environment
from integrations.models import IntegrationStatus, SyncPausedReason
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import AuthCheck, Sync, SyncState
from tests.support.factories import IntegrationFactory, sandbox_integration

pytestmark = pytest.mark.django_db(transaction=True)


def _page(client: Client, integration_id: str) -> str:
    response = client.get(f"/dashboard/integrations/{integration_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_checks_auth_now_and_resumes_a_paused_integration(
    client: Client, operator: object, sandbox_hr: str, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    setup = sandbox_integration(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
    )

    response = client.post(
        f"/dashboard/integrations/{setup.integration.pk}/check-auth/", follow=True
    )

    assert "Authentication works" in response.content.decode()
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE
    assert setup.integration.sync_paused_reason is None

    sandbox_api_key_revoke(key=setup.key)
    response = client.post(
        f"/dashboard/integrations/{setup.integration.pk}/check-auth/", follow=True
    )
    page = response.content.decode()
    assert "Authentication failed" in page
    assert "INVALID_CREDENTIALS" in page
    assert setup.raw_key not in page
    assert AuthCheck.objects.filter(integration=setup.integration).count() == 2


def test_it_queues_a_sync_from_the_page_once(
    client: Client, operator: object, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment)

    first = client.post(f"/dashboard/integrations/{integration.pk}/sync/", follow=True)
    second = client.post(f"/dashboard/integrations/{integration.pk}/sync/", follow=True)

    assert "Sync queued." in first.content.decode()
    assert "A sync is already queued." in second.content.decode()
    assert Sync.objects.filter(integration=integration).count() == 1
    assert "Sync queued" in _page(client, integration.pk)


def test_it_refuses_to_sync_a_disabled_integration_from_the_page(
    client: Client, operator: object, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment, enabled=False)

    response = client.post(f"/dashboard/integrations/{integration.pk}/sync/", follow=True)

    assert "Only an active integration can sync." in response.content.decode()
    assert not Sync.objects.exists()


def test_it_renders_the_sync_panels_in_constant_queries(
    client: Client, operator: object, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    few, many = (
        IntegrationFactory(environment=environment),
        IntegrationFactory(environment=environment),
    )
    for integration, count in ((few, 2), (many, 40)):
        for index in range(count):
            Sync.objects.create(
                integration=integration,
                type="FULL",
                trigger="SCHEDULE",
                state=SyncState.PARTIALLY_FAILED,
                warnings=[f"warning {index}"],
                counts={"hris_employees": {"fetched": index}},
            )
            AuthCheck.objects.create(
                integration=integration, trigger="SYNC", outcome="OK", latency_ms=index
            )

    counts = []
    for integration, newest in ((few, 1), (many, 39)):
        with CaptureQueriesContext(connection) as queries:
            page = _page(client, integration.pk)
        counts.append(len(queries))
        assert f"warning {newest}" in page
    assert counts[0] == counts[1]

"""The `log_url` of a sync-finished webhook opens that sync's log: Kombo's example payload
(docs.kombo.dev/webhooks) points at `.../logs/<id>` of the sync, not at the integration."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from kombo.models import SyncFinishedWebhookPayload

from core.models import Environment
from integrations.models import SyncType
from integrations.tools.sandbox import PERM_EMPLOYEES
from syncs.models import SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import sandbox_integration
from tests.support.processes import run_queued_syncs
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_links_the_sync_finished_webhook_to_the_log_of_that_sync(
    sandbox_hr: str, environment: Environment, operator_client: Client
) -> None:
    setup = sandbox_integration(environment=environment, permissions=(PERM_EMPLOYEES,))
    sync_enqueue(integration=setup.integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API)
    [sync] = run_queued_syncs()
    event = WebhookEvent.objects.get(type="sync-finished")
    payload = SyncFinishedWebhookPayload.model_validate(event.payload)

    log_url = urlsplit(payload.data.log_url)
    page = operator_client.get(log_url.path)

    assert f"{log_url.scheme}://{log_url.netloc}" == settings.BASE_URL
    assert sync.pk in log_url.path
    assert page.status_code == 200
    html = page.content.decode()
    assert sync.pk in html
    assert setup.integration.organization_name in html
    assert "Succeeded" in html
    # The warning says in words what the key lacks, and the counts say what was read.
    assert "Groups: not readable — needs ‘Read departments, teams and cost centers’" in html
    assert "{&#x27;permission" not in html
    assert f"<td>{sync.counts['hris_employees']['fetched']}</td>" in html
    # The integration page's sync table leads there too.
    integration_page = operator_client.get(f"/dashboard/integrations/{setup.integration.pk}/")
    assert f'href="{log_url.path}"' in integration_page.content.decode()


def test_it_keeps_the_sync_log_for_operators(environment: Environment, client: Client) -> None:
    response = client.get("/dashboard/syncs/1VGbgg4cYZL5Zb8X9KVyvAX7/")

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_it_answers_404_for_an_unknown_sync(operator_client: Client) -> None:
    assert operator_client.get("/dashboard/syncs/nope/").status_code == 404

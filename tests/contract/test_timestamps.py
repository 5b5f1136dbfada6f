"""Every timestamp the API answers and every webhook payload carries is written one way:
Kombo's, `2021-09-01T12:00:00.000Z` (the examples on docs.kombo.dev/webhooks; the SDK's field
descriptions point at JavaScript's `Date.toISOString()`): UTC, milliseconds, `Z`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.test import Client, override_settings

from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import LinkType
from integrations.services import relink_link_create, relink_link_revoke
from syncs.models import SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import sandbox_integration
from tests.support.processes import run_queued_syncs
from webhooks.models import WebhookEvent
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)

KOMBO_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
# Looks like a moment in time, however it is written (what must then be Kombo's format).
ANY_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _timestamps(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _timestamps(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _timestamps(item, f"{path}[{index}]")
    elif isinstance(value, str) and ANY_TIMESTAMP.match(value):
        yield path, value


@override_settings(TIME_ZONE="Europe/Berlin")
def test_it_writes_every_timestamp_of_every_answer_and_event_as_kombo_does(
    sandbox_hr: None, environment: Environment, api_key: tuple[ApiKey, str]
) -> None:
    endpoint, _ = endpoint_create(environment_id=environment.pk, url="https://hooks.example/k")
    setup = sandbox_integration(environment=environment, employees=4)
    integration = setup.integration
    actor = Actor.system("tests")
    revoked, _ = relink_link_create(
        integration=integration, link_type=LinkType.MAGIC_LINK, language="de", actor=actor
    )
    relink_link_revoke(link=revoked, actor=actor)
    relink_link_create(
        integration=integration, link_type=LinkType.EMBEDDED, language="en", actor=actor
    )
    sync, _ = sync_enqueue(integration=integration, sync_type="FULL", trigger=SyncTrigger.API)
    run_queued_syncs()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}", HTTP_HOST="localhost")
    delivery_id = endpoint.deliveries.values_list("pk", flat=True).first()

    answers = {
        path: client.get(f"/api/v1/{path}", headers={"X-Integration-Id": integration.pk})
        for path in (
            "integrations",
            f"integrations/{integration.pk}",
            f"integrations/{integration.pk}/reconnection-links",
            f"integrations/{integration.pk}/syncs",
            f"syncs/{sync.pk}",
            "hris/employees",
            "webhooks/endpoints",
            f"webhooks/endpoints/{endpoint.pk}",
            "webhooks/deliveries",
            f"webhooks/deliveries/{delivery_id}",
        )
    }
    answers["check-auth"] = client.post(f"/api/v1/integrations/{integration.pk}/check-auth")

    found: list[tuple[str, str]] = []
    for path, response in answers.items():
        assert response.status_code == 200, (path, response.content)
        found += [(f"{path}{where}", text) for where, text in _timestamps(response.json())]
    for event in WebhookEvent.objects.all():
        found += [(f"{event.type}{where}", text) for where, text in _timestamps(event.payload)]

    assert {where.split(".")[0] for where, _ in found} >= {
        "integrations",
        f"integrations/{integration.pk}/reconnection-links",
        "hris/employees",
        "webhooks/endpoints",
        "sync-finished",
    }
    assert [(where, text) for where, text in found if not KOMBO_TIMESTAMP.match(text)] == []
    assert all(datetime.fromisoformat(text) for _, text in found)

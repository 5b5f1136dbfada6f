"""A customer completing the hosted form while the broker is down still gets their integration
repaired: the change is committed, and only the "sync now" nudge waits for the next tick."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from core.models import Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_api_key_create, sandbox_api_key_revoke
from tests.support.factories import ALL_PERMISSIONS, sandbox_integration
from tests.support.processes import celery_app_on, free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Nothing listens on the broker's port: every publish fails to connect."""
    with celery_app_on(f"redis://127.0.0.1:{free_port()}/0"):
        yield


def test_it_completes_a_relink_while_the_broker_is_down(
    live_server: Any,
    environment: Environment,
    broker_down: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with override_settings(SANDBOX_HR_URL=f"{live_server.url}/sandbox-hr"):
        setup = sandbox_integration(environment=environment)
        sandbox_api_key_revoke(key=setup.key)
        _, raw = sandbox_api_key_create(
            account=setup.account,
            name="new",
            permissions=ALL_PERMISSIONS,
        )
        _, url = relink_link_create(
            integration=setup.integration,
            link_type=LinkType.MAGIC_LINK,
            language="en",
            actor=Actor.system("tests"),
        )
        path = url.split("://", 1)[1].split("/", 1)[1]

        with caplog.at_level(logging.WARNING, logger="core.tasks"):
            response = Client().post(f"/{path}", {"api_key": raw})

    assert response.status_code == 200
    assert "You're done" in response.content.decode()
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE
    assert setup.integration.next_sync_at is not None
    assert "Broker unavailable" in caplog.text
    assert raw not in caplog.text

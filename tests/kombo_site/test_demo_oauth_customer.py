"""`make run`'s demo has one integration connected through Sandbox HR's OAuth consent, whose
token Sandbox HR accepts, and the operator's app registered there with the redirect URI of the
address the demo is served on (RFC 6749 §3.1.2: the redirect URI is compared exactly)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from integrations.models import Integration, IntegrationStatus, OAuthApp
from integrations.selectors.integrations import credentials_current
from sandbox_hr.models import SandboxOAuthApp
from sandbox_hr.services import sandbox_oauth_token_authenticate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One demo served on port 8000 for the whole module (seeding replays a week), rolled back
    after it; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", base_url="http://127.0.0.1:8000", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_it_seeds_one_integration_connected_through_oauth() -> None:
    integration = Integration.objects.get(tool="sandbox_oauth")
    assert integration.status == IntegrationStatus.ACTIVE
    token = credentials_current(integration=integration)
    assert token is not None
    accepted = sandbox_oauth_token_authenticate(raw_access_token=token["access_token"])
    assert accepted is not None
    assert accepted.grant.account_id == integration.remote_account_id
    app = SandboxOAuthApp.objects.get()
    assert OAuthApp.objects.get(tool="sandbox_oauth").client_id == app.client_id
    assert app.redirect_uris == ["http://127.0.0.1:8000/connect/oauth/callback"]


def test_it_registers_the_redirect_uri_of_each_run() -> None:
    call_command("seed_demo", base_url="http://127.0.0.1:8123", stdout=StringIO())

    app = SandboxOAuthApp.objects.get()
    assert app.redirect_uris == ["http://127.0.0.1:8123/connect/oauth/callback"]
    assert OAuthApp.objects.get(tool="sandbox_oauth").client_id == app.client_id
    assert Integration.objects.filter(tool="sandbox_oauth").count() == 1

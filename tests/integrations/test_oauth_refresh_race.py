"""Twenty processes check one OAuth integration at once, its token due, against a vendor whose
refresh tokens are strictly single use: one refresh, no `invalid_grant`, twenty working checks.

Sources: Deel's OAuth guide (developer.deel.com, "Token rotation": a refresh token can be used
once; a reused one is refused and may end the grant); RFC 9700 §4.14.2 (refresh token
rotation: the authorization server detects reuse and revokes the active refresh token). Each
check runs in its own process with its own database connection, as workers on several nodes
would; they start together behind a barrier.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from core.crypto import decrypt_json, encrypt_json
from core.models import Environment
from integrations.actors import Actor
from integrations.models import CredentialVersion, Integration, LinkType
from integrations.services import connect_link_create
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes.deel import CLIENT_ID, CLIENT_SECRET, FakeDeel
from tests.support.oauth import oauth_app_register, vendor_trip
from tests.support.processes import ROOT, database_url
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)

CHECKERS = 20
PROCESS_TIMEOUT_SECONDS = 120


def _connected(deel: FakeDeel, environment: Environment) -> Integration:
    """A customer connects Deel through a link, as in real life."""
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Acme",
        email="it@acme.example",
        origin_id="acme",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
        tool_id="deel",
    )
    done = vendor_trip(Client(), url, lambda authorize: deel.consent(authorize))
    assert b"You're done" in done.content
    return Integration.objects.get(tool="deel")


def _token_due(integration: Integration) -> str:
    version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
    token = decrypt_json(version.payload_encrypted)
    token["expires_at"] = str(int(time.time()) - 1)
    version.payload_encrypted = encrypt_json(token)
    version.save(update_fields=["payload_encrypted"])
    return token["refresh_token"]


def _checkers(
    integration: Integration, deel: FakeDeel, barrier: Path
) -> list[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEEL_API_URL": deel.base_url + deel.url_suffix,
        "DEEL_AUTH_URL": deel.base_url,
        "BASE_URL": settings.BASE_URL,
    }
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.auth_check_process",
                integration.pk,
                str(barrier),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(CHECKERS)
    ]


def test_it_refreshes_once_when_twenty_processes_check_at_once(
    fake_deel: FakeDeel, environment: Environment, tmp_path: Path
) -> None:
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL (processes share it)"
    )
    oauth_app_register(
        fake_deel,
        environment=environment,
        tool_id="deel",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    # Twenty checks in one second are over Deel's 5 requests a second: the race is about the
    # token endpoint, not the API's rate limit.
    fake_deel.rate_limit_per_second = None
    integration = _connected(fake_deel, environment)
    old_refresh_token = _token_due(integration)
    fake_deel.expire_access_tokens()
    refreshes_before = fake_deel.refresh_count
    barrier = tmp_path / "go"

    processes = _checkers(integration, fake_deel, barrier)
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.stderr
        barrier.touch()
        outcomes = []
        for process in processes:
            out, err = process.communicate(timeout=PROCESS_TIMEOUT_SECONDS)
            assert process.returncode == 0, err[-2000:]
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()

    assert [outcome["outcome"] for outcome in outcomes] == ["OK"] * CHECKERS, outcomes
    assert fake_deel.refresh_count - refreshes_before == 1
    assert fake_deel.invalid_grant_count == 0
    stored = decrypt_json(
        CredentialVersion.objects.filter(integration=integration)
        .latest("created_at")
        .payload_encrypted
    )
    assert stored["refresh_token"] != old_refresh_token

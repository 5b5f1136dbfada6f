"""Eight processes check one OAuth integration at once, its token due, against a vendor whose
refresh tokens are strictly single use: one refresh, no `invalid_grant`, eight working checks.

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
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.crypto import decrypt_json
from core.models import Environment
from integrations.models import CredentialVersion, Integration
from tests.support.fakes.deel import FakeDeel
from tests.support.oauth import oauth_connected, token_made_due
from tests.support.processes import ROOT, database_url
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)

# Enough to collide (each is a whole Django process; on 2 cores more only queue up).
CHECKERS = 8
PROCESS_TIMEOUT_SECONDS = 120


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


def test_it_refreshes_once_when_eight_processes_check_at_once(
    deel_app: FakeDeel, environment: Environment, tmp_path: Path
) -> None:
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL (processes share it)"
    )
    # Eight checks in one second are over Deel's 5 requests a second: the race is about the
    # token endpoint, not the API's rate limit.
    deel_app.rate_limit_per_second = None
    integration = oauth_connected(deel_app, environment=environment, tool_id="deel")
    old_refresh_token = token_made_due(integration, deel_app)["refresh_token"]
    refreshes_before = deel_app.refresh_count
    barrier = tmp_path / "go"

    processes = _checkers(integration, deel_app, barrier)
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
    assert deel_app.refresh_count - refreshes_before == 1
    assert deel_app.invalid_grant_count == 0
    stored = decrypt_json(
        CredentialVersion.objects.filter(integration=integration)
        .latest("created_at")
        .payload_encrypted
    )
    assert stored["refresh_token"] != old_refresh_token

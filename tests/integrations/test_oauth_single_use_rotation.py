"""Deel's refresh tokens are strictly single use, seen through the platform's auth checks.

Source: Deel's OAuth guide (developer.deel.com, "Token rotation": each refresh returns a new
refresh token and the used one is no longer valid; reusing one is refused); RFC 6749 §5.2
(`invalid_grant`). A refresh whose answer is lost after Deel rotated cannot be repeated: the
check that lost it is UNREACHABLE (not counted) and says what may follow; the next one is
refused, counted like a revoked key, and the customer reconnects.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from core.crypto import decrypt_json, encrypt_json
from core.models import Environment
from integrations.actors import Actor
from integrations.models import CredentialVersion, Integration, LinkType
from integrations.services import connect_link_create
from integrations.tools.base import AuthOutcome
from syncs.models import AuthCheckTrigger
from syncs.services import auth_check_run
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes.deel import CLIENT_ID, CLIENT_SECRET, FakeDeel
from tests.support.oauth import oauth_app_register, vendor_trip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def integration(fake_deel: FakeDeel, environment: Environment) -> Integration:
    oauth_app_register(
        fake_deel,
        environment=environment,
        tool_id="deel",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
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
    vendor_trip(Client(), url, lambda authorize: fake_deel.consent(authorize))
    return Integration.objects.get(tool="deel")


def _token_due(integration: Integration, deel: FakeDeel) -> None:
    deel.expire_access_tokens()
    version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
    token = decrypt_json(version.payload_encrypted)
    token["expires_at"] = str(int(time.time()) - 1)
    version.payload_encrypted = encrypt_json(token)
    version.save(update_fields=["payload_encrypted"])


def test_it_refreshes_with_a_new_refresh_token_each_time(
    fake_deel: FakeDeel, integration: Integration
) -> None:
    seen = set()
    for _ in range(3):
        _token_due(integration, fake_deel)
        run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
        assert run.result.outcome == AuthOutcome.OK
        version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
        seen.add(decrypt_json(version.payload_encrypted)["refresh_token"])

    assert len(seen) == 3
    assert fake_deel.invalid_grant_count == 0


def test_it_explains_a_lost_refresh_answer_and_counts_the_refusal_that_follows(
    fake_deel: FakeDeel, integration: Integration
) -> None:
    _token_due(integration, fake_deel)
    fake_deel.lose_next_refresh_response()

    lost = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
    refused = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)

    assert lost.result.outcome == AuthOutcome.UNREACHABLE
    assert "refresh tokens are single use" in lost.result.message
    assert refused.result.outcome == AuthOutcome.INVALID_CREDENTIALS
    integration.refresh_from_db()
    assert integration.auth_failing_since is not None

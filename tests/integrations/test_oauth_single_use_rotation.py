"""Deel's refresh tokens are strictly single use, seen through the platform's auth checks.

Source: Deel's OAuth guide (developer.deel.com, "Token rotation": each refresh returns a new
refresh token and the used one is no longer valid; reusing one is refused); RFC 6749 §5.2
(`invalid_grant`). A refresh whose answer is lost after Deel rotated cannot be repeated: the
check that lost it is UNREACHABLE (not counted) and says what may follow; the next one is
refused, counted like a revoked key, and the customer reconnects.
"""

from __future__ import annotations

import pytest

from core.crypto import decrypt_json
from core.models import Environment
from integrations.models import CredentialVersion, Integration
from integrations.tools.base import AuthOutcome
from syncs.models import AuthCheckTrigger
from syncs.services import auth_check_run
from tests.support.fakes.deel import FakeDeel
from tests.support.oauth import oauth_connected, token_made_due

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def integration(deel_app: FakeDeel, environment: Environment) -> Integration:
    return oauth_connected(deel_app, environment=environment, tool_id="deel")


def test_it_refreshes_with_a_new_refresh_token_each_time(
    deel_app: FakeDeel, integration: Integration
) -> None:
    seen = set()
    for _ in range(3):
        token_made_due(integration, deel_app)
        run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
        assert run.result.outcome == AuthOutcome.OK
        version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
        seen.add(decrypt_json(version.payload_encrypted)["refresh_token"])

    assert len(seen) == 3
    assert deel_app.invalid_grant_count == 0


def test_it_explains_a_lost_refresh_answer_and_counts_the_refusal_that_follows(
    deel_app: FakeDeel, integration: Integration
) -> None:
    token_made_due(integration, deel_app)
    deel_app.lose_next_refresh_response()

    lost = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
    refused = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)

    assert lost.result.outcome == AuthOutcome.UNREACHABLE
    assert "refresh tokens are single use" in lost.result.message
    assert refused.result.outcome == AuthOutcome.INVALID_CREDENTIALS
    integration.refresh_from_db()
    assert integration.auth_failing_since is not None

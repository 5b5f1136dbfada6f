"""The auth check of an OAuth integration over time, against Gusto's fake.

Sources: RFC 6749 §6 (refreshing: the server MAY issue a new refresh token; when it does not,
the client keeps the one it has) and §5.2 (`invalid_grant`: the refresh token is "invalid,
expired, revoked"); RFC 6750 §3.1 (`401` with `invalid_token` for a revoked or expired access
token); Gusto's "Refreshing an access token" guide (docs.gusto.com: access tokens last two
hours; the old refresh token stays valid until the new access token is first used); Gusto's
rate-limit guide (429 with `Retry-After`). The three-day rule is DESIGN.md's: refused
credentials count, an unreachable vendor never does.
"""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from core.models import Environment
from integrations.models import CredentialVersion, Integration, OAuthApp, SyncType
from integrations.selectors.integrations import credentials_current
from integrations.tools.base import AuthOutcome
from syncs.models import AuthCheckTrigger, Sync, SyncState, SyncTrigger
from syncs.services import auth_check_run
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes.gusto import COMPANY_UUID, FakeGusto
from tests.support.fakes.server import Fault
from tests.support.oauth import oauth_integration, token_made_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(gusto_app: FakeGusto, environment: Environment) -> Integration:
    return oauth_integration(
        environment=environment,
        tool_id="gusto",
        token=gusto_app.grant(COMPANY_UUID),
        remote_account_id=COMPANY_UUID,
        scope_config=ScopeConfigFactory(environment=environment),
    )


def _check(integration: Integration) -> AuthOutcome:
    return auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL).result.outcome


def _scheduled_check(integration: Integration) -> AuthOutcome:
    sync = Sync.objects.create(
        integration=integration,
        type=SyncType.FULL,
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.RUNNING,
        started_at=timezone.now(),
    )
    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.SYNC, sync=sync)
    return run.result.outcome


def _refreshes(gusto_app: FakeGusto) -> int:
    return sum(1 for r in gusto_app.token_requests if r["grant_type"] == "refresh_token")


def test_it_refreshes_a_due_token_and_stores_it_before_using_it(
    gusto_app: FakeGusto, integration: Integration
) -> None:
    old = token_made_due(integration, gusto_app)

    assert _check(integration) == AuthOutcome.OK

    stored = credentials_current(integration=integration)
    assert stored is not None
    assert stored["access_token"] != old["access_token"]
    assert stored["refresh_token"] != old["refresh_token"]
    assert int(stored["expires_at"]) > time.time() + 7000
    assert gusto_app.access_token_used(stored["access_token"])
    assert _refreshes(gusto_app) == 1
    version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
    assert version.token_refreshed_at is not None


def test_it_keeps_the_refresh_token_when_the_answer_brings_none(
    gusto_app: FakeGusto, integration: Integration
) -> None:
    old = token_made_due(integration, gusto_app)
    gusto_app.answer_next_refresh_without_refresh_token()

    assert _check(integration) == AuthOutcome.OK

    stored = credentials_current(integration=integration)
    assert stored is not None
    assert stored["refresh_token"] == old["refresh_token"]
    # And it still works.
    token_made_due(integration, gusto_app)
    assert _check(integration) == AuthOutcome.OK


def test_it_counts_a_revoked_grant_like_a_revoked_api_key(
    gusto_app: FakeGusto, integration: Integration
) -> None:
    token_made_due(integration, gusto_app)
    gusto_app.revoke_grant(COMPANY_UUID)

    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)

    assert run.result.outcome == AuthOutcome.INVALID_CREDENTIALS
    assert "invalid_grant" in run.result.message
    integration.refresh_from_db()
    assert integration.auth_failing_since is not None


def test_it_refreshes_once_when_the_vendor_refuses_a_token_it_said_was_valid(
    gusto_app: FakeGusto, integration: Integration
) -> None:
    """The stored expiry says the token is good, the vendor says 401: one refresh tells a
    dead token (then OK) from a dead grant (then refused)."""
    gusto_app.expire_access_tokens()

    assert _check(integration) == AuthOutcome.OK
    assert _refreshes(gusto_app) == 1

    gusto_app.revoke_grant(COMPANY_UUID)
    assert _check(integration) == AuthOutcome.INVALID_CREDENTIALS
    assert _refreshes(gusto_app) == 2


@pytest.mark.parametrize(
    ("status", "headers"), [(503, {}), (500, {}), (429, {"Retry-After": "30"})]
)
def test_it_never_counts_a_token_endpoint_that_cannot_answer(
    gusto_app: FakeGusto, integration: Integration, status: int, headers: dict[str, str]
) -> None:
    token_made_due(integration, gusto_app)
    gusto_app.fail_next(
        Fault(status=status, headers=headers, matches=lambda r: r.path == "/oauth/token")
    )

    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)

    assert run.result.outcome == AuthOutcome.UNREACHABLE
    if status == 429:
        assert run.result.retry_after_seconds == 30
    integration.refresh_from_db()
    assert integration.auth_failing_since is None


def test_it_repeats_a_refresh_whose_answer_was_lost(
    gusto_app: FakeGusto, integration: Integration
) -> None:
    """Gusto rotated, the answer never arrived: the old refresh token still works, because the
    new access token was never used."""
    old = token_made_due(integration, gusto_app)
    gusto_app.lose_next_refresh_response()

    assert _check(integration) == AuthOutcome.UNREACHABLE
    stored = credentials_current(integration=integration)
    assert stored is not None
    assert stored["refresh_token"] == old["refresh_token"]

    assert _check(integration) == AuthOutcome.OK
    assert gusto_app.invalid_grant_count == 0


def test_it_does_not_hammer_a_dead_grant(gusto_app: FakeGusto, integration: Integration) -> None:
    """After a refused refresh, manual checks, force-syncs and workers ask no more; the next
    scheduled check tries once again."""
    token_made_due(integration, gusto_app)
    gusto_app.revoke_grant(COMPANY_UUID)
    assert _check(integration) == AuthOutcome.INVALID_CREDENTIALS
    assert _refreshes(gusto_app) == 1

    for _ in range(5):
        assert _check(integration) == AuthOutcome.INVALID_CREDENTIALS
    assert _refreshes(gusto_app) == 1

    assert _scheduled_check(integration) == AuthOutcome.INVALID_CREDENTIALS
    assert _refreshes(gusto_app) == 2


def test_it_does_not_count_a_missing_oauth_app_against_the_customer(
    gusto_app: FakeGusto, integration: Integration
) -> None:
    token_made_due(integration, gusto_app)
    OAuthApp.objects.all().delete()

    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)

    assert run.result.outcome == AuthOutcome.UNREACHABLE
    assert "No OAuth app is configured for Gusto" in run.result.message
    assert _refreshes(gusto_app) == 0

"""Strict refresh token rotation (the default, `SANDBOX_HR_OAUTH_ROTATION=strict`): every
refresh returns a new refresh token and the used one dies at once; presenting a used one again
is refused and revokes the whole grant. RFC 9700 §4.14.2 ("If a refresh token is compromised
and subsequently used by both the attacker and the legitimate client, one of them will present
an invalidated refresh token, which will inform the authorization server of the breach ... and
revoke the active refresh token") and RFC 6819 §5.2.2.3."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import SandboxOAuthGrant
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import (
    REDIRECT_URI,
    RegisteredApp,
    api_status,
    oauth_app_registered,
    oauth_code_approved,
    sandbox_sign_in,
    token_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(client: Client) -> RegisteredApp:
    account = sandbox_account_create(name="Initech AG", employees=1, seed=3)
    sandbox_sign_in(client, SandboxUserFactory(account=account))
    return oauth_app_registered()


def _tokens(client: Client, registered: RegisteredApp) -> dict[str, str]:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    tokens: dict[str, str] = token_post(client, registered, **exchange).json()
    return tokens


def _refresh(client: Client, registered: RegisteredApp, refresh_token: str) -> dict[str, str]:
    body: dict[str, str] = token_post(
        client, registered, grant_type="refresh_token", refresh_token=refresh_token
    ).json()
    return body


def test_it_rotates_the_refresh_token_on_every_refresh(
    client: Client, registered: RegisteredApp
) -> None:
    first = _tokens(client, registered)

    second = _refresh(client, registered, first["refresh_token"])
    third = _refresh(client, registered, second["refresh_token"])

    for pair in (second, third):
        assert set(pair) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
        assert pair["scope"] == PERM_EMPLOYEES
    assert len({first["refresh_token"], second["refresh_token"], third["refresh_token"]}) == 3
    assert api_status(client, third["access_token"]) == 200


def test_it_refuses_a_used_refresh_token_and_revokes_the_whole_grant(
    client: Client, registered: RegisteredApp
) -> None:
    first = _tokens(client, registered)
    second = _refresh(client, registered, first["refresh_token"])
    assert api_status(client, second["access_token"]) == 200

    replayed = token_post(
        client, registered, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )

    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"
    assert api_status(client, second["access_token"]) == 401
    assert _refresh(client, registered, second["refresh_token"])["error"] == "invalid_grant"
    grant = SandboxOAuthGrant.objects.get()
    assert grant.revoked_at is not None
    assert grant.revoked_by is None


def test_it_refuses_a_refresh_token_of_another_app_without_revoking_anything(
    client: Client, registered: RegisteredApp
) -> None:
    first = _tokens(client, registered)
    other = oauth_app_registered()

    stolen = token_post(
        client, other, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )

    assert stolen.json()["error"] == "invalid_grant"
    assert _refresh(client, registered, first["refresh_token"])["token_type"] == "Bearer"


def test_it_does_not_use_up_a_refresh_token_asking_for_more_scope(
    client: Client, registered: RegisteredApp
) -> None:
    first = _tokens(client, registered)

    wider = token_post(
        client,
        registered,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
        scope=f"{PERM_EMPLOYEES} groups:read",
    )

    assert wider.json()["error"] == "invalid_scope"
    assert _refresh(client, registered, first["refresh_token"])["token_type"] == "Bearer"

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
from tests.support.sandbox_hr import (
    RegisteredApp,
    api_status,
    oauth_app_registered,
    oauth_tokens,
    refresh_grant,
    token_post,
    tokens_refreshed,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


def test_it_rotates_the_refresh_token_on_every_refresh(
    client: Client, registered: RegisteredApp
) -> None:
    first = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)

    second = tokens_refreshed(client, registered, first["refresh_token"])
    third = tokens_refreshed(client, registered, second["refresh_token"])

    for pair in (second, third):
        assert set(pair) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
        assert pair["scope"] == PERM_EMPLOYEES
    assert len({first["refresh_token"], second["refresh_token"], third["refresh_token"]}) == 3
    assert api_status(client, third["access_token"]) == 200


def test_it_refuses_a_used_refresh_token_and_revokes_the_whole_grant(
    client: Client, registered: RegisteredApp
) -> None:
    first = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)
    second = tokens_refreshed(client, registered, first["refresh_token"])
    assert api_status(client, second["access_token"]) == 200

    replayed = token_post(client, registered, **refresh_grant(first["refresh_token"]))

    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"
    assert api_status(client, second["access_token"]) == 401
    assert tokens_refreshed(client, registered, second["refresh_token"])["error"] == "invalid_grant"
    grant = SandboxOAuthGrant.objects.get()
    assert grant.revoked_at is not None
    assert grant.revoked_by is None


def test_it_refuses_a_refresh_token_of_another_app_without_revoking_anything(
    client: Client, registered: RegisteredApp
) -> None:
    first = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)
    other = oauth_app_registered()

    stolen = token_post(client, other, **refresh_grant(first["refresh_token"]))

    assert stolen.json()["error"] == "invalid_grant"
    assert tokens_refreshed(client, registered, first["refresh_token"])["token_type"] == "Bearer"


def test_it_does_not_use_up_a_refresh_token_asking_for_more_scope(
    client: Client, registered: RegisteredApp
) -> None:
    first = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)

    wider = token_post(
        client,
        registered,
        **refresh_grant(first["refresh_token"], scope=f"{PERM_EMPLOYEES} groups:read"),
    )

    assert wider.json()["error"] == "invalid_scope"
    assert tokens_refreshed(client, registered, first["refresh_token"])["token_type"] == "Bearer"

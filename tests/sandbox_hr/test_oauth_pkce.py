"""PKCE: the token request must prove it holds the verifier of the challenge the authorization
request sent (RFC 7636 §4.6), and a verifier without a challenge is refused (RFC 9700 §4.8.2)."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from tests.support.sandbox_hr import (
    RegisteredApp,
    code_grant,
    oauth_code_approved,
    pkce_pair,
    token_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


def test_it_refuses_a_wrong_verifier_with_invalid_grant(
    client: Client, registered: RegisteredApp
) -> None:
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES, code_challenge=challenge)

    response = token_post(client, registered, **code_grant(code, code_verifier=other_verifier))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


def test_it_refuses_a_missing_verifier_when_a_challenge_was_sent(
    client: Client, registered: RegisteredApp
) -> None:
    _, challenge = pkce_pair()
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES, code_challenge=challenge)

    response = token_post(client, registered, **code_grant(code))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_it_refuses_a_verifier_when_no_challenge_was_sent(
    client: Client, registered: RegisteredApp
) -> None:
    verifier, _ = pkce_pair()
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    response = token_post(client, registered, **code_grant(code, code_verifier=verifier))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_it_issues_tokens_without_pkce_when_none_was_used(
    client: Client, registered: RegisteredApp
) -> None:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    response = token_post(client, registered, **code_grant(code))

    assert response.status_code == 200
    assert response.json()["scope"] == PERM_EMPLOYEES

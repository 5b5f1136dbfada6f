"""An app gets an access token with the authorization-code grant and PKCE, as RFC 6749 §4.1
(authorization request, consent, code, token request) and RFC 7636 §4 (S256 challenge and
verifier) describe it, and reads the API with it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from authlib.integrations.requests_client import OAuth2Session
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from sandbox_hr.models import SandboxAccount, SandboxUser
from tests.support.sandbox_hr import (
    REDIRECT_URI,
    TOKEN,
    RegisteredApp,
    code_grant,
    oauth_code_approved,
    pkce_pair,
    redirect_params,
    token_post,
)


@pytest.mark.django_db
def test_it_exchanges_an_approved_code_and_its_verifier_for_tokens(
    client: Client, admin: SandboxUser, account: SandboxAccount, registered: RegisteredApp
) -> None:
    verifier, challenge = pkce_pair()
    code = oauth_code_approved(
        client, registered, scope=f"{PERM_GROUPS} {PERM_EMPLOYEES}", code_challenge=challenge
    )

    response = token_post(client, registered, **code_grant(code, code_verifier=verifier))

    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == f"{PERM_EMPLOYEES} {PERM_GROUPS}"
    me = client.get("/sandbox-hr/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert me.status_code == 200
    assert me.json() == {
        "account": {"id": account.pk, "name": "Initech AG"},
        "permissions": [PERM_EMPLOYEES, PERM_GROUPS],
    }


@pytest.mark.django_db
def test_it_shows_the_app_the_company_and_the_scopes_in_plain_words(
    client: Client, admin: SandboxUser, registered: RegisteredApp
) -> None:
    url = (
        f"/sandbox-hr/oauth/authorize?response_type=code&client_id={registered.client_id}"
        f"&redirect_uri={REDIRECT_URI}&scope={PERM_EMPLOYEES}&state=s1"
    )

    page = client.get(url, secure=True).content.decode()

    assert "Connect “Acme Integrations” to Initech AG?" in page
    assert "See employees: names, work email, job title, employment dates and manager" in page
    assert "personal data" not in page
    assert 'value="allow"' in page
    assert 'value="deny"' in page


@pytest.mark.django_db(transaction=True)
def test_it_serves_authlibs_own_client_from_authorization_to_api_call(
    client: Client, admin: SandboxUser, registered: RegisteredApp, live_server: Any
) -> None:
    """Interoperability: Authlib's client side (not our code) builds the authorization URL
    with PKCE, parses the redirect, and exchanges the code with `client_secret_post`."""
    with OAuth2Session(
        client_id=registered.client_id,
        client_secret=registered.client_secret,
        scope=PERM_EMPLOYEES,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
    ) as session:
        verifier, _ = pkce_pair()
        url, state = session.create_authorization_url(
            f"{live_server.url}/sandbox-hr/oauth/authorize", code_verifier=verifier
        )
        # The person's browser: signed in to Sandbox HR, they allow the app.
        location = urlsplit(url)
        path = f"{location.path}?{location.query}"
        assert client.get(path, secure=True).status_code == 200
        allowed = client.post(path, {"decision": "allow"}, secure=True)
        assert redirect_params(allowed)["state"] == state

        token = session.fetch_token(
            f"{live_server.url}{TOKEN}",
            authorization_response=allowed["Location"],
            code_verifier=verifier,
        )
        employees = session.get(f"{live_server.url}/sandbox-hr/api/v1/employees", timeout=10)

    assert token["token_type"] == "Bearer"
    assert token["scope"] == PERM_EMPLOYEES
    assert employees.status_code == 200
    assert len(employees.json()["data"]) == 3

"""Redirect URIs are compared exactly, and a request whose client or redirect URI is not known
good is answered on Sandbox HR's own page, never by a redirect: RFC 6749 §4.1.2.1 ("the
authorization server SHOULD inform the resource owner of the error and MUST NOT automatically
redirect the user-agent to the invalid redirection URI"), §3.1.2.3 and §4.1.3 (the token
request's redirect_uri must be identical), RFC 9700 §4.1.3 (exact string matching)."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import SandboxOAuthCode
from tests.support.sandbox_hr import (
    REDIRECT_URI,
    RegisteredApp,
    authorize_url,
    code_grant,
    oauth_app_registered,
    oauth_code_approved,
    token_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/oauth/callback",
        REDIRECT_URI + "/",
        REDIRECT_URI + "?next=https://evil.example",
        REDIRECT_URI.upper(),
    ],
)
def test_it_shows_an_error_page_for_a_redirect_uri_not_registered(
    client: Client, registered: RegisteredApp, redirect_uri: str
) -> None:
    url = authorize_url(registered, scope=PERM_EMPLOYEES, redirect_uri=redirect_uri)

    for response in (
        client.get(url, secure=True),
        client.post(url, {"decision": "allow"}, secure=True),
    ):
        assert response.status_code == 400
        assert "Location" not in response
        assert "This app cannot be connected" in response.content.decode()
    assert not SandboxOAuthCode.objects.exists()


def test_it_shows_an_error_page_for_an_unknown_client(
    client: Client, registered: RegisteredApp
) -> None:
    url = authorize_url(registered, scope=PERM_EMPLOYEES, client_id="sbxapp_neverRegistered")

    response = client.get(url, secure=True)

    assert response.status_code == 400
    assert "Location" not in response
    assert "invalid_client" in response.content.decode()


def test_it_refuses_a_token_request_whose_redirect_uri_differs(client: Client) -> None:
    registered = oauth_app_registered(redirect_uris=(REDIRECT_URI, "https://app.example.com/b"))
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    response = token_post(
        client, registered, **code_grant(code, redirect_uri="https://app.example.com/b")
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"

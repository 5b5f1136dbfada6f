"""The token endpoint authenticates the app with HTTP Basic or with the id and secret in the
form (RFC 6749 §2.3.1, `client_secret_basic` and `client_secret_post`), and a failed client
authentication is `invalid_client` with 401 and a `WWW-Authenticate` header (RFC 6749 §5.2)."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from tests.support.sandbox_hr import (
    TOKEN,
    RegisteredApp,
    code_grant,
    oauth_code_approved,
    token_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


def test_it_accepts_client_secret_basic(client: Client, registered: RegisteredApp) -> None:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    response = token_post(client, registered, **code_grant(code))

    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


def test_it_accepts_client_secret_post(client: Client, registered: RegisteredApp) -> None:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    response = client.post(
        TOKEN,
        {
            **code_grant(code),
            "client_id": registered.client_id,
            "client_secret": registered.client_secret,
        },
        secure=True,
    )

    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


@pytest.mark.parametrize("how", ["basic", "post", "none"])
def test_it_answers_invalid_client_with_401_to_a_wrong_or_missing_secret(
    client: Client, registered: RegisteredApp, how: str
) -> None:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)
    wrong = RegisteredApp(registered.app, registered.client_secret + "x")
    if how == "basic":
        response = token_post(client, wrong, **code_grant(code))
    else:
        credentials = {"client_id": registered.client_id}
        if how == "post":
            credentials["client_secret"] = wrong.client_secret
        response = client.post(TOKEN, {**code_grant(code), **credentials}, secure=True)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"].startswith("Basic")
    assert response["Cache-Control"] == "no-store"
    assert token_post(client, registered, **code_grant(code)).status_code == 200


def test_it_answers_unsupported_grant_type_for_other_grants(
    client: Client, registered: RegisteredApp
) -> None:
    response = token_post(client, registered, grant_type="password", username="a", password="b")

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"

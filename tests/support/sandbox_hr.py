"""Acting as a person on Sandbox HR's own pages."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.http import HttpResponse
from django.test import Client

from sandbox_hr.models import SandboxOAuthApp, SandboxUser
from sandbox_hr.services import sandbox_oauth_app_register
from tests.support.factories import SANDBOX_PASSWORD

SIGN_IN = "/sandbox-hr/sign-in/"


def sandbox_sign_in(client: Client, user: SandboxUser, password: str = SANDBOX_PASSWORD) -> None:
    """Sign `client` in through the sign-in form, as a person would."""
    response = client.post(SIGN_IN, {"email": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()


AUTHORIZE = "/sandbox-hr/oauth/authorize"
TOKEN = "/sandbox-hr/oauth/token"
REDIRECT_URI = "https://app.example.com/oauth/callback"


@dataclass(frozen=True)
class RegisteredApp:
    app: SandboxOAuthApp
    client_secret: str

    @property
    def client_id(self) -> str:
        return self.app.client_id

    @property
    def basic_auth(self) -> str:
        """RFC 6749 §2.3.1 `client_secret_basic`: form-urlencoded id and secret, then Basic."""
        pair = f"{quote(self.client_id, safe='')}:{quote(self.client_secret, safe='')}"
        return "Basic " + base64.b64encode(pair.encode()).decode()


def oauth_app_registered(
    *, redirect_uris: tuple[str, ...] = (REDIRECT_URI,), scopes: tuple[str, ...] | None = None
) -> RegisteredApp:
    app, client_secret = sandbox_oauth_app_register(
        name="Acme Integrations", redirect_uris=redirect_uris, allowed_scopes=scopes
    )
    return RegisteredApp(app, client_secret)


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), as RFC 7636 §4.1 and §4.2 make them."""
    verifier = secrets.token_urlsafe(48)
    return verifier, create_s256_code_challenge(verifier)


def authorize_url(
    registered: RegisteredApp,
    *,
    scope: str,
    state: str = "af0ifjsldkj",
    redirect_uri: str | None = REDIRECT_URI,
    code_challenge: str | None = None,
    client_id: str | None = None,
) -> str:
    params = {
        "response_type": "code",
        "client_id": client_id if client_id is not None else registered.client_id,
        "scope": scope,
        "state": state,
    }
    if redirect_uri is not None:
        params["redirect_uri"] = redirect_uri
    if code_challenge is not None:
        params.update(code_challenge=code_challenge, code_challenge_method="S256")
    return f"{AUTHORIZE}?{urlencode(params)}"


def redirect_params(response: HttpResponse) -> dict[str, str]:
    """The query parameters of the redirect back to the app."""
    assert response.status_code == 302, response.content.decode()
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI, location
    return dict(parse_qsl(location.query))


def oauth_code_approved(
    client: Client,
    registered: RegisteredApp,
    *,
    scope: str,
    code_challenge: str | None = None,
    state: str = "af0ifjsldkj",
) -> str:
    """An administrator signed in to `client` allows the app on the consent page: the code."""
    url = authorize_url(registered, scope=scope, code_challenge=code_challenge, state=state)
    assert client.get(url, secure=True).status_code == 200
    params = redirect_params(client.post(url, {"decision": "allow"}, secure=True))
    assert params["state"] == state
    return params["code"]


def token_post(client: Client, registered: RegisteredApp, **form: str) -> HttpResponse:
    """The app's token request with `client_secret_basic`."""
    response: HttpResponse = client.post(
        TOKEN, form, secure=True, HTTP_AUTHORIZATION=registered.basic_auth
    )
    return response


def code_grant(code: str, *, redirect_uri: str = REDIRECT_URI, **form: str) -> dict[str, str]:
    """The token request's form exchanging `code` (RFC 6749 §4.1.3)."""
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, **form}


def refresh_grant(refresh_token: str, **form: str) -> dict[str, str]:
    """The token request's form refreshing with `refresh_token` (RFC 6749 §6)."""
    return {"grant_type": "refresh_token", "refresh_token": refresh_token, **form}


def oauth_tokens(client: Client, registered: RegisteredApp, *, scope: str) -> dict[str, Any]:
    """An administrator signed in to `client` connects the app: the token response's body."""
    code = oauth_code_approved(client, registered, scope=scope)
    response = token_post(client, registered, **code_grant(code))
    assert response.status_code == 200, response.content.decode()
    tokens: dict[str, Any] = response.json()
    return tokens


def tokens_refreshed(client: Client, registered: RegisteredApp, refresh_token: str) -> Any:
    """The body of the app's refresh request, whatever its status."""
    return token_post(client, registered, **refresh_grant(refresh_token)).json()


def api_status(client: Client, access_token: str, path: str = "me") -> int:
    response = client.get(f"/sandbox-hr/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return int(response.status_code)

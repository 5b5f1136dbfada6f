"""OAuth 2.0 authorization-code tools: what such a tool declares, and the protocol on the wire.

The protocol is Authlib's (`OAuth2Session`): the authorization URL with `state` and PKCE, the
code exchange and the refresh. What is ours is the classification of every outcome, because
it decides what the three-day clock sees (RFC 6749 §5.2 names the error codes):

- `invalid_grant` (and `access_denied`): the customer's grant is dead or was never valid ->
  `OAuthGrantRefused`, an authentication failure like a revoked API key.
- `invalid_client`, `unauthorized_client` or the token endpoint refusing our client otherwise:
  the *operator's* OAuth app is misconfigured -> `OAuthUnavailable` (never counted against the
  customer; its message says what to fix).
- network errors, timeouts, 5xx and 429 -> `OAuthUnavailable`, with the vendor's Retry-After.

No message ever carries a token, a code, a verifier or the client secret.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import requests
from authlib.common.urls import url_decode
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings

from integrations.tools.http import USER_AGENT, parse_retry_after


class ClientAuthMethod(StrEnum):
    """How the client authenticates at the token endpoint."""

    # RFC 6749 §2.3.1: HTTP Basic with the client id and secret (Deel).
    BASIC = "client_secret_basic"
    # RFC 6749 §2.3.1: `client_id` and `client_secret` in the form-encoded body.
    FORM_BODY = "client_secret_post"
    # Not in the RFC: the whole token request as a JSON body with the client credentials (Gusto).
    JSON_BODY = "client_secret_json"


class RefreshRotation(StrEnum):
    """What the vendor does with a refresh token once it has been used."""

    # It stays valid: a refresh may be repeated with it.
    REUSABLE = "REUSABLE"
    # A new one is issued, and the old one dies when the new access token is first used
    # (Gusto): a refresh whose answer was lost can be repeated.
    UNTIL_NEW_TOKEN_USED = "UNTIL_NEW_TOKEN_USED"
    # Strictly single use (Deel): using one twice is `invalid_grant`, and may revoke the grant.
    SINGLE_USE = "SINGLE_USE"


@dataclass(frozen=True)
class OAuthSpec:
    """An OAuth tool's connection. URLs are read from settings when used, so a deployment (or
    a test's fake vendor) can point them elsewhere."""

    authorize_url: Callable[[], str]
    token_url: Callable[[], str]
    client_auth: ClientAuthMethod
    rotation: RefreshRotation
    # RFC 7636 PKCE (S256), where the vendor supports it.
    pkce: bool = False
    # Whether the authorization request names the scopes (some vendors fix them on the app).
    sends_scope: bool = True
    scope_separator: str = " "
    # Further fixed parameters of the authorization request.
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    # Refresh this long before the access token expires: a sync must not start on a token
    # that dies halfway through its first page.
    refresh_margin: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class OAuthClient:
    """The operator's OAuth app at the vendor."""

    client_id: str
    client_secret: str = field(repr=False)


class OAuthGrantRefused(Exception):
    """The vendor refused the grant (RFC 6749 §5.2 `invalid_grant` and kin): the customer must
    connect again. The message is safe to show and log."""

    def __init__(self, message: str, *, error: str) -> None:
        super().__init__(message)
        self.error = error


class OAuthUnavailable(Exception):
    """The token endpoint gave no usable answer this time, or refused our own client: says
    nothing about the customer's grant. The message is safe to show and log."""

    def __init__(self, message: str, *, retry_after_seconds: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


# Errors that mean the customer's grant (or the code standing for it) is no good.
_GRANT_ERRORS = frozenset({"invalid_grant", "access_denied"})
# Errors that mean the operator's OAuth app is not set up as the vendor wants it.
_CLIENT_ERRORS = frozenset({"invalid_client", "unauthorized_client"})


def _json_body_auth(
    client: Any, method: str, uri: str, headers: dict[str, str], body: str
) -> tuple[str, dict[str, str], str]:
    """Client credentials and the token request's parameters in one JSON body (Gusto's
    `POST /oauth/token` takes its parameters as JSON)."""
    params = dict(url_decode(body or ""))
    params.update(client_id=client.client_id, client_secret=client.client_secret)
    encoded = json.dumps(params)
    headers["Content-Type"] = "application/json"
    headers["Content-Length"] = str(len(encoded.encode()))
    return uri, headers, encoded


def _session(
    spec: OAuthSpec,
    client: OAuthClient,
    *,
    redirect_uri: str | None = None,
    scopes: Iterable[str] = (),
) -> OAuth2Session:
    scope_list = list(scopes)
    session = OAuth2Session(
        client_id=client.client_id,
        client_secret=client.client_secret,
        token_endpoint_auth_method=spec.client_auth.value,
        redirect_uri=redirect_uri,
        scope=spec.scope_separator.join(scope_list) if spec.sends_scope and scope_list else None,
        code_challenge_method="S256" if spec.pkce else None,
        default_timeout=(min(settings.TOOL_HTTP_TIMEOUT, 10.0), settings.TOOL_HTTP_TIMEOUT),
    )
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json"
    if spec.client_auth == ClientAuthMethod.JSON_BODY:
        session.register_client_auth_method((ClientAuthMethod.JSON_BODY.value, _json_body_auth))
    # Classified before Authlib reads the body: a 429 or 5xx may carry a JSON body without
    # an `error`, which Authlib would take for a token.
    for hook in ("access_token_response", "refresh_token_response"):
        session.register_compliance_hook(hook, _refuse_unusable_answer)
    return session


def _refuse_unusable_answer(response: requests.Response) -> requests.Response:
    if response.status_code == 429 or response.status_code >= 500:
        raise OAuthUnavailable(
            "the token endpoint is rate limiting (HTTP 429)"
            if response.status_code == 429
            else f"the token endpoint failed (HTTP {response.status_code})",
            retry_after_seconds=parse_retry_after(response.headers.get("Retry-After")),
        )
    if 300 <= response.status_code < 400:
        raise OAuthUnavailable(f"the token endpoint redirected (HTTP {response.status_code})")
    if response.status_code in (400, 401):
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("error"), str):
            raise OAuthUnavailable(
                f"the token endpoint refused the request (HTTP {response.status_code}) "
                "without an OAuth error code"
            )
    return response


def authorization_url(
    spec: OAuthSpec,
    client: OAuthClient,
    *,
    redirect_uri: str,
    state: str,
    code_verifier: str | None,
    scopes: Iterable[str],
) -> str:
    """Where to send the customer for consent (RFC 6749 §4.1.1, RFC 7636 §4.3)."""
    session = _session(spec, client, redirect_uri=redirect_uri, scopes=scopes)
    url, _state = session.create_authorization_url(
        spec.authorize_url(),
        state=state,
        code_verifier=code_verifier if spec.pkce else None,
        **spec.authorize_params,
    )
    return str(url)


def code_exchange(
    spec: OAuthSpec,
    client: OAuthClient,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str | None,
) -> dict[str, str]:
    """Trade an authorization code for tokens (RFC 6749 §4.1.3), as `token_normalized`."""
    session = _session(spec, client, redirect_uri=redirect_uri)
    extra = {"code_verifier": code_verifier} if spec.pkce and code_verifier else {}
    token = _token_call(
        lambda: session.fetch_token(
            spec.token_url(),
            code=code,
            grant_type="authorization_code",
            allow_redirects=False,
            **extra,
        )
    )
    return token_normalized(token, previous_refresh_token=None)


def token_refresh(
    spec: OAuthSpec, client: OAuthClient, *, refresh_token: str, scope: str = ""
) -> dict[str, str]:
    """A new access token for a refresh token (RFC 6749 §6), as `token_normalized`: an answer
    without a new refresh token keeps the one that was used, and one without a `scope` keeps
    `scope`, the one granted before (§5.1: it is left out when unchanged)."""
    session = _session(spec, client)
    token = _token_call(
        lambda: session.refresh_token(
            spec.token_url(), refresh_token=refresh_token, allow_redirects=False
        )
    )
    refreshed = token_normalized(token, previous_refresh_token=refresh_token)
    return {**refreshed, "scope": refreshed["scope"] or scope}


def _token_call(call: Callable[[], Mapping[str, Any]]) -> Mapping[str, Any]:
    try:
        return call()
    except OAuthError as error:
        code = str(error.error or "")
        if code in _GRANT_ERRORS:
            raise OAuthGrantRefused(f"the vendor refused the grant ({code})", error=code) from None
        if code in _CLIENT_ERRORS:
            raise OAuthUnavailable(
                f"the vendor refused the OAuth app ({code}): check the OAuth app's client id, "
                "secret and allowed grant types"
            ) from None
        raise OAuthUnavailable(f"the token endpoint answered with an error ({code[:40]})") from None
    except (ValueError, TypeError):
        # Authlib's answer to a 200 whose body is no JSON object, or a malformed expiry.
        raise OAuthUnavailable("the token endpoint answered with an unreadable body") from None
    except requests.Timeout:
        raise OAuthUnavailable("the token endpoint timed out") from None
    except requests.ConnectionError:
        raise OAuthUnavailable("the token endpoint could not be reached") from None
    except requests.RequestException as error:
        raise OAuthUnavailable(f"the token request failed ({type(error).__name__})") from None


def token_normalized(
    token: Mapping[str, Any], *, previous_refresh_token: str | None
) -> dict[str, str]:
    """The token as stored, every value a string like other credentials: `access_token`,
    `refresh_token` ("" when there is none), `token_type`, `expires_at` (epoch seconds, "" when
    the vendor does not say) and the granted `scope` ("" when the vendor does not say)."""
    access_token = token.get("access_token")
    if not isinstance(access_token, str) or not access_token:
        raise OAuthUnavailable("the token endpoint answered without an access token")
    refresh_token = token.get("refresh_token") or previous_refresh_token or ""
    expires_at = token.get("expires_at")
    try:
        if expires_at is None and token.get("expires_in") is not None:
            expires_at = int(time.time()) + int(token["expires_in"])
        expires = str(int(expires_at)) if expires_at is not None else ""
    except (TypeError, ValueError):
        raise OAuthUnavailable("the token endpoint answered with a malformed expiry") from None
    scope = token.get("scope") or ""
    return {
        "access_token": access_token,
        "refresh_token": refresh_token if isinstance(refresh_token, str) else "",
        "token_type": str(token.get("token_type") or "Bearer"),
        "expires_at": expires,
        "scope": " ".join(map(str, scope)) if isinstance(scope, list) else str(scope),
    }


def token_is_due(token: Mapping[str, Any], spec: OAuthSpec, *, now: float | None = None) -> bool:
    """Whether the access token should be refreshed before it is used."""
    expires_at = token.get("expires_at")
    if not expires_at:
        return False
    moment = time.time() if now is None else now
    return float(expires_at) - spec.refresh_margin.total_seconds() <= moment


def granted_scopes(token: Mapping[str, Any], separator: str = " ") -> frozenset[str]:
    """The scopes a token response says were granted (RFC 6749 §5.1 `scope`)."""
    scope = str(token.get("scope") or "")
    parts = scope.split(separator) if separator.strip() else scope.split()
    return frozenset(part.strip() for part in parts if part.strip())

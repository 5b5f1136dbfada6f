"""Authlib's OAuth 2.0 authorization server, told where Sandbox HR keeps things.

Authlib runs the protocol: the authorization request's checks and its error redirects (RFC 6749
§4.1.2.1), client authentication with `client_secret_basic` or `client_secret_post` (§2.3.1),
the code and refresh grants (§4.1.3, §6), PKCE (RFC 7636 §4.6) and the error bodies of §5.2.
What it stores and how tokens rotate is `sandbox_hr.services.oauth`.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.django_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidGrantError, OAuth2Request, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from django.conf import settings

from sandbox_hr.models import (
    OAUTH_CLIENT_AUTH_METHODS,
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxOAuthApp,
    SandboxOAuthCode,
    SandboxOAuthToken,
    SandboxUser,
)
from sandbox_hr.selectors import oauth_app_get
from sandbox_hr.services.oauth import (
    ACCESS_TOKEN_PREFIX,
    CODE_PREFIX,
    MAX_CLIENT_ID_LENGTH,
    REFRESH_TOKEN_PREFIX,
    new_secret,
    sandbox_oauth_code_claim,
    sandbox_oauth_code_create,
    sandbox_oauth_grant_create,
    sandbox_oauth_refresh_token_claim,
    sandbox_oauth_refresh_token_find,
    sandbox_oauth_token_refresh,
)


class SandboxAuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(OAUTH_CLIENT_AUTH_METHODS)

    def generate_authorization_code(self) -> str:
        return new_secret(CODE_PREFIX)

    def save_authorization_code(self, code: str, request: OAuth2Request) -> SandboxOAuthCode:
        user: SandboxUser = request.user
        return sandbox_oauth_code_create(
            app=request.client,
            account=user.account,
            approved_by=user,
            raw_code=code,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            code_challenge=request.payload.data.get("code_challenge"),
            code_challenge_method=request.payload.data.get("code_challenge_method"),
        )

    def query_authorization_code(
        self, code: str, client: SandboxOAuthApp
    ) -> SandboxOAuthCode | None:
        return sandbox_oauth_code_claim(app=client, raw_code=code)

    def delete_authorization_code(self, authorization_code: SandboxOAuthCode) -> None:
        """Nothing left to do: the code was marked used when it was claimed, and stays as the
        record that finds its grant if it is ever presented again."""

    def authenticate_user(self, authorization_code: SandboxOAuthCode) -> SandboxAccount:
        # The resource owner is the company; who approved is on the code.
        return authorization_code.account

    def save_token(self, token: dict[str, Any]) -> SandboxOAuthToken:
        return sandbox_oauth_grant_create(code=self.request.authorization_code, token=token)


class SandboxRefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(OAUTH_CLIENT_AUTH_METHODS)
    # Every refresh answers with a new refresh token, in both rotation modes.
    INCLUDE_NEW_REFRESH_TOKEN = True

    def validate_token_request(self) -> None:
        # Authlib's own steps, with the refresh token claimed last: a request refused for its
        # scope must not use the token up.
        client = self._validate_request_client()
        self.request.client = client
        token = self._validate_request_token(client)
        self._validate_token_scope(token)
        if not sandbox_oauth_refresh_token_claim(token=token):
            raise InvalidGrantError()
        self.request.refresh_token = token

    def authenticate_refresh_token(self, refresh_token: str) -> SandboxOAuthToken | None:
        return sandbox_oauth_refresh_token_find(
            app=self.request.client, raw_refresh_token=refresh_token
        )

    def authenticate_user(self, refresh_token: SandboxOAuthToken) -> SandboxAccount:
        return refresh_token.grant.account

    def revoke_old_credential(self, refresh_token: SandboxOAuthToken) -> None:
        """Nothing left to do: claiming the refresh token in `validate_token_request` applied
        the rotation rule before the new pair was issued."""

    def save_token(self, token: dict[str, Any]) -> SandboxOAuthToken:
        return sandbox_oauth_token_refresh(parent=self.request.refresh_token, token=token)


def _access_token(**_: Any) -> str:
    return new_secret(ACCESS_TOKEN_PREFIX)


def _refresh_token(**_: Any) -> str:
    return new_secret(REFRESH_TOKEN_PREFIX)


def _expires_in(client: SandboxOAuthApp, grant_type: str) -> int:
    lifetime: int = settings.SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS
    return lifetime


class SandboxAuthorizationServer(AuthorizationServer):
    def __init__(self) -> None:
        super().__init__(SandboxOAuthApp, SandboxOAuthToken)
        # Anything else in `scope` is refused with `invalid_scope` (RFC 6749 §3.3).
        self.scopes_supported = list(SANDBOX_PERMISSIONS)
        # PKCE is optional for these confidential clients, and verified whenever used.
        self.register_grant(SandboxAuthorizationCodeGrant, [CodeChallenge(required=False)])
        self.register_grant(SandboxRefreshTokenGrant)

    def query_client(self, client_id: str) -> SandboxOAuthApp | None:
        # PostgreSQL refuses a NUL character in a query parameter: never let one reach it.
        if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH or not client_id.isprintable():
            return None
        return oauth_app_get(client_id=client_id)

    def create_bearer_token_generator(self) -> BearerTokenGenerator:
        return BearerTokenGenerator(
            access_token_generator=_access_token,
            refresh_token_generator=_refresh_token,
            expires_generator=_expires_in,
        )


authorization_server = SandboxAuthorizationServer()

"""Sandbox HR as an OAuth 2.0 provider: the authorization-code grant of RFC 6749 §4.1.

An app (a developer's OAuth client) is registered once, and any company may authorize it. An
administrator's approval becomes an authorization code, and exchanging the code makes a grant:
which app may read which company's data with which scopes. Every access and refresh token
issued from that code belongs to the grant, so revoking the grant kills them all at once.

Only SHA-256 digests of secrets are stored: the client secret, the code, every token. The
methods named `get_*` and `check_*` are the client, code and token interfaces Authlib's server
calls (`authlib.oauth2.rfc6749.ClientMixin`, `AuthorizationCodeMixin`, `TokenMixin`).
"""

from __future__ import annotations

import hashlib
import hmac

from django.db import models
from django.utils import timezone

from core.ids import random_base58
from sandbox_hr.models.accounts import SANDBOX_PERMISSIONS, SandboxAccount, SandboxUser

OAUTH_GRANT_TYPES: tuple[str, ...] = ("authorization_code", "refresh_token")
# Confidential clients only: every app has a secret (RFC 6749 §2.3.1).
OAUTH_CLIENT_AUTH_METHODS: tuple[str, ...] = ("client_secret_basic", "client_secret_post")


def secret_digest(raw: str) -> str:
    # Everything hashed here is at least 40 random base58 characters (a client secret the demo
    # seed fixes is a demo value anyway), so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_oauth_app_id() -> str:
    return f"oap_{random_base58(16)}"


def new_oauth_grant_id() -> str:
    return f"ogr_{random_base58(16)}"


def new_oauth_code_id() -> str:
    return f"ocd_{random_base58(16)}"


def new_oauth_token_id() -> str:
    return f"otk_{random_base58(16)}"


def _scope_text(scopes: list[str]) -> str:
    return " ".join(scopes)


class SandboxOAuthApp(models.Model):
    """A registered OAuth client. Its secret is shown once, when it is registered."""

    id = models.CharField(primary_key=True, max_length=32, default=new_oauth_app_id, editable=False)
    name = models.CharField(max_length=200)
    client_id = models.CharField(max_length=64, unique=True)
    client_secret_hash = models.CharField(max_length=64)
    # Compared exactly, character by character (RFC 6749 §3.1.2.3; RFC 9700 §4.1.3).
    redirect_uris = models.JSONField(default=list)
    allowed_scopes = models.JSONField(default=list)
    # The account whose administrator registered it in Settings → Developer apps; empty for apps
    # the operator's tools registered. Any account may authorize it either way.
    registered_by_account = models.ForeignKey(
        SandboxAccount,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_oauth_apps",
    )
    registered_by = models.ForeignKey(
        SandboxUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "sandbox OAuth app"

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # RFC 6749 §3.1.2.3: the request may leave the redirect URI out only if there is one.
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scopes in their usual order, or None (`invalid_scope`) when none were
        asked for or one of them is not among the app's."""
        requested = set((scope or "").split())
        if not requested or not requested.issubset(self.allowed_scopes):
            return None
        return _scope_text([p for p in SANDBOX_PERMISSIONS if p in requested])

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(secret_digest(client_secret), self.client_secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in OAUTH_CLIENT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in OAUTH_GRANT_TYPES


class SandboxOAuthGrant(models.Model):
    """A company's "yes" to an app, made when the app exchanged the code for its first tokens.

    Settings → Connected apps lists these; revoking one ends every token issued under it.
    """

    id = models.CharField(
        primary_key=True, max_length=32, default=new_oauth_grant_id, editable=False
    )
    app = models.ForeignKey(SandboxOAuthApp, on_delete=models.CASCADE, related_name="grants")
    account = models.ForeignKey(
        SandboxAccount, on_delete=models.CASCADE, related_name="oauth_grants"
    )
    scopes = models.JSONField(default=list)
    approved_by = models.ForeignKey(
        SandboxUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)
    # When one of its access tokens last read data through the API.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Empty when the operator's tools or refresh-token reuse detection revoked it.
    revoked_by = models.ForeignKey(
        SandboxUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["approved_at", "id"]
        verbose_name = "sandbox OAuth grant"

    def __str__(self) -> str:
        return f"{self.app.name} → {self.account.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SandboxOAuthCode(models.Model):
    """An authorization code: single use, short-lived (RFC 6749 §4.1.2), bound to its app, its
    redirect URI and, when the app sent one, a PKCE challenge (RFC 7636 §4.4)."""

    id = models.CharField(
        primary_key=True, max_length=32, default=new_oauth_code_id, editable=False
    )
    app = models.ForeignKey(SandboxOAuthApp, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="+")
    approved_by = models.ForeignKey(
        SandboxUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    # Empty when the authorization request left it out (the app's only redirect URI was used).
    redirect_uri = models.TextField(blank=True)
    scopes = models.JSONField(default=list)
    code_challenge = models.CharField(max_length=128, blank=True)
    code_challenge_method = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # The grant its exchange made: revoked if the code is presented again (RFC 6749 §4.1.2).
    grant = models.ForeignKey(
        SandboxOAuthGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "sandbox OAuth authorization code"

    def __str__(self) -> str:
        return f"Code for {self.app_id} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return _scope_text(self.scopes)


class SandboxOAuthToken(models.Model):
    """An access token and the refresh token issued with it.

    A refresh (RFC 6749 §6) issues a new pair whose `parent` is this one. With strict rotation
    the used refresh token dies at once; with grace rotation it dies when the new access token
    is first used.
    """

    id = models.CharField(
        primary_key=True, max_length=32, default=new_oauth_token_id, editable=False
    )
    grant = models.ForeignKey(SandboxOAuthGrant, on_delete=models.CASCADE, related_name="tokens")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    access_token_hash = models.CharField(max_length=64, unique=True)
    refresh_token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    issued_at = models.DateTimeField(default=timezone.now)
    access_expires_at = models.DateTimeField()
    access_first_used_at = models.DateTimeField(null=True, blank=True)
    # When the refresh token was first exchanged, and when it stopped being accepted.
    refresh_used_at = models.DateTimeField(null=True, blank=True)
    refresh_revoked_at = models.DateTimeField(null=True, blank=True)
    # Both tokens dead: the grant was revoked.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = "sandbox OAuth token"

    def __str__(self) -> str:
        return f"Token {self.pk} of grant {self.grant_id}"

    def check_client(self, client: SandboxOAuthApp) -> bool:
        return self.grant.app_id == client.pk

    def get_scope(self) -> str:
        return _scope_text(self.scopes)

    def get_expires_in(self) -> int:
        return int((self.access_expires_at - self.issued_at).total_seconds())

    def is_expired(self) -> bool:
        return timezone.now() >= self.access_expires_at

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_user(self) -> SandboxAccount:
        return self.grant.account

    def get_client(self) -> SandboxOAuthApp:
        return self.grant.app

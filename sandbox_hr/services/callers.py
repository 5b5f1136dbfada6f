"""Who is calling Sandbox HR's API: an API key or an OAuth access token, reduced to the one
thing the API needs to know, whose data it may read and with which permissions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sandbox_hr.models import SandboxAccount
from sandbox_hr.services.accounts import sandbox_api_key_authenticate
from sandbox_hr.services.oauth import ACCESS_TOKEN_PREFIX, sandbox_oauth_token_authenticate

API_KEY = "API key"
ACCESS_TOKEN = "access token"


class PermissionHolder(Protocol):
    """Anything the API's field filtering can ask: a caller, or an API key itself."""

    def has_permission(self, permission: str) -> bool: ...


@dataclass(frozen=True)
class SandboxCaller:
    account: SandboxAccount
    # An API key's permissions, or the scopes an access token was granted: one vocabulary.
    permissions: tuple[str, ...]
    # What the caller sent, in words for error messages: API_KEY or ACCESS_TOKEN.
    credential: str

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions


def bearer_credential(bearer: str) -> str:
    """What kind of credential a bearer value is meant to be (by its prefix)."""
    return ACCESS_TOKEN if bearer.startswith(ACCESS_TOKEN_PREFIX) else API_KEY


def sandbox_caller_authenticate(*, bearer: str) -> SandboxCaller | None:
    """The caller whose live API key or access token `bearer` is, or None."""
    if bearer_credential(bearer) == ACCESS_TOKEN:
        token = sandbox_oauth_token_authenticate(raw_access_token=bearer)
        if token is None:
            return None
        return SandboxCaller(
            account=token.grant.account, permissions=tuple(token.scopes), credential=ACCESS_TOKEN
        )
    key = sandbox_api_key_authenticate(raw_key=bearer)
    if key is None:
        return None
    return SandboxCaller(
        account=key.account, permissions=tuple(key.permissions), credential=API_KEY
    )

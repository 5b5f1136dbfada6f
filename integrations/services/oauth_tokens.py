"""OAuth tools over time: the operator's app per vendor, and tokens refreshed one at a time.

The failures other integration platforms are known for, and what rules them out here:
- two workers racing a single-use refresh token into `invalid_grant`: refreshes of one
  integration take turns (`_refresh_turn`: its row lock on PostgreSQL, a file lock on SQLite),
  and the token is read again in each turn; whoever comes second finds the fresh token and
  uses it;
- a rotated token saved where nothing reads it, or used before it is saved: the refreshed
  token replaces the stored one within the turn of the refresh, before it is used;
- a refresh answer without a `refresh_token` overwriting the old one with null: the old one is
  kept (`integrations.tools.oauth.token_normalized`);
- a dead grant retried thousands of times a day: a refused refresh is recorded on the
  credential version, and no refresh is tried again for it until the next scheduled check or
  a relink (which brings a new version).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.crypto import decrypt_json, encrypt_json
from integrations.models import CredentialVersion, Integration, OAuthApp
from integrations.selectors.oauth_apps import OAuthAppMissingError, oauth_client_for
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult, Tool
from integrations.tools.oauth import (
    OAuthClient,
    OAuthGrantRefused,
    OAuthSpec,
    OAuthUnavailable,
    RefreshRotation,
    token_is_due,
    token_refresh,
)


def oauth_app_save(
    *, environment_id: str, tool_id: str, client_id: str, client_secret: str | None
) -> OAuthApp:
    """Create or change the environment's app for an OAuth tool; a `client_secret` of None
    keeps the stored one (the form never shows it back)."""
    tool = tool_get(tool_id)
    if tool.oauth is None:
        raise ValueError(f"{tool.label} is not an OAuth tool.")
    with transaction.atomic():
        app = (
            OAuthApp.objects.select_for_update()
            .filter(environment_id=environment_id, tool=tool_id)
            .first()
        )
        if app is None:
            if not client_secret:
                raise ValueError("A new OAuth app needs its client secret.")
            app = OAuthApp(environment_id=environment_id, tool=tool_id)
        app.client_id = client_id
        if client_secret:
            app.client_secret_encrypted = encrypt_json({"client_secret": client_secret})
        app.save()
    return app


@dataclass(frozen=True)
class UsableToken:
    """A token to call the vendor with, or why there is none (`failure`)."""

    token: dict[str, str] | None
    failure: AuthResult | None = None
    # Whether it was refreshed just now: a 401 on a fresh token means the grant is dead.
    refreshed: bool = False


def oauth_credentials_check(*, integration: Integration, scheduled: bool) -> AuthResult:
    """The auth check of an OAuth integration: refresh the token when due, then the tool's
    cheapest authenticated call. A 401 on a token that was not just refreshed gets one
    refresh and one more try: only a refusal after a fresh refresh, or a refused refresh,
    says the grant is dead. `scheduled`: a scheduled check may retry a grant refused before."""
    tool = tool_get(integration.tool)
    usable = oauth_token_usable(integration=integration, tool=tool, retry_refused=scheduled)
    if usable.failure is not None or usable.token is None:
        return usable.failure or AuthResult.invalid("No token is stored for this integration.")
    result = tool.check_auth(usable.token)
    if result.outcome != AuthOutcome.INVALID_CREDENTIALS or usable.refreshed:
        return result
    usable = oauth_token_usable(
        integration=integration,
        tool=tool,
        retry_refused=scheduled,
        replacing=usable.token["access_token"],
    )
    if usable.failure is not None or usable.token is None:
        return usable.failure or AuthResult.invalid("No token is stored for this integration.")
    return tool.check_auth(usable.token)


def oauth_token_usable(
    *,
    integration: Integration,
    tool: Tool,
    retry_refused: bool = False,
    replacing: str | None = None,
) -> UsableToken:
    """The stored token, refreshed first when it is due (or when `replacing`, the access token
    a vendor just refused, is still the stored one)."""
    spec = tool.oauth
    assert spec is not None, f"{tool.id} is not an OAuth tool"
    version = _newest_version(integration.pk)
    if version is None:
        return UsableToken(None, AuthResult.invalid("No token is stored for this integration."))
    token = decrypt_json(version.payload_encrypted)
    if replacing is None and not token_is_due(token, spec):
        return UsableToken(token)
    return _refreshed_under_lock(
        integration=integration,
        tool=tool,
        spec=spec,
        retry_refused=retry_refused,
        replacing=replacing,
    )


def _newest_version(integration_id: str) -> CredentialVersion | None:
    return (
        CredentialVersion.objects.filter(integration_id=integration_id)
        .order_by("-created_at", "-id")
        .first()
    )


@contextmanager
def _refresh_turn(integration_id: str) -> Iterator[None]:
    """One refresh at a time per integration, across processes and nodes.

    PostgreSQL: the integration's row lock, held by a transaction for the whole turn; a relink
    takes the same lock, so a refresh and a token swap never interleave. SQLite serves one
    machine and one writer for the whole database: a transaction held across the vendor's
    answer would lock out a vendor served from the same database (Sandbox HR, in the embedded
    default), so there the turn is an advisory file lock shared by the machine's processes.
    """
    if connection.features.has_select_for_update:
        with transaction.atomic():
            list(Integration.objects.select_for_update().filter(pk=integration_id).values("pk"))
            yield
        return
    path = Path(settings.VAR_DIR) / "locks" / f"oauth-refresh-{integration_id}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _refreshed_under_lock(
    *,
    integration: Integration,
    tool: Tool,
    spec: OAuthSpec,
    retry_refused: bool,
    replacing: str | None,
) -> UsableToken:
    try:
        client = oauth_client_for(environment_id=integration.environment_id, tool_id=tool.id)
    except OAuthAppMissingError as missing:
        # The operator's configuration, not the customer's grant: never counted.
        return UsableToken(None, AuthResult.unreachable(str(missing)))
    with _refresh_turn(integration.pk):
        # Read again in our turn: whoever had it before may have refreshed already.
        version = _newest_version(integration.pk)
        if version is None:
            return UsableToken(None, AuthResult.invalid("No token is stored for this integration."))
        token = decrypt_json(version.payload_encrypted)
        settled = _refresh_unneeded_or_barred(
            version, token, tool=tool, spec=spec, retry_refused=retry_refused, replacing=replacing
        )
        if settled is not None:
            return settled
        return _refreshed_and_stored(version, token, tool=tool, spec=spec, client=client)


def _refresh_unneeded_or_barred(
    version: CredentialVersion,
    token: dict[str, str],
    *,
    tool: Tool,
    spec: OAuthSpec,
    retry_refused: bool,
    replacing: str | None,
) -> UsableToken | None:
    """The stored token when someone else refreshed it meanwhile, why no refresh may be tried,
    or None: refresh it."""
    if replacing is None and not token_is_due(token, spec):
        return UsableToken(token)
    if replacing is not None and token["access_token"] != replacing:
        return UsableToken(token)
    if version.token_refresh_refused_at is not None and not retry_refused:
        return UsableToken(
            None,
            AuthResult.invalid(
                f"{tool.label} refused the refresh token at "
                f"{version.token_refresh_refused_at:%Y-%m-%d %H:%M} UTC; it is tried again "
                "at the next scheduled check, or the customer reconnects."
            ),
        )
    if not token.get("refresh_token"):
        return UsableToken(
            None,
            AuthResult.invalid(
                f"The {tool.label} access token expired and no refresh token was issued; "
                "the customer must reconnect."
            ),
        )
    return None


def _refreshed_and_stored(
    version: CredentialVersion,
    token: dict[str, str],
    *,
    tool: Tool,
    spec: OAuthSpec,
    client: OAuthClient,
) -> UsableToken:
    """Refresh (in the caller's turn) and store the answer before anyone uses it."""
    now = timezone.now()
    try:
        fresh = token_refresh(
            spec, client, refresh_token=token["refresh_token"], scope=token.get("scope", "")
        )
    except OAuthGrantRefused as refused:
        version.token_refresh_refused_at = now
        version.save(update_fields=["token_refresh_refused_at"])
        return UsableToken(
            None,
            AuthResult.invalid(
                f"{tool.label} refused the refresh token ({refused.error}): the app was "
                "revoked or the grant expired; the customer must reconnect."
            ),
        )
    except OAuthUnavailable as unavailable:
        message = f"{tool.label} token refresh failed: {unavailable}."
        if spec.rotation == RefreshRotation.SINGLE_USE:
            # Nothing can be done about it, but an operator reading the next refusal should
            # know why it came.
            message += (
                f" {tool.label}'s refresh tokens are single use: if it rotated the token before "
                "its answer was lost, the next refresh is refused and the customer must "
                "reconnect."
            )
        return UsableToken(
            None,
            AuthResult.unreachable(message, retry_after_seconds=unavailable.retry_after_seconds),
        )
    version.payload_encrypted = encrypt_json(fresh)
    version.token_refreshed_at = now
    version.token_refresh_refused_at = None
    version.save(
        update_fields=["payload_encrypted", "token_refreshed_at", "token_refresh_refused_at"]
    )
    return UsableToken(fresh, refreshed=True)

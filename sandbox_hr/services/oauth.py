"""Sandbox HR as an OAuth 2.0 provider: registering apps, and what Authlib's authorization server
(sandbox_hr.authorization_server) writes: codes, grants, tokens, rotation and revocation.

Every secret is random, handed out once and stored as a digest. Codes and refresh tokens are
claimed with a compare-and-set UPDATE, so two requests can never both exchange the same one.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.ids import random_base58
from sandbox_hr.models import (
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxOAuthApp,
    SandboxOAuthCode,
    SandboxOAuthGrant,
    SandboxOAuthToken,
    SandboxUser,
    secret_digest,
)
from sandbox_hr.services.accounts import permissions_normalized

ROTATION_STRICT = "strict"
ROTATION_GRACE = "grace"
ROTATIONS = (ROTATION_STRICT, ROTATION_GRACE)
CLIENT_ID_PREFIX = "sbxapp_"
CLIENT_SECRET_PREFIX = "sbxcs_"
CODE_PREFIX = "sbxac_"
ACCESS_TOKEN_PREFIX = "sbxat_"
REFRESH_TOKEN_PREFIX = "sbxrt_"
# RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
CODE_LIFETIME = timedelta(minutes=10)
# "Last used" is a day-to-day hint for people, not an audit trail: one write a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_REDIRECT_URI_LENGTH = 2000
MAX_CLIENT_ID_LENGTH = 64
MAX_TOKEN_LENGTH = 128


class OAuthAppInvalidError(ValueError):
    pass


class OAuthManagementDeniedError(PermissionError):
    """A Sandbox HR user tried to register apps or revoke grants they may not."""


def _manager_checked(user: SandboxUser | None, account_id: str | None) -> None:
    # None: the operator's tools (`manage.py sandbox`, the control page, the demo seed).
    if user is None:
        return
    if not user.may_manage_api_keys or (account_id is not None and user.account_id != account_id):
        raise OAuthManagementDeniedError(
            "Only an administrator of the account can manage its apps and connections."
        )


def new_secret(prefix: str) -> str:
    return f"{prefix}{random_base58(40)}"


def redirect_uris_checked(redirect_uris: Iterable[str]) -> list[str]:
    """Absolute http(s) URIs without a fragment (RFC 6749 §3.1.2), each once, in order."""
    checked: list[str] = []
    for raw in redirect_uris:
        uri = raw.strip()
        if not uri:
            continue
        parts = urlsplit(uri)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.fragment
            or "#" in uri
            or len(uri) > MAX_REDIRECT_URI_LENGTH
            or not uri.isascii()
            or any(char.isspace() for char in uri)
        ):
            raise OAuthAppInvalidError(
                f"{uri!r} is not a redirect URI: use an absolute http:// or https:// address "
                "without a #fragment."
            )
        if uri not in checked:
            checked.append(uri)
    if not checked:
        raise OAuthAppInvalidError("An app needs at least one redirect URI.")
    return checked


def _client_id_checked(client_id: str) -> str:
    if (
        not 8 <= len(client_id) <= MAX_CLIENT_ID_LENGTH
        or not client_id.isascii()
        or not client_id.replace("_", "").replace("-", "").isalnum()
    ):
        raise OAuthAppInvalidError(
            f"A client id has 8 to {MAX_CLIENT_ID_LENGTH} letters, digits, '-' or '_'."
        )
    return client_id


def sandbox_oauth_app_register(
    *,
    name: str,
    redirect_uris: Iterable[str],
    client_id: str | None = None,
    client_secret: str | None = None,
    allowed_scopes: Iterable[str] | None = None,
    registered_by: SandboxUser | None = None,
) -> tuple[SandboxOAuthApp, str]:
    """Register an app and return it with its client secret, which is never shown again.

    With `client_id`, the app of that id is updated in place if it exists (name, redirect URIs,
    scopes and secret): the demo seed registers the same app on every start. Without
    `client_secret`, a new random one is made (replacing the old one of an existing app).
    """
    _manager_checked(registered_by, None)
    app_name = name.strip()
    if not app_name or len(app_name) > 200:
        raise OAuthAppInvalidError("An app needs a name of up to 200 characters.")
    uris = redirect_uris_checked(redirect_uris)
    try:
        scopes = permissions_normalized(
            SANDBOX_PERMISSIONS if allowed_scopes is None else allowed_scopes
        )
    except ValueError as exc:
        raise OAuthAppInvalidError(str(exc)) from None
    if not scopes:
        raise OAuthAppInvalidError("An app needs at least one scope it may ask for.")
    secret = client_secret or new_secret(CLIENT_SECRET_PREFIX)
    fields = {
        "name": app_name,
        "redirect_uris": uris,
        "allowed_scopes": scopes,
        "client_secret_hash": secret_digest(secret),
    }
    with transaction.atomic():
        if client_id is None:
            app = SandboxOAuthApp.objects.create(
                client_id=new_secret(CLIENT_ID_PREFIX)[:MAX_CLIENT_ID_LENGTH],
                registered_by_account=registered_by.account if registered_by else None,
                registered_by=registered_by,
                **fields,
            )
        else:
            app, _ = SandboxOAuthApp.objects.select_for_update().update_or_create(
                client_id=_client_id_checked(client_id), defaults=fields
            )
    return app, secret


def sandbox_oauth_code_create(
    *,
    app: SandboxOAuthApp,
    account: SandboxAccount,
    approved_by: SandboxUser,
    raw_code: str,
    redirect_uri: str | None,
    scope: str,
    code_challenge: str | None,
    code_challenge_method: str | None,
) -> SandboxOAuthCode:
    """Remember an administrator's approval as a code the app can exchange within 10 minutes."""
    _manager_checked(approved_by, account.pk)
    now = timezone.now()
    with transaction.atomic():
        return SandboxOAuthCode.objects.create(
            app=app,
            account=account,
            approved_by=approved_by,
            code_hash=secret_digest(raw_code),
            redirect_uri=redirect_uri or "",
            scopes=scope.split(),
            code_challenge=code_challenge or "",
            # RFC 7636 §4.3: a challenge without a method is "plain".
            code_challenge_method=(code_challenge_method or "plain") if code_challenge else "",
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )


def sandbox_oauth_code_claim(*, app: SandboxOAuthApp, raw_code: str) -> SandboxOAuthCode | None:
    """The app's unused, unexpired code, now used; None for any other.

    RFC 6749 §4.1.2: a code presented a second time is refused and the tokens issued for it
    are revoked. Claiming happens before the redirect URI and PKCE checks, so a code is worth
    one attempt, right or wrong.
    """
    if len(raw_code) > MAX_TOKEN_LENGTH:
        return None
    with transaction.atomic():
        code = (
            SandboxOAuthCode.objects.select_related("account", "approved_by", "grant")
            .filter(app=app, code_hash=secret_digest(raw_code))
            .first()
        )
        if code is None:
            return None
        now = timezone.now()
        claimed = SandboxOAuthCode.objects.filter(
            pk=code.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if claimed:
            code.used_at = now
            return code
        if code.used_at is not None and code.grant is not None:
            _grant_revoke(code.grant, revoked_by=None, now=now)
    return None


def _token_create(
    *, grant: SandboxOAuthGrant, token: dict[str, object], parent: SandboxOAuthToken | None
) -> SandboxOAuthToken:
    now = timezone.now()
    expires_in = token["expires_in"]
    assert isinstance(expires_in, int)
    return SandboxOAuthToken.objects.create(
        grant=grant,
        parent=parent,
        access_token_hash=secret_digest(str(token["access_token"])),
        refresh_token_hash=secret_digest(str(token["refresh_token"])),
        scopes=str(token.get("scope") or "").split(),
        issued_at=now,
        access_expires_at=now + timedelta(seconds=expires_in),
    )


def sandbox_oauth_grant_create(
    *, code: SandboxOAuthCode, token: dict[str, object]
) -> SandboxOAuthToken:
    """The grant an exchanged code makes, with its first token pair (given by Authlib)."""
    with transaction.atomic():
        grant = SandboxOAuthGrant.objects.create(
            app=code.app,
            account=code.account,
            scopes=code.scopes,
            approved_by=code.approved_by,
            approved_at=code.created_at,
        )
        SandboxOAuthCode.objects.filter(pk=code.pk).update(grant=grant)
        return _token_create(grant=grant, token=token, parent=None)


def sandbox_oauth_grant_seed(
    *, app: SandboxOAuthApp, account: SandboxAccount, scopes: Iterable[str]
) -> dict[str, object]:
    """A grant as if an administrator of `account` had allowed `app` (the demo's seed, which
    runs before any browser could): its first token pair, in the token endpoint's words."""
    token: dict[str, object] = {
        "access_token": new_secret(ACCESS_TOKEN_PREFIX),
        "refresh_token": new_secret(REFRESH_TOKEN_PREFIX),
        "token_type": "Bearer",
        "expires_in": settings.SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS,
        "scope": " ".join(scopes),
    }
    with transaction.atomic():
        grant = SandboxOAuthGrant.objects.create(
            app=app, account=account, scopes=str(token["scope"]).split()
        )
        _token_create(grant=grant, token=token, parent=None)
    return token


def sandbox_oauth_refresh_token_find(
    *, app: SandboxOAuthApp, raw_refresh_token: str
) -> SandboxOAuthToken | None:
    """The app's token pair with this refresh token, in whatever state: claiming decides."""
    if not raw_refresh_token.startswith(REFRESH_TOKEN_PREFIX):
        return None
    if len(raw_refresh_token) > MAX_TOKEN_LENGTH:
        return None
    candidate = secret_digest(raw_refresh_token)
    token = (
        SandboxOAuthToken.objects.select_related("grant__app", "grant__account")
        .filter(grant__app=app, refresh_token_hash=candidate)
        .first()
    )
    if token is None or not hmac.compare_digest(token.refresh_token_hash, candidate):
        return None
    return token


def sandbox_oauth_refresh_token_claim(*, token: SandboxOAuthToken) -> bool:
    """Whether `token`'s refresh token may be exchanged now, per `SANDBOX_HR_OAUTH_ROTATION`.

    strict: each refresh token works once. Presenting a used one again means it leaked (or the
    client lost its new one): the whole grant is revoked, as RFC 9700 §4.14.2 and RFC 6819
    §5.2.2.3 describe for refresh token rotation.
    grace: a refresh token keeps working until an access token issued by refreshing it is used.
    """
    now = timezone.now()
    with transaction.atomic():
        if token.revoked_at is not None or token.grant.revoked_at is not None:
            return False
        alive = SandboxOAuthToken.objects.filter(
            pk=token.pk, revoked_at__isnull=True, refresh_revoked_at__isnull=True
        )
        if settings.SANDBOX_HR_OAUTH_ROTATION == ROTATION_GRACE:
            if not alive.exists():
                return False
            alive.filter(refresh_used_at__isnull=True).update(refresh_used_at=now)
            return True
        if alive.filter(refresh_used_at__isnull=True).update(
            refresh_used_at=now, refresh_revoked_at=now
        ):
            return True
        _grant_revoke(token.grant, revoked_by=None, now=now)
    return False


def sandbox_oauth_token_refresh(
    *, parent: SandboxOAuthToken, token: dict[str, object]
) -> SandboxOAuthToken:
    """Store the pair a refresh issued (given by Authlib) under the same grant."""
    with transaction.atomic():
        return _token_create(grant=parent.grant, token=token, parent=parent)


def sandbox_oauth_token_authenticate(*, raw_access_token: str) -> SandboxOAuthToken | None:
    """The live token pair whose access token this is (grant and account loaded), or None.

    The first use of an access token ends its parent's refresh token (grace rotation: the
    client evidently has the new pair). Each use marks the grant as used.
    """
    if not raw_access_token.startswith(ACCESS_TOKEN_PREFIX):
        return None
    if len(raw_access_token) > MAX_TOKEN_LENGTH:
        return None
    candidate = secret_digest(raw_access_token)
    now = timezone.now()
    token = (
        SandboxOAuthToken.objects.select_related("grant__account")
        .filter(
            access_token_hash=candidate,
            revoked_at__isnull=True,
            grant__revoked_at__isnull=True,
            access_expires_at__gt=now,
        )
        .first()
    )
    if token is None or not hmac.compare_digest(token.access_token_hash, candidate):
        return None
    with transaction.atomic():
        first_use = SandboxOAuthToken.objects.filter(
            pk=token.pk, access_first_used_at__isnull=True
        ).update(access_first_used_at=now)
        if first_use and token.parent_id is not None:
            SandboxOAuthToken.objects.filter(
                pk=token.parent_id, refresh_revoked_at__isnull=True
            ).update(refresh_revoked_at=now)
        SandboxOAuthGrant.objects.filter(pk=token.grant_id).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token


def _grant_revoke(
    grant: SandboxOAuthGrant, *, revoked_by: SandboxUser | None, now: datetime
) -> bool:
    revoked = SandboxOAuthGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=revoked_by
    )
    SandboxOAuthToken.objects.filter(grant=grant, revoked_at__isnull=True).update(revoked_at=now)
    return bool(revoked)


def sandbox_oauth_grant_revoke(
    *, grant: SandboxOAuthGrant, revoked_by: SandboxUser | None = None
) -> bool:
    """End the grant and every token issued under it; False if it had been revoked already."""
    _manager_checked(revoked_by, grant.account_id)
    with transaction.atomic():
        revoked = _grant_revoke(grant, revoked_by=revoked_by, now=timezone.now())
    grant.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return revoked


def sandbox_oauth_grants_revoke(
    *, account: SandboxAccount, app: SandboxOAuthApp | None = None
) -> int:
    """End every live grant of `account` (to `app` only, if given): the operator's break
    button. Returns how many were live."""
    grants = SandboxOAuthGrant.objects.filter(account=account, revoked_at__isnull=True)
    if app is not None:
        grants = grants.filter(app=app)
    now = timezone.now()
    with transaction.atomic():
        return sum(_grant_revoke(grant, revoked_by=None, now=now) for grant in grants)

"""The hosted flow of an OAuth tool: off to the vendor's consent page and back through a link.

`oauth_flow_start` records a single-use `state` bound to the link (stored hashed), a PKCE
verifier (encrypted) and the redirect URI, and returns the vendor's authorization URL. The
vendor sends the customer back to `/connect/oauth/callback`; `oauth_flow_finish` consumes the
state with a compare-and-set, exchanges the code with the same redirect URI and verifier
(RFC 6749 §4.1.3, RFC 7636 §4.5), and hands the tokens to the link's completion exactly as
typed credentials are handed: checked live (granted scopes against the scope config, the
company against the integration's own), then swapped in with one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.crypto import decrypt_json, encrypt_json
from core.site_urls import site_url
from integrations.events import connect_flow_failed_emit, connection_flow_failed_emit
from integrations.models import LinkKind, OAuthFlow, ReconnectionLink, ScopeConfig
from integrations.selectors.links import scope_permissions_requested
from integrations.selectors.oauth_apps import OAuthAppMissingError, oauth_client_for
from integrations.services.connect import connect_link_complete
from integrations.services.link_completion import (
    LinkOutcome,
    LinkResult,
    credentials_refused_message,
    relink_link_complete,
    tool_unreachable_message,
)
from integrations.services.links import ACTIVATION_TOKEN_LIFETIME, token_hash
from integrations.tools import tool_get
from integrations.tools.base import Tool
from integrations.tools.oauth import (
    OAuthGrantRefused,
    OAuthUnavailable,
    authorization_url,
    code_exchange,
)

# Long enough to sign in at the vendor and read its consent page, short enough that a state
# left in a browser history is of no use.
OAUTH_FLOW_LIFETIME = timedelta(minutes=20)


def oauth_redirect_uri() -> str:
    """The one redirect URI of every OAuth app: registered with the vendor exactly so."""
    return f"{settings.BASE_URL}{reverse('connect:oauth_callback')}"


@dataclass(frozen=True)
class OAuthTrip:
    """Where to send the customer, and the nonce their browser must bring back."""

    authorization_url: str
    browser_nonce: str


def oauth_flow_start(
    *, link: ReconnectionLink, tool: Tool, scope: ScopeConfig, opted_out: Iterable[str]
) -> OAuthTrip:
    """Record the trip and return the vendor's authorization URL, with the nonce the
    customer's browser keeps for the callback. Raises `OAuthAppMissingError` when the operator
    configured no app for the tool."""
    spec = tool.oauth
    assert spec is not None, f"{tool.id} is not an OAuth tool"
    client = oauth_client_for(environment_id=link.environment_id, tool_id=tool.id)
    opted_out = sorted(set(opted_out))
    state = secrets.token_urlsafe(32)
    browser_nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64) if spec.pkce else ""
    redirect_uri = oauth_redirect_uri()
    OAuthFlow.objects.create(
        link=link,
        tool=tool.id,
        state_hash=token_hash(state),
        browser_hash=token_hash(browser_nonce),
        code_verifier_encrypted=encrypt_json({"code_verifier": verifier}) if verifier else "",
        redirect_uri=redirect_uri,
        opted_out=opted_out,
        expires_at=timezone.now() + OAUTH_FLOW_LIFETIME,
    )
    url = authorization_url(
        spec,
        client,
        redirect_uri=redirect_uri,
        state=state,
        code_verifier=verifier or None,
        scopes=scope_permissions_requested(tool=tool, scope=scope, opted_out=opted_out),
    )
    return OAuthTrip(authorization_url=url, browser_nonce=browser_nonce)


@dataclass(frozen=True)
class OAuthFlowResult:
    """Where a customer coming back from the vendor ends: the link they came through (None
    when the state is unknown, used or expired) and what came of it."""

    link: ReconnectionLink | None
    result: LinkResult
    tool_id: str = ""


def oauth_flow_finish(
    *,
    state: str,
    browser_nonce: str,
    code: str,
    error: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> OAuthFlowResult:
    """Complete the link the `state` belongs to with the tokens the `code` is worth."""
    flow = _flow_consume(state, browser_nonce)
    if flow is None:
        return _flow_not_consumed(state, browser_nonce)
    # The pages and messages that follow speak the link's language, as its page did.
    with translation.override(flow.link.language):
        if not _link_usable(flow.link):
            # Revoked, expired, used or its integration deleted while the customer was away:
            # telling them to use it again would be wrong.
            return OAuthFlowResult(None, _unusable())
        finished = _flow_finish(
            flow, code=code, error=error, ip_address=ip_address, user_agent=user_agent
        )
    completed = finished.result.outcome == LinkOutcome.COMPLETED
    OAuthFlow.objects.filter(pk=flow.pk).update(
        outcome=finished.result.outcome,
        failure_message="" if completed else _told(finished.result, flow),
        finished_at=timezone.now(),
    )
    return finished


def _unusable() -> LinkResult:
    return LinkResult(LinkOutcome.LINK_UNUSABLE, _("This link can no longer be used."))


def _link_usable(link: ReconnectionLink) -> bool:
    if not link.is_usable_at(timezone.now()):
        return False
    return link.kind == LinkKind.CONNECT or (
        link.integration is not None and link.integration.deleted_at is None
    )


def _flow_not_consumed(state: str, browser_nonce: str) -> OAuthFlowResult:
    """A state this browser brought back that cannot be used: a trip that outlived its
    lifetime at the vendor leaves its link usable, so the customer is told to start again;
    anything else (unknown, used, another browser's) is the page for unusable links."""
    if not state or len(state) > 200 or not browser_nonce or len(browser_nonce) > 200:
        return OAuthFlowResult(None, _unusable())
    flow = (
        OAuthFlow.objects.select_related("link__integration")
        .filter(
            state_hash=token_hash(state),
            browser_hash=token_hash(browser_nonce),
            used_at__isnull=True,
        )
        .first()
    )
    if flow is None or not _link_usable(flow.link):
        return OAuthFlowResult(None, _unusable())
    with translation.override(flow.link.language):
        message = _(
            "You spent longer than %(minutes)s minutes at %(tool)s, so nothing was changed. "
            "Please start again."
        ) % {
            "minutes": int(OAUTH_FLOW_LIFETIME.total_seconds() // 60),
            "tool": tool_get(flow.tool).label,
        }
    return OAuthFlowResult(flow.link, LinkResult(LinkOutcome.CONSENT_DENIED, message), flow.tool)


def _told(result: LinkResult, flow: OAuthFlow) -> str:
    """What the customer was told of a failed trip, in the link's language, with the
    permissions they did not grant named as the link's page names them."""
    if not result.missing_permissions:
        return result.message
    tool = tool_get(flow.tool)
    with translation.override(flow.link.language):
        missing = "; ".join(str(tool.permissions[p]) for p in result.missing_permissions)
    return f"{result.message} {missing}"


def _flow_finish(
    flow: OAuthFlow, *, code: str, error: str, ip_address: str | None, user_agent: str
) -> OAuthFlowResult:
    link = flow.link
    tool = tool_get(flow.tool)
    if error or not code:
        _flow_failed_emit(link, tool)
        if error == "access_denied":
            # RFC 6749 §4.1.2.1: the customer (or the vendor for them) declined.
            message = _(
                "You did not allow access in %(tool)s, so nothing was changed. You can use "
                "this link again whenever you are ready."
            )
        else:
            message = _("%(tool)s did not complete the authorization. Please try again.")
        return OAuthFlowResult(
            link, LinkResult(LinkOutcome.CONSENT_DENIED, message % {"tool": tool.label}), tool.id
        )
    spec = tool.oauth
    assert spec is not None
    verifier = (
        decrypt_json(flow.code_verifier_encrypted)["code_verifier"]
        if flow.code_verifier_encrypted
        else None
    )
    try:
        client = oauth_client_for(environment_id=link.environment_id, tool_id=tool.id)
        token = code_exchange(
            spec, client, code=code, redirect_uri=flow.redirect_uri, code_verifier=verifier
        )
    except OAuthGrantRefused:
        _flow_failed_emit(link, tool)
        return OAuthFlowResult(
            link,
            LinkResult(LinkOutcome.INVALID_CREDENTIALS, credentials_refused_message(tool)),
            tool.id,
        )
    except (OAuthUnavailable, OAuthAppMissingError):
        _flow_failed_emit(link, tool)
        return OAuthFlowResult(
            link, LinkResult(LinkOutcome.UNREACHABLE, tool_unreachable_message(tool)), tool.id
        )
    if link.kind == LinkKind.CONNECT:
        result = connect_link_complete(
            link=link,
            tool_id=tool.id,
            credentials=token,
            opted_out=flow.opted_out,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    else:
        result = relink_link_complete(
            link=link,
            credentials=token,
            opted_out=flow.opted_out,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    return OAuthFlowResult(link, result, tool.id)


def _flow_consume(state: str, browser_nonce: str) -> OAuthFlow | None:
    """Compare-and-set: the flow of this state started by this browser, now used; None when
    unknown, used, expired or started elsewhere (then it stays usable for its own browser)."""
    if not state or len(state) > 200 or not browser_nonce or len(browser_nonce) > 200:
        return None
    now = timezone.now()
    state_hash = token_hash(state)
    # Hashes of 256-bit randoms: matched by the database's index, not compared as secrets.
    consumed = OAuthFlow.objects.filter(
        state_hash=state_hash,
        browser_hash=token_hash(browser_nonce),
        used_at__isnull=True,
        expires_at__gt=now,
    ).update(used_at=now)
    if not consumed:
        return None
    return (
        OAuthFlow.objects.select_related(
            "link__integration__scope_config", "link__target_scope_config"
        )
        .filter(state_hash=state_hash)
        .first()
    )


def _flow_failed_emit(link: ReconnectionLink, tool: Tool) -> None:
    """Kombo's `connection-flow-failed`, once per failed trip to the vendor."""
    with transaction.atomic():
        if link.kind == LinkKind.CONNECT or link.integration is None:
            connect_flow_failed_emit(
                link=link, tool_id=tool.id, log_url=site_url("dashboard:integration_list")
            )
        else:
            connection_flow_failed_emit(
                integration=link.integration,
                log_url=site_url("dashboard:integration_detail", link.integration.pk),
            )


@dataclass(frozen=True)
class OAuthTripStatus:
    """Where the link's latest trip to the vendor stands, for its page in the operator's
    iframe: WAITING, COMPLETED (with the activation token, handed out once) or FAILED (with
    what the customer was told)."""

    state: str
    # The trip's id: the page tells a new trip's outcome from the previous one's.
    trip_id: str = ""
    message: str = ""
    activation_token: str | None = None


def oauth_trip_status(*, link: ReconnectionLink) -> OAuthTripStatus:
    """The outcome of the link's latest trip. A completed trip's activation token is minted
    here, for the page that asks (it holds the link's token), once: the one minted when the
    link was consumed went to the popup, which never shows it."""
    flow = OAuthFlow.objects.filter(link=link).order_by("-created_at", "-id").first()
    if flow is None or flow.finished_at is None:
        return OAuthTripStatus("WAITING")
    if flow.outcome != LinkOutcome.COMPLETED:
        return OAuthTripStatus("FAILED", trip_id=flow.pk, message=flow.failure_message)
    now = timezone.now()
    with transaction.atomic():
        claimed = OAuthFlow.objects.filter(pk=flow.pk, activation_claimed_at__isnull=True).update(
            activation_claimed_at=now
        )
        if not claimed:
            return OAuthTripStatus("COMPLETED", trip_id=flow.pk)
        activation_token = secrets.token_urlsafe(32)
        ReconnectionLink.objects.filter(pk=link.pk, activation_used_at__isnull=True).update(
            activation_token_hash=token_hash(activation_token),
            activation_expires_at=now + ACTIVATION_TOKEN_LIFETIME,
        )
    return OAuthTripStatus("COMPLETED", trip_id=flow.pk, activation_token=activation_token)

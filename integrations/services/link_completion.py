"""Completing a link with new credentials checked live (relink; connect links reuse the parts).

Completing is one transaction after the live check: the link is consumed with a
compare-and-set (two submissions of one link: exactly one wins), the credentials are stored,
the target scope config applied, the failure streak cleared, the integration resumed and its
other open links revoked (they were made for a repair that is now done). Until then nothing
about the integration changes.

A live check the customer's credentials fail (refused, tool unreachable, another account,
permissions missing) is a failed connection flow: Kombo's webhooks guide sends
`connection-flow-failed` "whenever an error occurs during the connection flow", e.g. "a user
entering incorrect credentials or ... a mismatch between the required and supplied API
permissions". Exactly one per failed check; the hosted form keeps empty or malformed values
from ever reaching a check.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.log_context import log_integration_set
from core.site_urls import site_url
from integrations.actors import Actor
from integrations.events import connection_flow_failed_emit
from integrations.models import (
    CredentialSource,
    EventKind,
    Integration,
    LinkKind,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
)
from integrations.selectors.integrations import AccountMatch, credentials_account_match
from integrations.selectors.links import scope_permissions
from integrations.services.health import (
    integration_auth_ok_apply,
    scheduler_tick_request_on_commit,
)
from integrations.services.integrations import (
    credential_version_add,
    integration_event_record,
    links_revoke_open,
)
from integrations.services.links import ACTIVATION_TOKEN_LIFETIME, token_hash
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult, Tool


class LinkOutcome(StrEnum):
    COMPLETED = "COMPLETED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    MISSING_PERMISSIONS = "MISSING_PERMISSIONS"
    OTHER_ACCOUNT = "OTHER_ACCOUNT"
    UNREACHABLE = "UNREACHABLE"
    LINK_UNUSABLE = "LINK_UNUSABLE"
    # OAuth tools: the customer declined on the vendor's consent page, or stayed there longer
    # than a trip may last (the link stays usable either way).
    CONSENT_DENIED = "CONSENT_DENIED"
    TRIP_EXPIRED = "TRIP_EXPIRED"


@dataclass(frozen=True)
class LinkResult:
    """What a submission through a link came to: a connect link's and a relink link's alike."""

    outcome: LinkOutcome
    message: str = ""
    missing_permissions: list[str] = field(default_factory=list)
    # Embedded links: handed to the operator's frontend, exchanged by its backend (once).
    activation_token: str | None = None


def missing_required_permissions(tool: Tool, scope: ScopeConfig, result: AuthResult) -> list[str]:
    """The permissions the scope requires and the credentials lack, all at once (a missing
    model permission does not hide its fields' ones), in the order the form lists them."""
    return [
        permission.id
        for permission in scope_permissions(tool=tool, scope=scope)
        if not permission.optional and permission.id not in result.granted_permissions
    ]


def link_consume(link: ReconnectionLink, now: datetime) -> tuple[bool, str | None]:
    """Compare-and-set: mark the link used unless it is used, revoked or expired. An EMBEDDED
    link also gets its activation token (returned in clear, stored hashed)."""
    activation_token = secrets.token_urlsafe(32) if link.link_type == LinkType.EMBEDDED else None
    consumed = ReconnectionLink.objects.filter(
        pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(
        used_at=now,
        activation_token_hash=token_hash(activation_token) if activation_token else None,
        activation_expires_at=now + ACTIVATION_TOKEN_LIFETIME if activation_token else None,
    )
    return bool(consumed), activation_token


def tool_unreachable_message(tool: Tool) -> str:
    return _("%(tool)s could not be reached. Please try again in a minute.") % {"tool": tool.label}


def credentials_refused_message(tool: Tool) -> str:
    return _("%(tool)s did not accept these credentials. Please check them and try again.") % {
        "tool": tool.label
    }


def relink_link_complete(
    *,
    link: ReconnectionLink,
    credentials: Mapping[str, str],
    opted_out: Iterable[str] = (),
    ip_address: str | None = None,
    user_agent: str = "",
) -> LinkResult:
    """Check new credentials live; on success swap them in (see the module docstring)."""
    now = timezone.now()
    integration = link.integration
    if integration is None or integration.deleted_at is not None or not link.is_usable_at(now):
        return LinkResult(LinkOutcome.LINK_UNUSABLE, _("This link can no longer be used."))
    log_integration_set(integration.pk)
    tool = tool_get(integration.tool)
    result = tool.check_auth(credentials)
    failure = flow_failure(
        tool,
        result,
        scope=link.target_scope_config or integration.scope_config,
        account=credentials_account_match(integration=integration, result=result),
    )
    if failure is not None:
        with transaction.atomic():
            connection_flow_failed_emit(
                integration=integration,
                log_url=site_url("dashboard:integration_detail", integration.pk),
            )
        return failure
    return _relink_apply(link, result, credentials, opted_out, ip_address, user_agent)


def _other_account(tool: Tool) -> LinkResult:
    return LinkResult(
        LinkOutcome.OTHER_ACCOUNT,
        _("These credentials belong to another %(tool)s account.") % {"tool": tool.label},
    )


def flow_failure(
    tool: Tool,
    result: AuthResult,
    *,
    scope: ScopeConfig,
    account: AccountMatch = AccountMatch.SAME,
) -> LinkResult | None:
    """Why a flow cannot go on with these checked credentials, for the customer (in the
    current language); None when they will do. `account`: whether they are the integration's
    company's (`credentials_account_match`; a new connection has no company to match yet)."""
    if result.outcome == AuthOutcome.UNREACHABLE:
        return LinkResult(LinkOutcome.UNREACHABLE, tool_unreachable_message(tool))
    if result.outcome == AuthOutcome.INVALID_CREDENTIALS:
        return LinkResult(LinkOutcome.INVALID_CREDENTIALS, credentials_refused_message(tool))
    if account == AccountMatch.OTHER:
        return _other_account(tool)
    missing = missing_required_permissions(tool, scope, result)
    if missing:
        return LinkResult(
            LinkOutcome.MISSING_PERMISSIONS,
            _("These credentials lack permissions the requested data needs."),
            missing,
        )
    # After the permissions: a key that may not read employees is told so first.
    if account == AccountMatch.UNCONFIRMED:
        return LinkResult(
            LinkOutcome.OTHER_ACCOUNT,
            _(
                "We could not confirm that these credentials belong to the same %(tool)s "
                "account: they cannot read any employees. Please use credentials that can."
            )
            % {"tool": tool.label},
        )
    return None


def _relink_apply(
    link: ReconnectionLink,
    result: AuthResult,
    credentials: Mapping[str, str],
    opted_out: Iterable[str],
    ip_address: str | None,
    user_agent: str,
) -> LinkResult:
    now = timezone.now()
    actor = Actor.customer(f"customer via link {link.pk}")
    with transaction.atomic():
        # Locked before the link is consumed: two links of one integration completed at once
        # take turns, and the second finds itself revoked by the first (no deadlock between
        # consuming one link and revoking the other).
        integration = Integration.objects.select_for_update().get(pk=link.integration_id)
        # The company was checked before the lock: asked again of the locked row, in case a
        # check or another link taught the integration its account meanwhile.
        if credentials_account_match(integration=integration, result=result) == AccountMatch.OTHER:
            return _other_account(tool_get(integration.tool))
        consumed, activation_token = link_consume(link, now)
        if not consumed:
            return LinkResult(LinkOutcome.LINK_UNUSABLE, _("This link has already been used."))
        credential_version_add(
            integration=integration,
            credentials=credentials,
            source=CredentialSource.RELINK_LINK,
            actor=actor,
            link_id=link.pk,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        scope_changed = _scope_config_switch(
            integration=integration, link=link, actor=actor, now=now
        )
        integration.opted_out = sorted(set(opted_out))
        if not integration.enabled:
            # An operator's disable stands; the pause no longer has a reason.
            integration.sync_paused_reason = None
        integration_auth_ok_apply(integration, result, now)
        Integration.objects.filter(pk=integration.pk, enabled=True).update(next_sync_at=now)
        integration_event_record(
            integration=integration,
            kind=EventKind.LINK_COMPLETED,
            actor=actor,
            data={"link_id": link.pk, "scope_changed": scope_changed},
        )
        _other_links_revoke(integration=integration, completed=link, actor=actor, now=now)
        # The scheduler picks the integration up now rather than at its next tick.
        scheduler_tick_request_on_commit()
    return LinkResult(LinkOutcome.COMPLETED, activation_token=activation_token)


def _scope_config_switch(
    *, integration: Integration, link: ReconnectionLink, actor: Actor, now: datetime
) -> bool:
    """Move the (locked, unsaved) integration to the link's scope config, if it names another;
    its data expires and the next sync is FULL. Whether it moved."""
    target_scope_id = link.target_scope_config_id
    if target_scope_id is None or target_scope_id == integration.scope_config_id:
        return False
    integration_event_record(
        integration=integration,
        kind=EventKind.SCOPE_CONFIG_CHANGED,
        actor=actor,
        data={"from": integration.scope_config_id, "to": target_scope_id},
    )
    integration.scope_config_id = target_scope_id
    integration.data_expired_at = now
    integration.full_sync_requested_at = now
    return True


def _other_links_revoke(
    *, integration: Integration, completed: ReconnectionLink, actor: Actor, now: datetime
) -> None:
    """Revoke the integration's other open relink links, with an audit row each: the repair
    they were sent for is done, and a customer opening one later is told it was replaced.

    A link that moves the integration to a scope config it is not on now (a migration) still
    has work to do and stays open.
    """
    links_revoke_open(
        integration=integration,
        links=ReconnectionLink.objects.filter(
            Q(target_scope_config__isnull=True)
            | Q(target_scope_config=integration.scope_config_id),
            integration=integration,
            kind=LinkKind.RELINK,
        ).exclude(pk=completed.pk),
        actor=actor,
        now=now,
        data={"replaced_by": completed.pk},
    )

"""Reconnection links: create, revoke, and complete with new credentials checked live.

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

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.site_urls import site_url
from core.timestamps import iso_timestamp
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
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult, Tool

LINK_LIFETIMES = {LinkType.EMBEDDED: timedelta(hours=1), LinkType.MAGIC_LINK: timedelta(days=365)}
ACTIVATION_TOKEN_LIFETIME = timedelta(minutes=10)


def token_hash(token: str) -> str:
    # Tokens carry 256 bits of randomness: a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return f"{settings.BASE_URL}/connect/{token}"


def link_built(
    *,
    environment_id: str,
    kind: LinkKind,
    link_type: LinkType,
    language: str,
    actor: Actor,
    now: datetime,
    **fields: Any,
) -> tuple[ReconnectionLink, str]:
    """A new link, unsaved, with its token (returned in clear, stored hashed) and its expiry:
    the one way relink, connect and migration links are made. `fields` fill the rest."""
    token = secrets.token_urlsafe(32)
    link = ReconnectionLink(
        environment_id=environment_id,
        kind=kind,
        link_type=link_type,
        language=language,
        token_hash=token_hash(token),
        created_by_label=actor.label,
        expires_at=now + LINK_LIFETIMES[link_type],
        **fields,
    )
    return link, token


def link_created_data(link: ReconnectionLink) -> dict[str, Any]:
    """The LINK_CREATED audit row's data, for one link or a migration's thousands."""
    data: dict[str, Any] = {
        "link_id": link.pk,
        "link_type": link.link_type,
        "target_scope_config_id": link.target_scope_config_id,
        "expires_at": iso_timestamp(link.expires_at),
    }
    if link.migration_id is not None:
        data["migration_id"] = link.migration_id
    return data


class ScopeConfigNotFoundError(LookupError):
    """The scope config a new link should target is not in the link's environment (or, for a
    new connection, the environment has none to fall back on)."""

    def __init__(self, scope_config_id: str | None) -> None:
        super().__init__(scope_config_id)
        self.scope_config_id = scope_config_id


def _scope_config_in_environment(*, environment_id: str, scope_config_id: str) -> ScopeConfig:
    scope_config = ScopeConfig.objects.filter(
        pk=scope_config_id, environment_id=environment_id
    ).first()
    if scope_config is None:
        raise ScopeConfigNotFoundError(scope_config_id)
    return scope_config


def relink_target_scope_config(
    *, integration: Integration, scope_config_id: str | None
) -> ScopeConfig | None:
    """The scope config a relink link moves `integration` to; None keeps its current one."""
    if not scope_config_id:
        return None
    return _scope_config_in_environment(
        environment_id=integration.environment_id, scope_config_id=scope_config_id
    )


def connect_target_scope_config(*, environment_id: str, scope_config_id: str | None) -> ScopeConfig:
    """The scope config a new connection gets: the one asked for, else the environment's
    oldest (its default)."""
    if scope_config_id:
        return _scope_config_in_environment(
            environment_id=environment_id, scope_config_id=scope_config_id
        )
    default = ScopeConfig.objects.filter(environment_id=environment_id).order_by("created_at")
    scope_config = default.first()
    if scope_config is None:
        raise ScopeConfigNotFoundError(None)
    return scope_config


def relink_link_create(
    *,
    integration: Integration,
    link_type: LinkType,
    language: str,
    actor: Actor,
    scope_config: ScopeConfig | None = None,
) -> tuple[ReconnectionLink, str]:
    """A new single-use link for `integration`; returns it with its URL (shown, never stored)."""
    if integration.deleted_at is not None:
        raise ValueError("The integration is deleted.")
    if scope_config is not None:
        scope_config.require_environment(integration.environment_id)
    link, token = link_built(
        environment_id=integration.environment_id,
        kind=LinkKind.RELINK,
        link_type=link_type,
        language=language,
        actor=actor,
        now=timezone.now(),
        integration=integration,
        target_scope_config=scope_config,
    )
    with transaction.atomic():
        link.save(force_insert=True)
        integration_event_record(
            integration=integration,
            kind=EventKind.LINK_CREATED,
            actor=actor,
            data=link_created_data(link),
        )
    return link, link_url(token)


def relink_link_revoke(*, link: ReconnectionLink, actor: Actor) -> bool:
    """Revoke an unused link; False when it was already used or revoked."""
    with transaction.atomic():
        revoked = ReconnectionLink.objects.filter(
            pk=link.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked and link.integration_id:
            integration_event_record(
                integration=link.integration,  # type: ignore[arg-type]
                kind=EventKind.LINK_REVOKED,
                actor=actor,
                data={"link_id": link.pk},
            )
    link.refresh_from_db()
    return bool(revoked)


def link_open(*, link: ReconnectionLink) -> bool:
    """Record when the customer first opened the link (what a migration's progress counts as
    OPENED), with an audit row when the link belongs to an integration; a connect link has
    none yet. Compare-and-set: of two first visits at once, one records it. False when the
    link had been opened before."""
    now = timezone.now()
    with transaction.atomic():
        opened = ReconnectionLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(
            opened_at=now
        )
        if opened and link.integration is not None:
            integration_event_record(
                integration=link.integration,
                kind=EventKind.LINK_OPENED,
                actor=Actor.customer(f"customer via link {link.pk}"),
                data={"link_id": link.pk},
            )
    if opened:
        link.opened_at = now
    return bool(opened)


def link_find(*, token: str) -> ReconnectionLink | None:
    """The link a token opens, usable or not (callers check); None for a token never issued."""
    if not token or len(token) > 100:
        return None
    candidate = token_hash(token)
    link = (
        ReconnectionLink.objects.select_related("integration__scope_config", "target_scope_config")
        .filter(token_hash=candidate)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, candidate):
        return None
    return link


class LinkOutcome(StrEnum):
    COMPLETED = "COMPLETED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    MISSING_PERMISSIONS = "MISSING_PERMISSIONS"
    OTHER_ACCOUNT = "OTHER_ACCOUNT"
    UNREACHABLE = "UNREACHABLE"
    LINK_UNUSABLE = "LINK_UNUSABLE"


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


def activation_token_exchange(*, environment_id: str, token: str) -> Integration | None:
    """The integration an activation token stands for, once (compare-and-set), within its
    10 minutes and only for its own environment; None otherwise."""
    if not token or len(token) > 100:
        return None
    now = timezone.now()
    candidate = token_hash(token)
    with transaction.atomic():
        link = (
            ReconnectionLink.objects.select_for_update()
            .filter(activation_token_hash=candidate, environment_id=environment_id)
            .first()
        )
        if link is None or not hmac.compare_digest(link.activation_token_hash or "", candidate):
            return None
        claimed = ReconnectionLink.objects.filter(
            pk=link.pk, activation_used_at__isnull=True, activation_expires_at__gt=now
        ).update(activation_used_at=now)
        if not claimed:
            return None
    return Integration.objects.alive().filter(pk=link.integration_id).first()


# Ours rather than Django's date formats: Django's Italian catalog capitalises month names
# and pads the day ("05 Marzo 2027"), which an Italian sentence never does.
MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)


def date_in_words(day: date) -> str:
    """A date as a sentence in the current language writes it ("March 10, 2027")."""
    return _("%(month)s %(day)s, %(year)s") % {
        "month": MONTHS[day.month - 1],
        "day": day.day,
        "year": day.year,
    }


def relink_link_email(*, link: ReconnectionLink, url: str) -> bool:
    """Send the link to the integration's contact, in the link's language; False without one."""
    integration = link.integration
    if integration is None or not integration.creator_email:
        return False
    tool = tool_get(integration.tool)
    with translation.override(link.language):
        subject = _("Please reconnect %(tool)s") % {"tool": tool.label}
        body = _(
            "Hello,\n\nthe connection between %(tool)s and your account at our service has "
            "stopped working, or needs new permissions. Please open this link and enter new "
            "%(tool)s credentials; it takes about two minutes:\n\n%(url)s\n\n"
            "The link works once and until %(expires)s."
        ) % {
            "tool": tool.label,
            "url": url,
            "expires": date_in_words(timezone.localtime(link.expires_at).date()),
        }
    send_mail(subject, body, None, [integration.creator_email])
    return True

"""Reconnection links: built, created, revoked, opened, found by token and emailed.

Completing one with new credentials is `integrations.services.link_completion`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.row_insert import row_insert
from core.timestamps import iso_timestamp
from integrations.actors import Actor
from integrations.models import (
    EventKind,
    Integration,
    LinkKind,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
)
from integrations.services.integrations import (
    integration_event_record,
)
from integrations.tools import tool_get

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
        row_insert(link)
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
        if tool.oauth is not None:
            text = _(
                "Hello,\n\nthe connection between %(tool)s and your account at our service "
                "has stopped working, or needs new permissions. Please open this link, sign in "
                "to %(tool)s and allow access again; it takes about a minute:\n\n%(url)s\n\n"
                "The link works once and until %(expires)s."
            )
        else:
            text = _(
                "Hello,\n\nthe connection between %(tool)s and your account at our service "
                "has stopped working, or needs new permissions. Please open this link and "
                "enter new %(tool)s credentials; it takes about two minutes:\n\n%(url)s\n\n"
                "The link works once and until %(expires)s."
            )
        body = text % {
            "tool": tool.label,
            "url": url,
            "expires": date_in_words(timezone.localtime(link.expires_at).date()),
        }
    send_mail(subject, body, None, [integration.creator_email])
    return True

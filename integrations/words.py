"""The operator dashboard's words for what it stores as codes.

An operator reads "Magic link", "German" or "Customer, through a reconnection link", never
MAGIC_LINK, de or RELINK_LINK; one place, so every page and form words a code the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import get_language_info

from integrations.models import (
    ActorType,
    CredentialSource,
    CredentialVersion,
    IntegrationStatus,
    LinkType,
    SyncPausedReason,
)
from integrations.selectors.dashboard import HealthState, duration_words
from integrations.services.links import LINK_LIFETIMES

LINK_TYPE_LABELS: dict[str, str] = {
    LinkType.MAGIC_LINK: "Magic link",
    LinkType.EMBEDDED: "Embedded link",
}
_LINK_TYPE_USES: dict[str, str] = {
    LinkType.MAGIC_LINK: "to send to the customer by email or chat",
    LinkType.EMBEDDED: "to open in an iframe inside your own app",
}
_CREDENTIAL_SOURCES: dict[str, str] = {
    CredentialSource.CONNECT_LINK: "Customer, through the connection link",
    CredentialSource.RELINK_LINK: "Customer, through a reconnection link",
    CredentialSource.OPERATOR: "Operator",
    CredentialSource.SEED: "Demo seed",
}
# An audit row's status change, in the words of the state it put the integration in.
_STATUSES: dict[str, str] = {
    IntegrationStatus.ACTIVE: HealthState.ACTIVE.label,
    IntegrationStatus.INVALID: HealthState.INVALID.label,
    IntegrationStatus.INACTIVE: HealthState.INACTIVE.label,
}
_PAUSE_REASONS: dict[str, str] = {
    SyncPausedReason.AUTHENTICATION: "authentication kept failing",
}


def relative_time_words(moment: datetime) -> str:
    """'just now' for the last minute, '5 min ago', '1 day 3 h ago'; 'in 2 h' ahead."""
    offset = moment - timezone.now()
    if offset < timedelta(0):
        return "just now" if -offset < timedelta(minutes=1) else f"{duration_words(-offset)} ago"
    return "in under a minute" if offset < timedelta(minutes=1) else f"in {duration_words(offset)}"


def lifetime_words(lifetime: timedelta) -> str:
    """'1 year', '1 hour', '30 days': a link's lifetime as its creator would say it."""
    years, days = divmod(lifetime.days, 365)
    if years and not days and not lifetime.seconds:
        return f"{years} year{'s' if years != 1 else ''}"
    if not lifetime.days and not lifetime.seconds % 3600:
        hours = lifetime.seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return duration_words(lifetime)


def link_type_label(link_type: str) -> str:
    return LINK_TYPE_LABELS.get(link_type, link_type)


def link_type_help(link_type: str) -> str:
    """'valid 1 year, to send to the customer by email or chat'."""
    lifetime = LINK_LIFETIMES[LinkType(link_type)]
    return f"valid {lifetime_words(lifetime)}, {_LINK_TYPE_USES[link_type]}"


def language_name(code: str) -> str:
    """'de' -> 'German': the operator's name for the language, not the customer's."""
    try:
        return str(get_language_info(code)["name"])
    except KeyError:
        return code


def credential_source_words(source: str) -> str:
    return _CREDENTIAL_SOURCES.get(source, source)


def credential_set_by(version: CredentialVersion) -> str:
    """Who put these credentials in place: the customer through which link, or which operator."""
    words = credential_source_words(version.source)
    if version.source == CredentialSource.OPERATOR and version.set_by_user is not None:
        return f"{words} {version.set_by_user.get_username()}"
    return words


def actor_words(actor_type: str, actor_label: str) -> str:
    """'by operator alice', 'by the customer via link …', 'automatically (health check)'."""
    if actor_type == ActorType.OPERATOR:
        return f"by operator {actor_label}" if actor_label else "by an operator"
    if actor_type == ActorType.API_KEY:
        return f"through the API ({actor_label})" if actor_label else "through the API"
    if actor_type == ActorType.CUSTOMER:
        return f"by the {actor_label}" if actor_label.startswith("customer") else "by the customer"
    return f"automatically ({actor_label})" if actor_label else "automatically"


def status_words(status: str) -> str:
    return _STATUSES.get(status, status)


def pause_reason_words(reason: str) -> str:
    return _PAUSE_REASONS.get(reason, reason.replace("_", " ").lower())

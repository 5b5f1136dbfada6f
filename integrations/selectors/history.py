"""Reads for the integration page's history sections: its audit timeline, in the operator's
words (`integrations.words`), and its credential versions (never their secrets).

Each function runs a fixed number of queries, however long the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import formats, timezone

from integrations.models import CredentialVersion, EventKind, Integration, IntegrationEvent
from integrations.selectors.scope_configs import scope_configs_of_environment
from integrations.tools import TOOLS
from integrations.words import (
    actor_words,
    credential_source_words,
    link_type_label,
    pause_reason_words,
    status_words,
)

DASHBOARD_TIMELINE_LIMIT = 200
# Changes of an edited scope config named in its timeline entry; the rest are counted.
SCOPE_CHANGES_SHOWN = 3


@dataclass(frozen=True)
class TimelineEntry:
    created_at: datetime
    title: str
    detail: str
    actor: str


def integration_timeline(*, integration: Integration, limit: int) -> list[TimelineEntry]:
    """The newest audit events, newest first, each with what changed in plain words."""
    events = integration_events(integration=integration, limit=limit)
    scope_config_names = dict(
        scope_configs_of_environment(environment_id=integration.environment_id).values_list(
            "pk", "name"
        )
    )
    tool = TOOLS.get(integration.tool)
    field_labels = {field.key: str(field.label) for field in tool.credential_fields} if tool else {}
    return [
        TimelineEntry(
            created_at=event.created_at,
            title=event.get_kind_display(),
            detail=_event_detail(event, scope_config_names, field_labels),
            actor=actor_words(event.actor_type, event.actor_label),
        )
        for event in events
    ]


def _event_detail(
    event: IntegrationEvent, scope_config_names: Mapping[str, str], field_labels: Mapping[str, str]
) -> str:
    data: dict[str, Any] = event.data or {}

    def scope_name(scope_config_id: str) -> str:
        # A config deleted since is named by its id: the event still happened.
        return f"“{scope_config_names.get(scope_config_id, scope_config_id)}”"

    if event.kind == EventKind.STATUS_CHANGED and "from" in data and "to" in data:
        return f"{status_words(data['from'])} → {status_words(data['to'])}"
    if event.kind == EventKind.PAUSED and data.get("reason"):
        return f"Because {pause_reason_words(data['reason'])}."
    if event.kind == EventKind.CREDENTIALS_UPDATED and data.get("source"):
        fields = ", ".join(field_labels.get(key, key) for key in data.get("fields", []))
        source = credential_source_words(data["source"])
        return f"{source} (fields: {fields})" if fields else source
    if event.kind == EventKind.SCOPE_CONFIG_CHANGED:
        if data.get("edited"):
            changes: list[str] = data.get("changes", [])
            shown = "; ".join(changes[:SCOPE_CHANGES_SHOWN])
            more = len(changes) - SCOPE_CHANGES_SHOWN
            return f"{scope_name(data['scope_config_id'])} was edited: {shown}" + (
                f" and {more} more" if more > 0 else ""
            )
        if data.get("from") and data.get("to"):
            return f"{scope_name(data['from'])} → {scope_name(data['to'])}"
    if event.kind == EventKind.LINK_CREATED and data.get("link_type"):
        detail = link_type_label(data["link_type"])
        if data.get("expires_at"):
            expires = timezone.localtime(datetime.fromisoformat(data["expires_at"]))
            detail += f", valid until {formats.date_format(expires, 'M j, Y H:i')}"
        if data.get("target_scope_config_id"):
            detail += f", moving to {scope_name(data['target_scope_config_id'])} when completed"
        return detail
    if event.kind == EventKind.LINK_REVOKED and data.get("replaced_by"):
        return f"Replaced by link {data['replaced_by']}, which the customer completed."
    if event.kind == EventKind.LINK_COMPLETED and data.get("scope_changed"):
        return "The integration moved to the link's scope config."
    if event.kind == EventKind.AUTH_FAILING and data.get("message"):
        return str(data["message"])
    return ""


def integration_events(
    *, integration: Integration, limit: int = DASHBOARD_TIMELINE_LIMIT
) -> list[IntegrationEvent]:
    """The newest audit events of an integration, newest first."""
    return list(
        IntegrationEvent.objects.filter(integration=integration).order_by("-created_at", "-id")[
            :limit
        ]
    )


def credential_history(
    *, integration: Integration, limit: int = DASHBOARD_TIMELINE_LIMIT
) -> list[CredentialVersion]:
    """Credential versions, newest first, without their encrypted payload (never loaded)."""
    return list(
        CredentialVersion.objects.filter(integration=integration)
        .select_related("set_by_user")
        .defer("payload_encrypted")
        .order_by("-created_at", "-id")[:limit]
    )

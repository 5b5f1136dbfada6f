"""Panels the syncs app renders into other apps' pages (the integration page places them)."""

from __future__ import annotations

from typing import Any

from django import template

from integrations.models import Integration
from syncs.selectors import auth_check_list, sync_active, sync_list

register = template.Library()

SYNC_HISTORY_LENGTH = 20


@register.inclusion_tag("syncs/_sync_history.html")
def sync_history(integration: Integration) -> dict[str, Any]:
    return {
        "integration": integration,
        "syncs": list(sync_list(integration=integration)[:SYNC_HISTORY_LENGTH]),
        "active_sync": sync_active(integration=integration),
    }


@register.inclusion_tag("syncs/_auth_checks.html")
def auth_check_history(integration: Integration) -> dict[str, Any]:
    return {"checks": auth_check_list(integration=integration, limit=20)}


@register.inclusion_tag("syncs/_actions.html", takes_context=True)
def sync_actions(context: dict[str, Any], integration: Integration) -> dict[str, Any]:
    return {"integration": integration, "csrf_token": context.get("csrf_token")}

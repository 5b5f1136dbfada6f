"""Reads of reconnection and connection links, and what the hosted form shows the customer
(the data requested and the permissions needed, from the link's scope config)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from integrations.models import (
    Integration,
    LinkKind,
    ReconnectionLink,
    ScopeConfig,
    ScopeSetting,
    link_state_expression,
)
from integrations.read_models import FIELD_LABELS, MODEL_LABELS, READ_MODELS
from integrations.tools import tool_get
from integrations.tools.base import Coverage, Tool

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def reconnection_links_of(integration: Integration, limit: int = 100) -> list[ReconnectionLink]:
    return list(
        ReconnectionLink.objects.filter(integration=integration).order_by("-created_at")[:limit]
    )


def reconnection_link_get(*, environment_id: str, link_id: str) -> ReconnectionLink | None:
    return (
        ReconnectionLink.objects.select_related("integration")
        .filter(pk=link_id, environment_id=environment_id)
        .first()
    )


def reconnection_link_for_operator(*, link_id: str) -> ReconnectionLink | None:
    return ReconnectionLink.objects.select_related("integration").filter(pk=link_id).first()


def integration_relink_links(
    *, integration: Integration, now: datetime, limit: int = 100
) -> list[ReconnectionLink]:
    """The integration's links, newest first, each with its `state` (a `LinkState` value) and
    its target scope config loaded."""
    return list(
        ReconnectionLink.objects.filter(integration=integration)
        .select_related("target_scope_config")
        .annotate(state=link_state_expression(now))
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class PermissionRequest:
    """A permission of the tool the customer is asked to grant, and whether they may skip it."""

    id: str
    # In the language the page is read in (the tool's lazy translation).
    description: StrOrPromise
    optional: bool


@dataclass(frozen=True)
class RequestedItem:
    """A field the hosted form lists; `key` is `<model>.<field>`, the name of its opt-out box."""

    key: str
    label: StrOrPromise
    optional: bool


def scope_requested_data(
    *, tool: Tool, scope: ScopeConfig
) -> list[tuple[StrOrPromise, list[RequestedItem]]]:
    """What the hosted form tells the customer is requested, in their language: per read model
    the scope reads (and the tool covers), its fields, required or optional."""
    requested: list[tuple[StrOrPromise, list[RequestedItem]]] = []
    for model in READ_MODELS.values():
        if model.id not in tool.models or scope.model_setting(model.id) == ScopeSetting.DISABLED:
            continue
        support = tool.model_support(model.id)
        items = [
            RequestedItem(
                key=f"{model.id}.{field_id}",
                label=FIELD_LABELS[field_id],
                optional=scope.field_setting(model.id, field_id) == ScopeSetting.OPTIONAL,
            )
            for field_id in model.fields
            if scope.field_setting(model.id, field_id) != ScopeSetting.DISABLED
            and support.field_support(field_id).coverage == Coverage.SUPPORTED
        ]
        requested.append((MODEL_LABELS[model.id], items))
    return requested


def scope_permissions(*, tool: Tool, scope: ScopeConfig) -> list[PermissionRequest]:
    """The tool's permissions the scope needs (ENABLED) or may use (OPTIONAL), in the tool's order.

    A permission both needed and optional is needed: one required field makes it required.
    """
    required: set[str] = set()
    wanted: set[str] = set()
    for model in READ_MODELS.values():
        setting = scope.model_setting(model.id)
        if setting == ScopeSetting.DISABLED:
            continue
        by_setting: dict[str, list[str]] = {}
        for field_id in model.fields:
            by_setting.setdefault(scope.field_setting(model.id, field_id), []).append(field_id)
        enabled = tool.permissions_needed(model.id, by_setting.get(ScopeSetting.ENABLED, ()))
        optional = tool.permissions_needed(model.id, by_setting.get(ScopeSetting.OPTIONAL, ()))
        wanted |= enabled | optional
        if setting == ScopeSetting.ENABLED:
            required |= enabled
    return [
        PermissionRequest(
            id=permission, description=description, optional=permission not in required
        )
        for permission, description in tool.permissions.items()
        if permission in wanted
    ]


def scope_permissions_requested(
    *, tool: Tool, scope: ScopeConfig, opted_out: Iterable[str]
) -> list[str]:
    """What an OAuth tool's consent page is asked for: every permission the scope requires,
    and the optional ones that some field the customer kept needs (a declined field's scope is
    not asked for)."""
    declined = set(opted_out)
    kept: set[str] = set()
    for model in READ_MODELS.values():
        if scope.model_setting(model.id) == ScopeSetting.DISABLED:
            continue
        fields = [
            field_id
            for field_id in model.fields
            if scope.field_setting(model.id, field_id) != ScopeSetting.DISABLED
            and f"{model.id}.{field_id}" not in declined
        ]
        kept |= tool.permissions_needed(model.id, fields)
    return [
        permission.id
        for permission in scope_permissions(tool=tool, scope=scope)
        if not permission.optional or permission.id in kept
    ]


def link_page_subject(link: ReconnectionLink, tool_id: str) -> tuple[Tool, str, ScopeConfig, bool]:
    """The tool, organisation and scope config a link's page is about, and whether it is a new
    connection."""
    if link.kind == LinkKind.CONNECT:
        assert link.target_scope_config is not None
        return tool_get(tool_id), link.end_user_organization_name, link.target_scope_config, True
    integration = link.integration
    assert integration is not None
    scope = link.target_scope_config or integration.scope_config
    return tool_get(integration.tool), integration.organization_name, scope, False

"""Payloads of the webhook events the integrations app emits (Kombo's exact shapes).

Each `*_emit` runs inside the caller's transaction: the outbox row commits or rolls back with
the change it describes.
"""

from __future__ import annotations

from typing import Any

from core.timestamps import iso_timestamp_or_none
from integrations.api.payloads import end_user_fields, end_user_payload
from integrations.models import Integration, Issue, ReconnectionLink
from webhooks.services import event_emit


def integration_event_emit(*, integration: Integration, type: str, data: dict[str, Any]) -> None:
    """An event about one integration, filed under its environment (and its id, for the
    dashboard's webhook panel)."""
    event_emit(
        environment_id=integration.environment_id,
        integration_id=integration.pk,
        type=type,
        data=data,
    )


def integration_fields(integration: Integration) -> dict[str, Any]:
    """How Kombo's integration and sync events name their integration, at the top of `data`."""
    return {
        "integration_id": integration.pk,
        "integration_tool": integration.tool,
        "integration_category": integration.category,
    }


def _integration_summary(integration: Integration) -> dict[str, Any]:
    return {
        "id": integration.pk,
        "tool": integration.tool,
        "category": integration.category,
        "end_user": end_user_payload(integration),
    }


def integration_state_changed_emit(*, integration: Integration) -> None:
    integration_event_emit(
        integration=integration,
        type="integration-state-changed",
        data={
            **integration_fields(integration),
            "end_user": end_user_payload(integration),
            "qa_status": integration.qa_status,
            "setup_status": integration.setup_status,
            "state": integration.status,
            "updated_at": iso_timestamp_or_none(integration.updated_at),
        },
    )


def issue_status_changed_emit(*, issue: Issue, integration: Integration, change: str) -> None:
    integration_event_emit(
        integration=integration,
        type="issue-status-changed",
        data={
            "change": change,
            "issue": {
                "id": issue.pk,
                "type": issue.type,
                "title": issue.title,
                "status": issue.status,
                "markdown_message": issue.markdown_message,
                "first_observed_at": iso_timestamp_or_none(issue.first_observed_at),
                "resolved_at": iso_timestamp_or_none(issue.resolved_at),
            },
            "integration": _integration_summary(integration),
        },
    )


def integration_created_emit(*, integration: Integration) -> None:
    integration_event_emit(
        integration=integration,
        type="integration-created",
        data=_integration_summary(integration),
    )


def integration_deleted_emit(*, integration: Integration) -> None:
    integration_event_emit(
        integration=integration,
        type="integration-deleted",
        data={
            **_integration_summary(integration),
            "deleted_at": iso_timestamp_or_none(integration.deleted_at),
        },
    )


def connection_flow_failed_emit(*, integration: Integration, log_url: str) -> None:
    """The customer could not complete a connection or reconnection flow of `integration`."""
    _flow_failed_emit(
        environment_id=integration.environment_id,
        integration_id=integration.pk,
        tool_id=integration.tool,
        category=integration.category,
        end_user=end_user_payload(integration),
        log_url=log_url,
    )


def connect_flow_failed_emit(*, link: ReconnectionLink, tool_id: str, log_url: str) -> None:
    """A customer could not complete a new connection (no integration exists yet)."""
    end_user = end_user_fields(
        organization_name=link.end_user_organization_name,
        creator_email=link.end_user_email,
        origin_id=link.end_user_origin_id,
    )
    _flow_failed_emit(
        environment_id=link.environment_id,
        integration_id=None,
        tool_id=tool_id,
        category="HRIS",
        end_user=end_user,
        log_url=log_url,
    )


def _flow_failed_emit(
    *,
    environment_id: str,
    integration_id: str | None,
    tool_id: str,
    category: str,
    end_user: dict[str, Any],
    log_url: str,
) -> None:
    # Kombo's payload names no integration id, even when one exists.
    event_emit(
        environment_id=environment_id,
        integration_id=integration_id,
        type="connection-flow-failed",
        data={
            "integration_tool": tool_id,
            "integration_category": category,
            "end_user": end_user,
            "log_url": log_url,
        },
    )

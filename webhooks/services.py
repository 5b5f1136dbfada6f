"""Writing webhook events (the outbox). Call inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from webhooks.models import WebhookEvent, new_event_id

EVENT_TYPES = frozenset(
    {
        "integration-created",
        "integration-deleted",
        "integration-state-changed",
        "sync-finished",
        "data-changed",
        "connection-flow-failed",
        "issue-status-changed",
    }
)


def event_emit(
    *,
    environment_id: str,
    type: str,
    data: dict[str, Any],
    integration_id: str | None = None,
) -> WebhookEvent:
    """Record an event in the caller's transaction: rolled back with it, never sent alone."""
    if type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {type!r}.")
    event_id = new_event_id()
    return WebhookEvent.objects.create(
        id=event_id,
        environment_id=environment_id,
        integration_id=integration_id,
        type=type,
        payload={"id": event_id, "type": type, "data": data},
    )

"""Payloads of the webhook events the syncs app emits (Kombo's exact shapes)."""

from __future__ import annotations

from collections.abc import Iterable

from core.site_urls import site_url
from core.timestamps import iso_timestamp
from integrations.api.payloads import end_user_payload
from integrations.models import Integration
from syncs.models import Sync
from webhooks.services import event_emit


def sync_finished_emit(*, sync: Sync, integration: Integration) -> None:
    started = sync.started_at or sync.created_at
    ended = sync.finished_at or started
    event_emit(
        environment_id=integration.environment_id,
        integration_id=integration.pk,
        type="sync-finished",
        data={
            "sync_id": sync.pk,
            "sync_state": sync.state,
            "sync_started_at": iso_timestamp(started),
            "sync_ended_at": iso_timestamp(ended),
            "sync_duration_seconds": int((ended - started).total_seconds()),
            "integration_id": integration.pk,
            "integration_tool": integration.tool,
            "integration_category": integration.category,
            "end_user": end_user_payload(integration),
            # The sync's own log page, like Kombo's `/logs/<id>` (its sync-finished example).
            "log_url": site_url("syncs:sync_detail", sync.pk),
        },
    )


def data_changed_emit(*, integration: Integration, model_ids: Iterable[str]) -> None:
    event_emit(
        environment_id=integration.environment_id,
        integration_id=integration.pk,
        type="data-changed",
        data={
            "integration_id": integration.pk,
            "integration_tool": integration.tool,
            "integration_category": integration.category,
            "changed_models": [{"name": model_id} for model_id in sorted(model_ids)],
        },
    )

"""Payloads of the webhook events the syncs app emits (Kombo's exact shapes)."""

from __future__ import annotations

from collections.abc import Iterable

from core.site_urls import site_url
from core.timestamps import iso_timestamp
from integrations.api.payloads import end_user_payload
from integrations.events import integration_event_emit, integration_fields
from integrations.models import Integration
from syncs.models import Sync


def sync_finished_emit(*, sync: Sync, integration: Integration) -> None:
    started = sync.started_at or sync.created_at
    ended = sync.finished_at or started
    integration_event_emit(
        integration=integration,
        type="sync-finished",
        data={
            "sync_id": sync.pk,
            "sync_state": sync.state,
            "sync_started_at": iso_timestamp(started),
            "sync_ended_at": iso_timestamp(ended),
            "sync_duration_seconds": int((ended - started).total_seconds()),
            **integration_fields(integration),
            "end_user": end_user_payload(integration),
            # The sync's own log page, like Kombo's `/logs/<id>` (its sync-finished example).
            "log_url": site_url("syncs:sync_detail", sync.pk),
        },
    )


def data_changed_emit(*, integration: Integration, model_ids: Iterable[str]) -> None:
    integration_event_emit(
        integration=integration,
        type="data-changed",
        data={
            **integration_fields(integration),
            "changed_models": [{"name": model_id} for model_id in sorted(model_ids)],
        },
    )

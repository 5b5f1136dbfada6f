"""Unified rows in: one page at a time, upserted in bulk keyed by (integration, remote_id).

A page costs two queries whatever its size: one read of the existing hashes, one upsert.
`changed_at` moves only when a row's content changed (or it came back from the dead).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from syncs.models import UnifiedRecord


@dataclass
class IngestCounts:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, other: IngestCounts) -> None:
        self.fetched += other.fetched
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def as_dict(self) -> dict[str, int]:
        return {
            "fetched": self.fetched,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }


def _content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, separators=(",", ":")).encode()
    ).hexdigest()


def ingest_page(
    *,
    model: type[UnifiedRecord],
    integration_id: str,
    sync_id: str,
    all_fields: Sequence[str],
    records: Sequence[dict[str, Any]],
    now: datetime,
) -> IngestCounts:
    """Upsert one page. Fields not in a record (not fetched or not in scope) are stored null."""
    by_remote_id: dict[str, dict[str, Any]] = {}
    for record in records:
        # A vendor repeating a row within a page must not make the upsert touch it twice.
        by_remote_id[str(record["remote_id"])] = {field: record.get(field) for field in all_fields}
    counts = IngestCounts(fetched=len(records))
    if not by_remote_id:
        return counts
    existing_rows = model._default_manager.filter(
        integration_id=integration_id, remote_id__in=list(by_remote_id)
    ).values_list("remote_id", "id", "content_hash", "changed_at", "remote_deleted_at")
    existing: dict[str, tuple[str, str, datetime, datetime | None]] = {
        remote_id: (row_id, content_hash, changed_at, deleted_at)
        for remote_id, row_id, content_hash, changed_at, deleted_at in existing_rows
    }
    rows = []
    for remote_id, data in by_remote_id.items():
        content_hash = _content_hash(data)
        previous = existing.get(remote_id)
        if previous is None:
            counts.created += 1
            row = model(integration_id=integration_id, remote_id=remote_id, changed_at=now)
        else:
            row_id, old_hash, old_changed_at, deleted_at = previous
            unchanged = old_hash == content_hash and deleted_at is None
            counts.unchanged += unchanged
            counts.updated += not unchanged
            row = model(
                id=row_id,
                integration_id=integration_id,
                remote_id=remote_id,
                changed_at=old_changed_at if unchanged else now,
            )
        row.data = data
        row.content_hash = content_hash
        row.remote_deleted_at = None
        row.last_seen_sync_id = sync_id
        rows.append(row)
    model._default_manager.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["integration", "remote_id"],
        update_fields=[
            "data",
            "content_hash",
            "changed_at",
            "remote_deleted_at",
            "last_seen_sync_id",
        ],
    )
    return counts


def mark_unseen_deleted(
    *, model: type[UnifiedRecord], integration_id: str, sync_id: str, now: datetime
) -> int:
    """After a complete FULL sync: rows the tool no longer returned are remotely deleted."""
    return (
        model._default_manager.filter(integration_id=integration_id, remote_deleted_at__isnull=True)
        .exclude(last_seen_sync_id=sync_id)
        .update(remote_deleted_at=now, changed_at=now)
    )

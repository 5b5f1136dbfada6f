"""Unified rows in: one page at a time, upserted in bulk keyed by (integration, remote_id).

A page costs one statement on PostgreSQL (two elsewhere: a read of the existing hashes, then
the upsert), whatever its size.
`changed_at` moves only when a row's content changed (or it came back from the dead).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections

from core.ids import new_id
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


def _canonical_json(data: dict[str, Any]) -> str:
    """The one serialization of a row's data: what its hash is taken of, and what PostgreSQL
    stores (so a page is serialized once, not once for the hash and again for the driver)."""
    return json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))


def _content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


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
    page = [(remote_id, data, _canonical_json(data)) for remote_id, data in by_remote_id.items()]
    upsert = _upsert_postgresql if _is_postgresql(model) else _upsert_portable
    created, updated = upsert(
        model=model, integration_id=integration_id, sync_id=sync_id, page=page, now=now
    )
    counts.created = created
    counts.updated = updated
    counts.unchanged = len(page) - created - updated
    return counts


# (remote id, data, its canonical JSON) of each row of a page.
_PageRows = Sequence[tuple[str, dict[str, Any], str]]


def _is_postgresql(model: type[UnifiedRecord]) -> bool:
    return bool(connections[model._default_manager.db].vendor == "postgresql")


# One page's upsert (see `_upsert_postgresql`); `{table}` is our model's table, quoted.
_UPSERT_SQL = """
WITH page AS (
    SELECT * FROM jsonb_to_recordset(%s::jsonb)
        AS r(id text, remote_id text, content_hash text, data jsonb)
), previous AS (
    SELECT remote_id, content_hash, remote_deleted_at FROM {table}
    WHERE integration_id = %s AND remote_id IN (SELECT remote_id FROM page)
), written AS (
    INSERT INTO {table} AS t (
        id, integration_id, remote_id, data, content_hash, changed_at,
        remote_deleted_at, last_seen_sync_id
    )
    SELECT id, %s, remote_id, data, content_hash, %s, NULL, %s FROM page
    ON CONFLICT (integration_id, remote_id) DO UPDATE SET
        data = EXCLUDED.data,
        content_hash = EXCLUDED.content_hash,
        changed_at = CASE
            WHEN t.content_hash = EXCLUDED.content_hash
                AND t.remote_deleted_at IS NULL
            THEN t.changed_at
            ELSE EXCLUDED.changed_at
        END,
        remote_deleted_at = NULL,
        last_seen_sync_id = EXCLUDED.last_seen_sync_id
    RETURNING remote_id, content_hash
)
SELECT
    count(*) FILTER (WHERE previous.remote_id IS NULL),
    count(*) FILTER (
        WHERE previous.content_hash <> written.content_hash
            OR previous.remote_deleted_at IS NOT NULL
    )
FROM written LEFT JOIN previous USING (remote_id)
"""


def _upsert_postgresql(
    *,
    model: type[UnifiedRecord],
    integration_id: str,
    sync_id: str,
    page: _PageRows,
    now: datetime,
) -> tuple[int, int]:
    """One statement per page: the page travels as one JSON document (the driver quotes one
    string instead of escaping every row into array literals, which cost more than the insert
    itself), and the rows' previous hashes are read in the same statement's snapshot, so
    created/updated are counted without a second round trip."""
    document = (
        "["
        + ",".join(
            f'{{"id":"{new_id()}","remote_id":{json.dumps(remote_id)},'
            f'"content_hash":"{_content_hash(canonical)}","data":{canonical}}}'
            for remote_id, _, canonical in page
        )
        + "]"
    )
    connection = connections[model._default_manager.db]
    # The table name is our model's, quoted; every value is a parameter.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_SQL.format(table=table),
            [document, integration_id, integration_id, now, sync_id],
        )
        created, updated = cursor.fetchone()
    return int(created), int(updated)


def _upsert_portable(
    *,
    model: type[UnifiedRecord],
    integration_id: str,
    sync_id: str,
    page: _PageRows,
    now: datetime,
) -> tuple[int, int]:
    """Two queries through the ORM (SQLite): the existing hashes, then the upsert."""
    existing_rows = model._default_manager.filter(
        integration_id=integration_id, remote_id__in=[remote_id for remote_id, _, _ in page]
    ).values_list("remote_id", "id", "content_hash", "changed_at", "remote_deleted_at")
    existing: dict[str, tuple[str, str, datetime, datetime | None]] = {
        remote_id: (row_id, content_hash, changed_at, deleted_at)
        for remote_id, row_id, content_hash, changed_at, deleted_at in existing_rows
    }
    created = updated = 0
    rows = []
    for remote_id, data, canonical in page:
        content_hash = _content_hash(canonical)
        previous = existing.get(remote_id)
        if previous is None:
            created += 1
            row = model(integration_id=integration_id, remote_id=remote_id, changed_at=now)
        else:
            row_id, old_hash, old_changed_at, deleted_at = previous
            unchanged = old_hash == content_hash and deleted_at is None
            updated += not unchanged
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
    return created, updated


def mark_unseen_deleted(
    *, model: type[UnifiedRecord], integration_id: str, sync_id: str, now: datetime
) -> int:
    """After a complete FULL sync: rows the tool no longer returned are remotely deleted."""
    return (
        model._default_manager.filter(integration_id=integration_id, remote_deleted_at__isnull=True)
        .exclude(last_seen_sync_id=sync_id)
        .update(remote_deleted_at=now, changed_at=now)
    )

"""Deleting old history a batch per statement, so pruning never holds one huge delete (and its
locks) against tables the product is writing to."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

PRUNE_BATCH = 5000


def rows_delete_in_batches(rows: QuerySet[Any]) -> int:
    """Delete every row `rows` selects, PRUNE_BATCH at a time; returns how many of them went
    (rows deleted with them by cascade are not counted)."""
    deleted = 0
    while batch := list(rows.values_list("pk", flat=True)[:PRUNE_BATCH]):
        rows.model._default_manager.filter(pk__in=batch).delete()
        deleted += len(batch)
    return deleted

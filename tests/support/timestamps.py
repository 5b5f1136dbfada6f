"""Timestamps as the API and webhooks put them on the wire."""

from __future__ import annotations

from datetime import datetime


def to_milliseconds(moment: datetime) -> datetime:
    """A stored timestamp as it goes on the wire: Kombo's `toISOString()` keeps milliseconds."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

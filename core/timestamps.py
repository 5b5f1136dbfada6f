"""How every timestamp leaves kombo-site: API bodies and webhook payloads alike.

Kombo writes them as JavaScript's `Date.toISOString()` does — UTC, milliseconds, `Z`
(`2021-09-01T12:00:00.000Z` in its webhook docs; the SDK's field descriptions link to
`toISOString`) — and so do we, in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_timestamp_or_none(moment: datetime | None) -> str | None:
    return iso_timestamp(moment) if moment is not None else None

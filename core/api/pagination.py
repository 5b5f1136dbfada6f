"""Keyset (cursor) pagination over `(-created_at, -id)`.

The cursor is opaque to clients: URL-safe base64 of `{"created_at": ISO 8601, "id": ...}` of the
last row served. Seeking from it instead of counting an offset keeps every page one index range
scan, and rows created while a client walks the list never shift or repeat the pages.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast

from django.db.models import Model, Q, QuerySet

MAX_CURSOR_LENGTH = 500
_ID_PATTERN = re.compile(r"[A-Za-z0-9:_-]{1,80}")


def is_possible_id(value: str) -> bool:
    """Whether `value` could be one of our ids; anything else never reaches a query
    (PostgreSQL refuses NUL characters in text parameters with a driver error)."""
    return _ID_PATTERN.fullmatch(value) is not None


class KeysetRow(Protocol):
    created_at: datetime
    pk: Any


RowT = TypeVar("RowT", bound=Model)


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class KeysetCursor:
    created_at: datetime
    id: str

    def encode(self) -> str:
        payload = json.dumps(
            {"created_at": self.created_at.isoformat(), "id": self.id}, separators=(",", ":")
        )
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, raw: str) -> KeysetCursor:
        """Parse a cursor this module encoded; anything else raises `InvalidCursor`."""
        if len(raw) > MAX_CURSOR_LENGTH:
            raise InvalidCursor("The cursor is too long.")
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            created_at = datetime.fromisoformat(payload["created_at"])
            row_id = payload["id"]
            if created_at.tzinfo is None:
                raise ValueError("naive timestamp")
            # Out-of-range instants must fail here, not later inside the database driver.
            created_at = created_at.astimezone(UTC)
        except (binascii.Error, ValueError, TypeError, KeyError, OverflowError):
            raise InvalidCursor("The cursor is not one this API returned.") from None
        if not isinstance(row_id, str) or not is_possible_id(row_id):
            raise InvalidCursor("The cursor is not one this API returned.")
        return cls(created_at=created_at, id=row_id)

    @classmethod
    def after(cls, row: KeysetRow) -> KeysetCursor:
        return cls(created_at=row.created_at, id=str(row.pk))


def keyset_page(
    queryset: QuerySet[RowT], *, cursor: KeysetCursor | None, page_size: int
) -> tuple[list[RowT], KeysetCursor | None]:
    """One page, newest first, and the cursor of the next page (None on the last one)."""
    queryset = queryset.order_by("-created_at", "-pk")
    if cursor is not None:
        queryset = queryset.filter(
            Q(created_at__lt=cursor.created_at) | Q(created_at=cursor.created_at, pk__lt=cursor.id)
        )
    # One extra row tells whether another page exists without a COUNT query.
    rows = list(queryset[: page_size + 1])
    if len(rows) <= page_size:
        return rows, None
    rows = rows[:page_size]
    return rows, KeysetCursor.after(cast(KeysetRow, rows[-1]))


@dataclass(frozen=True)
class IdCursor:
    """A cursor over rows ordered by their (opaque, stable) id, oldest id first."""

    id: str

    def encode(self) -> str:
        return base64.urlsafe_b64encode(self.id.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, raw: str) -> IdCursor:
        if len(raw) > MAX_CURSOR_LENGTH:
            raise InvalidCursor("The cursor is too long.")
        try:
            row_id = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        except (binascii.Error, ValueError):
            raise InvalidCursor("The cursor is not one this API returned.") from None
        if not is_possible_id(row_id):
            raise InvalidCursor("The cursor is not one this API returned.")
        return cls(id=row_id)


def id_page(
    queryset: QuerySet[RowT], *, cursor: IdCursor | None, page_size: int
) -> tuple[list[RowT], IdCursor | None]:
    """One page in id order and the cursor of the next page (None on the last one)."""
    queryset = queryset.order_by("pk")
    if cursor is not None:
        queryset = queryset.filter(pk__gt=cursor.id)
    rows = list(queryset[: page_size + 1])
    if len(rows) <= page_size:
        return rows, None
    rows = rows[:page_size]
    return rows, IdCursor(id=str(rows[-1].pk))


def page_data(results: list[Any], next_cursor: KeysetCursor | IdCursor | None) -> dict[str, Any]:
    """Kombo's page shape: `{"next": <the next page's cursor, or null>, "results": [...]}`."""
    return {"next": next_cursor.encode() if next_cursor else None, "results": results}

"""Reads of Sandbox HR: keyset pages over `(updated_at, id)`, and the overview for operators.

A cursor is opaque to clients: URL-safe base64 of `[updated_at, id]` of the last row served.
Keyset pagination never skips or repeats a row while others are being added, and costs the same
on page 1 and page 1000.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet

from integrations.sandbox_hr.models import (
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxGroup,
)

RecordT = TypeVar("RecordT", SandboxEmployee, SandboxGroup)


class InvalidCursorError(ValueError):
    pass


@dataclass(frozen=True)
class PageCursor:
    updated_at: datetime
    id: str


@dataclass(frozen=True)
class RecordPage(Generic[RecordT]):
    records: list[RecordT]
    next_cursor: str | None


def cursor_encode(cursor: PageCursor) -> str:
    payload = json.dumps([cursor.updated_at.isoformat(), cursor.id]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def cursor_decode(raw: str) -> PageCursor:
    try:
        payload = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        updated_at_text, record_id = json.loads(payload)
        updated_at = datetime.fromisoformat(updated_at_text)
    except (binascii.Error, UnicodeDecodeError, TypeError, ValueError):
        raise InvalidCursorError("The cursor is not one this API handed out.") from None
    if updated_at.tzinfo is None or not isinstance(record_id, str):
        raise InvalidCursorError("The cursor is not one this API handed out.")
    return PageCursor(updated_at=updated_at, id=record_id)


def _keyset_page(
    queryset: QuerySet[RecordT],
    *,
    after: PageCursor | None,
    limit: int,
    updated_since: datetime | None,
) -> RecordPage[RecordT]:
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=updated_since)
    if after is not None:
        queryset = queryset.filter(
            Q(updated_at__gt=after.updated_at) | Q(updated_at=after.updated_at, id__gt=after.id)
        )
    # One row more than asked tells whether another page exists, without a COUNT.
    rows = list(queryset.order_by("updated_at", "id")[: limit + 1])
    if len(rows) <= limit:
        return RecordPage(records=rows, next_cursor=None)
    last = rows[limit - 1]
    next_cursor = cursor_encode(PageCursor(updated_at=last.updated_at, id=last.pk))
    return RecordPage(records=rows[:limit], next_cursor=next_cursor)


def employee_page(
    *,
    account: SandboxAccount,
    after: PageCursor | None,
    limit: int,
    updated_since: datetime | None,
    with_departments: bool,
) -> RecordPage[SandboxEmployee]:
    queryset = SandboxEmployee.objects.filter(account=account)
    if with_departments:
        queryset = queryset.prefetch_related(
            Prefetch("departments", queryset=SandboxGroup.objects.only("id").order_by("id"))
        )
    return _keyset_page(queryset, after=after, limit=limit, updated_since=updated_since)


def group_page(
    *,
    account: SandboxAccount,
    after: PageCursor | None,
    limit: int,
    updated_since: datetime | None,
) -> RecordPage[SandboxGroup]:
    return _keyset_page(
        SandboxGroup.objects.filter(account=account),
        after=after,
        limit=limit,
        updated_since=updated_since,
    )


def account_get(*, account_id: str) -> SandboxAccount | None:
    return SandboxAccount.objects.filter(pk=account_id).first()


def api_key_get(*, prefix_or_id: str) -> list[SandboxApiKey]:
    """Keys whose id or display prefix is `prefix_or_id` (more than one means ambiguous)."""
    return list(
        SandboxApiKey.objects.select_related("account").filter(
            Q(pk=prefix_or_id) | Q(prefix=prefix_or_id)
        )[:2]
    )


def accounts_overview() -> QuerySet[SandboxAccount]:
    """Every account with its employee count and keys, for operators (never raw keys)."""
    return (
        SandboxAccount.objects.annotate(employee_count=Count("employees"))
        .prefetch_related(
            Prefetch("api_keys", queryset=SandboxApiKey.objects.order_by("created_at", "id"))
        )
        .order_by("created_at", "id")
    )

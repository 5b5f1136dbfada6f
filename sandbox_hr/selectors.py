"""Reads of Sandbox HR: keyset pages over `(updated_at, id)` for its API, what its customers'
pages show (always within the signed-in user's account), and the overview for operators.

A cursor is opaque to clients: URL-safe base64 of `[updated_at, id]` of the last row served.
Keyset pagination never skips or repeats a row while others are being added, and costs the same
on page 1 and page 1000.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Generic, TypedDict, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from sandbox_hr.models import (
    SandboxAbsence,
    SandboxAbsenceType,
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxEmployment,
    SandboxGroup,
    SandboxLegalEntity,
    SandboxLocation,
    SandboxOAuthApp,
    SandboxOAuthGrant,
    SandboxTimeOffBalance,
    SandboxUser,
    SandboxUserRole,
)

RecordT = TypeVar(
    "RecordT",
    SandboxEmployee,
    SandboxGroup,
    SandboxEmployment,
    SandboxLocation,
    SandboxLegalEntity,
    SandboxAbsenceType,
    SandboxAbsence,
    SandboxTimeOffBalance,
)


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
        # `updated_at >= ...` on its own lets the (account, updated_at, id) index start the scan
        # at the cursor; the OR alone cannot bound it, and every page read from the account's
        # first row on (a sync of n rows cost O(n^2)).
        queryset = queryset.filter(updated_at__gte=after.updated_at).filter(
            Q(updated_at__gt=after.updated_at) | Q(id__gt=after.id)
        )
    # One row more than asked tells whether another page exists, without a COUNT.
    rows = list(queryset.order_by("updated_at", "id")[: limit + 1])
    if len(rows) <= limit:
        return RecordPage(records=rows, next_cursor=None)
    last = rows[limit - 1]
    next_cursor = cursor_encode(PageCursor(updated_at=last.updated_at, id=last.pk))
    return RecordPage(records=rows[:limit], next_cursor=next_cursor)


@dataclass(frozen=True)
class EmployeePage(RecordPage[SandboxEmployee]):
    # Employee id -> the ids of its groups, ascending; empty unless asked for.
    department_ids: dict[str, list[str]]


def employee_page(
    *,
    account: SandboxAccount,
    after: PageCursor | None,
    limit: int,
    updated_since: datetime | None,
    with_departments: bool,
) -> EmployeePage:
    page = _keyset_page(
        SandboxEmployee.objects.filter(account=account),
        after=after,
        limit=limit,
        updated_since=updated_since,
    )
    department_ids: dict[str, list[str]] = {}
    if with_departments and page.records:
        # The membership rows as id pairs: prefetching the relation builds a group and a related
        # manager per membership, which cost the API more than the rest of the page together.
        memberships = (
            SandboxEmployee.departments.through.objects.filter(
                sandboxemployee_id__in=[employee.pk for employee in page.records]
            )
            .order_by("sandboxgroup_id")
            .values_list("sandboxemployee_id", "sandboxgroup_id")
        )
        for employee_id, group_id in memberships:
            department_ids.setdefault(employee_id, []).append(group_id)
    return EmployeePage(
        records=page.records, next_cursor=page.next_cursor, department_ids=department_ids
    )


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


def record_page(
    *,
    model: type[RecordT],
    account: SandboxAccount,
    after: PageCursor | None,
    limit: int,
    updated_since: datetime | None,
) -> RecordPage[RecordT]:
    """A page of the account's work locations, legal entities, employments, absence types,
    absences or time-off balances."""
    return _keyset_page(
        model.objects.filter(account=account),
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


class AccountCounts(TypedDict):
    employee_count: int
    group_count: int


def _row_count(model: type[SandboxEmployee] | type[SandboxGroup]) -> Coalesce:
    # A subquery per count: two joined COUNTs would multiply employees by groups.
    counted = (
        model.objects.filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def accounts_overview() -> QuerySet[WithAnnotations[SandboxAccount, AccountCounts]]:
    """Every account with its employee and group counts and its keys, for operators (never raw
    keys)."""
    return (
        SandboxAccount.objects.annotate(
            employee_count=_row_count(SandboxEmployee), group_count=_row_count(SandboxGroup)
        )
        .prefetch_related(
            Prefetch("api_keys", queryset=SandboxApiKey.objects.order_by("created_at", "id"))
        )
        .order_by("created_at", "id")
    )


def administrators_by_account() -> dict[str, list[SandboxUser]]:
    """Account id -> its administrators (who sign in to manage its keys), in one query."""
    administrators: defaultdict[str, list[SandboxUser]] = defaultdict(list)
    for user in SandboxUser.objects.filter(role=SandboxUserRole.ADMINISTRATOR).order_by(
        "created_at", "id"
    ):
        administrators[user.account_id].append(user)
    return dict(administrators)


EMPLOYEES_PER_PAGE = 25


def user_get(*, user_id: str) -> SandboxUser | None:
    return SandboxUser.objects.select_related("account").filter(pk=user_id).first()


def account_employee_directory(*, account: SandboxAccount, page_number: str | None) -> Page:
    """One page of the account's employees by name, with their groups: three queries (count,
    page, groups) on every page."""
    employees = (
        SandboxEmployee.objects.filter(account=account)
        .prefetch_related(Prefetch("departments", queryset=SandboxGroup.objects.order_by("name")))
        .order_by("last_name", "first_name", "id")
    )
    return Paginator(employees, EMPLOYEES_PER_PAGE).get_page(page_number)


ABSENCES_PER_PAGE = 25


def account_employee_get(*, account: SandboxAccount, employee_id: str) -> SandboxEmployee | None:
    """The account's employee with this id (another account's is as unknown as a made-up id),
    with their manager, work location, legal entity and groups."""
    return (
        SandboxEmployee.objects.filter(account=account, pk=employee_id)
        .select_related("manager", "location", "legal_entity")
        .prefetch_related(Prefetch("departments", queryset=SandboxGroup.objects.order_by("name")))
        .first()
    )


@dataclass(frozen=True)
class EmployeeTimeOff:
    absences: list[SandboxAbsence]
    balances: list[SandboxTimeOffBalance]
    employments: list[SandboxEmployment]


def employee_time_off(*, employee: SandboxEmployee) -> EmployeeTimeOff:
    """An employee's absences (latest first), balances and employment history (latest first)."""
    return EmployeeTimeOff(
        absences=list(
            SandboxAbsence.objects.filter(employee=employee)
            .select_related("type")
            .order_by("-start_date", "id")
        ),
        balances=list(
            SandboxTimeOffBalance.objects.filter(employee=employee)
            .select_related("type")
            .order_by("type__name", "id")
        ),
        employments=list(
            SandboxEmployment.objects.filter(employee=employee).order_by("-effective_date", "id")
        ),
    )


def account_absences(*, account: SandboxAccount, page_number: str | None) -> Page:
    """One page of the account's absences, the latest first, with who and what kind: two
    queries (count, page) on every page."""
    absences = (
        SandboxAbsence.objects.filter(account=account)
        .select_related("employee", "type")
        .order_by("-start_date", "-id")
    )
    return Paginator(absences, ABSENCES_PER_PAGE).get_page(page_number)


def account_api_keys(*, account: SandboxAccount) -> list[SandboxApiKey]:
    """The account's keys, newest first, with who created and revoked them."""
    return list(
        SandboxApiKey.objects.filter(account=account)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at", "-id")
    )


def account_api_key_get(*, account: SandboxAccount, key_id: str) -> SandboxApiKey | None:
    """The account's key with this id; another account's key is as unknown as a made-up id."""
    return (
        SandboxApiKey.objects.select_related("account", "revoked_by")
        .filter(account=account, pk=key_id)
        .first()
    )


def api_key_get_by_id(*, key_id: str) -> SandboxApiKey | None:
    return SandboxApiKey.objects.select_related("account").filter(pk=key_id).first()


def account_oauth_grants(*, account: SandboxAccount) -> list[SandboxOAuthGrant]:
    """The apps connected to the account (live grants), newest first, with who approved."""
    return list(
        SandboxOAuthGrant.objects.filter(account=account, revoked_at__isnull=True)
        .select_related("app", "approved_by")
        .order_by("-approved_at", "-id")
    )


def account_oauth_grant_get(*, account: SandboxAccount, grant_id: str) -> SandboxOAuthGrant | None:
    """The account's grant with this id; another account's is as unknown as a made-up id."""
    return (
        SandboxOAuthGrant.objects.select_related("app", "account", "approved_by", "revoked_by")
        .filter(account=account, pk=grant_id)
        .first()
    )


def account_registered_oauth_apps(*, account: SandboxAccount) -> list[SandboxOAuthApp]:
    """The apps the account's administrators registered, newest first."""
    return list(
        SandboxOAuthApp.objects.filter(registered_by_account=account)
        .select_related("registered_by")
        .order_by("-created_at", "-id")
    )


def oauth_app_get(*, client_id: str) -> SandboxOAuthApp | None:
    return SandboxOAuthApp.objects.filter(client_id=client_id).first()

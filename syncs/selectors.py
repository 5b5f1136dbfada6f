"""Reads of the syncs domain for pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from integrations.models import Integration
from syncs.models import AuthCheck, Employee, Group, Sync


def sync_list(*, integration: Integration) -> QuerySet[Sync]:
    return Sync.objects.filter(integration=integration).order_by("-created_at", "-pk")


def sync_get(*, environment_id: str, sync_id: str) -> Sync | None:
    return (
        Sync.objects.select_related("integration")
        .filter(pk=sync_id, integration__environment_id=environment_id)
        .first()
    )


def sync_active(*, integration: Integration) -> Sync | None:
    return Sync.objects.filter(integration=integration, state__in=("QUEUED", "RUNNING")).first()


def auth_check_list(*, integration: Integration, limit: int = 50) -> list[AuthCheck]:
    return list(AuthCheck.objects.filter(integration=integration).order_by("-created_at")[:limit])


def employee_list(
    *,
    integration: Integration,
    updated_after: datetime | None = None,
    include_deleted: bool = False,
    ids: Iterable[str] = (),
    remote_ids: Iterable[str] = (),
    employment_statuses: Iterable[str] = (),
    work_emails: Iterable[str] = (),
) -> QuerySet[Employee]:
    queryset = Employee.objects.filter(integration=integration)
    if updated_after is not None:
        queryset = queryset.filter(changed_at__gt=updated_after)
    if not include_deleted:
        queryset = queryset.filter(remote_deleted_at__isnull=True)
    if ids := list(ids):
        queryset = queryset.filter(pk__in=ids)
    if remote_ids := list(remote_ids):
        queryset = queryset.filter(remote_id__in=remote_ids)
    if employment_statuses := list(employment_statuses):
        queryset = queryset.filter(data__employment_status__in=employment_statuses)
    if work_emails := list(work_emails):
        queryset = queryset.filter(data__work_email__in=work_emails)
    return queryset


def employees_by_remote_id(
    *, integration: Integration, remote_ids: set[str]
) -> dict[str, Employee]:
    """The employees (managers) a page refers to, in one query."""
    if not remote_ids:
        return {}
    return {
        row.remote_id: row
        for row in Employee.objects.filter(integration=integration, remote_id__in=remote_ids)
    }


def groups_by_remote_id(*, integration: Integration, remote_ids: set[str]) -> dict[str, Group]:
    if not remote_ids:
        return {}
    return {
        row.remote_id: row
        for row in Group.objects.filter(integration=integration, remote_id__in=remote_ids)
    }

"""Unified rows as Kombo's API shapes them (`GetHrisEmployeesPositiveResponseResult`).

Built as plain dicts: a page of employees with nested manager and groups would otherwise cost
hundreds of nested serializer instances. The serializers in `syncs.api.serializers` document
the same shapes for the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any

from core.timestamps import iso_timestamp, iso_timestamp_or_none
from syncs.models import Employee, Group
from syncs.selectors import sync_warning_messages

# Unified fields that are dates in our rows and ISO datetimes in Kombo's API.
DATE_FIELDS = ("date_of_birth", "start_date", "termination_date", "remote_created_at")
SCALAR_FIELDS = (
    "employee_number",
    "first_name",
    "last_name",
    "nationality",
    "display_full_name",
    "job_title",
    "mobile_phone_number",
    "ssn",
    "tax_id",
    "weekly_hours",
    "avatar",
    "work_location_id",
    "legal_entity_id",
    "work_email",
    "personal_email",
    "gender",
    "ethnicity",
    "marital_status",
    "employment_status",
    "employment_type",
    "custom_fields",
)


def iso_date(value: Any) -> str | None:
    """A stored date (`2021-03-01`, or a full timestamp) as an ISO datetime at UTC midnight."""
    if not value:
        return None
    text = str(value)
    try:
        if len(text) == 10:
            return f"{date.fromisoformat(text).isoformat()}T00:00:00.000Z"
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        # A vendor's timestamp without an offset is read as UTC, as the vendors document them.
        return iso_timestamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    except ValueError:
        return None


def group_representation(group: Group) -> dict[str, Any]:
    return {
        "id": group.pk,
        "remote_id": group.remote_id,
        "name": group.data.get("name"),
        "type": group.data.get("type"),
    }


def _manager_representation(manager: Employee, visible_fields: Collection[str]) -> dict[str, Any]:
    data = {key: value for key, value in manager.data.items() if key in visible_fields}
    return {
        "id": manager.pk,
        "remote_id": manager.remote_id,
        "first_name": data.get("first_name"),
        "last_name": data.get("last_name"),
        "display_full_name": data.get("display_full_name"),
        "employee_number": data.get("employee_number"),
        "work_email": data.get("work_email"),
        "employment_status": data.get("employment_status"),
        "termination_date": iso_date(data.get("termination_date")),
    }


def employee_representation(
    employee: Employee,
    *,
    visible_fields: Collection[str],
    managers: Mapping[str, Employee],
    groups: Mapping[str, Group],
) -> dict[str, Any]:
    """One employee; fields outside `visible_fields` (the scope config) come back null."""
    data = {key: value for key, value in employee.data.items() if key in visible_fields}
    manager = managers.get(str(data.get("manager_id") or ""))
    result: dict[str, Any] = {"id": employee.pk, "remote_id": employee.remote_id}
    result.update({field: data.get(field) for field in SCALAR_FIELDS})
    result.update({field: iso_date(data.get(field)) for field in DATE_FIELDS})
    result["manager_id"] = manager.pk if manager else None
    result["manager"] = _manager_representation(manager, visible_fields) if manager else None
    result["groups"] = [
        group_representation(groups[remote_id])
        for remote_id in data.get("groups") or []
        if remote_id in groups
    ]
    result["home_address"] = data.get("home_address")
    result["bank_accounts"] = data.get("bank_accounts")
    result["employments"] = []
    result["time_off_balances"] = []
    result["legal_entity"] = None
    result["work_location"] = None
    result["changed_at"] = iso_timestamp_or_none(employee.changed_at)
    result["remote_deleted_at"] = iso_timestamp_or_none(employee.remote_deleted_at)
    return result


def sync_representation(sync: Any) -> dict[str, Any]:
    return {
        "id": sync.pk,
        "integration_id": sync.integration_id,
        "type": sync.type,
        "trigger": sync.trigger,
        "state": sync.state,
        "created_at": iso_timestamp_or_none(sync.created_at),
        "started_at": iso_timestamp_or_none(sync.started_at),
        "finished_at": iso_timestamp_or_none(sync.finished_at),
        "duration_seconds": sync.duration_seconds,
        "progress": sync.progress,
        "counts": sync.counts,
        "warnings": sync_warning_messages(sync.warnings),
        "error": sync.error or None,
    }

"""Unified rows as Kombo's API shapes them (the SDK's `GetHris<Model>PositiveResponseResult`).

Built as plain dicts: a page of employees with nested manager and groups would otherwise cost
hundreds of nested serializer instances. The serializers in `syncs.api.serializers` document
the same shapes for the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any

from core.timestamps import iso_timestamp, iso_timestamp_or_none
from syncs.models import UnifiedRecord
from syncs.selectors.related import Related
from syncs.selectors.syncs import sync_warning_messages

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


ADDRESS_KEYS = ("street_1", "street_2", "city", "state", "zip_code", "country", "raw")
BANK_ACCOUNT_KEYS = (
    "iban",
    "bic",
    "account_number",
    "holder_name",
    "bank_name",
    "domestic_bank_routing",
)


def _visible(row: UnifiedRecord, visible_fields: Collection[str]) -> dict[str, Any]:
    """A row's data as its scope reads it (the other fields come back null); references are
    read from `row.data` by the callers, as no scope turns them off."""
    return {key: value for key, value in row.data.items() if key in visible_fields}


def _stamps(row: UnifiedRecord) -> dict[str, Any]:
    return {
        "changed_at": iso_timestamp_or_none(row.changed_at),
        "remote_deleted_at": iso_timestamp_or_none(row.remote_deleted_at),
    }


def _address(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    return {key: value.get(key) for key in ADDRESS_KEYS}


def _bank_accounts(value: Any) -> list[dict[str, Any]] | None:
    if not isinstance(value, list):
        return None
    return [
        {key: account.get(key) for key in BANK_ACCOUNT_KEYS}
        for account in value
        if isinstance(account, Mapping)
    ]


def _number(value: Any) -> float | None:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _id_of(rows: Mapping[str, UnifiedRecord], remote_id: Any) -> str | None:
    row = rows.get(str(remote_id)) if remote_id not in (None, "") else None
    return row.pk if row else None


def group_representation(
    group: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    data = _visible(group, visible_fields)
    return {
        "id": group.pk,
        "remote_id": group.remote_id,
        "name": data.get("name"),
        "type": data.get("type"),
        "parent_id": _id_of(related.groups, data.get("parent_id")),
        **_stamps(group),
    }


def _employee_group(group: UnifiedRecord, visible_fields: Collection[str]) -> dict[str, Any]:
    data = _visible(group, visible_fields)
    return {
        "id": group.pk,
        "remote_id": group.remote_id,
        "name": data.get("name"),
        "type": data.get("type"),
    }


def employment_representation(
    employment: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    data = _visible(employment, visible_fields)
    return {
        "id": employment.pk,
        "remote_id": employment.remote_id,
        "employee_id": _id_of(related.employees, employment.data.get("employee_id")),
        "job_title": data.get("job_title"),
        "pay_rate": _number(data.get("pay_rate")),
        "pay_period": data.get("pay_period"),
        "pay_frequency": data.get("pay_frequency"),
        "employment_type": data.get("employment_type"),
        "pay_currency": data.get("pay_currency"),
        "effective_date": iso_date(data.get("effective_date")),
        "custom_fields": data.get("custom_fields"),
        **_stamps(employment),
    }


def location_representation(
    location: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    data = _visible(location, visible_fields)
    return {
        "id": location.pk,
        "remote_id": location.remote_id,
        "name": data.get("name"),
        "address": _address(data.get("address")),
        "type": data.get("type"),
        **_stamps(location),
    }


def _legal_entity_brief(entity: UnifiedRecord, visible_fields: Collection[str]) -> dict[str, Any]:
    """A legal entity as an employee nests it: without its timestamps."""
    data = _visible(entity, visible_fields)
    return {
        "id": entity.pk,
        "remote_id": entity.remote_id,
        "name": data.get("name"),
        "address": _address(data.get("address")),
    }


def legal_entity_representation(
    entity: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    return {**_legal_entity_brief(entity, visible_fields), **_stamps(entity)}


def absence_type_representation(
    absence_type: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    data = _visible(absence_type, visible_fields)
    return {
        "id": absence_type.pk,
        "remote_id": absence_type.remote_id,
        "name": data.get("name"),
        "unit": data.get("unit"),
        "half_days_supported": data.get("half_days_supported"),
        "exact_times_supported": data.get("exact_times_supported"),
        "custom_fields": data.get("custom_fields"),
        **_stamps(absence_type),
    }


def _absence_type_of(row: UnifiedRecord, related: Related) -> dict[str, Any] | None:
    absence_type = related.absence_types.get(str(row.data.get("type_id") or ""))
    if absence_type is None:
        return None
    visible = related.visible.get("hris_absence_types", ())
    return absence_type_representation(absence_type, visible, related)


def absence_representation(
    absence: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    data = _visible(absence, visible_fields)
    return {
        "id": absence.pk,
        "remote_id": absence.remote_id,
        "employee_id": _id_of(related.employees, absence.data.get("employee_id")),
        "type_id": _id_of(related.absence_types, absence.data.get("type_id")),
        "type": _absence_type_of(absence, related),
        "start_date": data.get("start_date"),
        "end_date": data.get("end_date"),
        "start_half_day": data.get("start_half_day"),
        "end_half_day": data.get("end_half_day"),
        "start_time": data.get("start_time"),
        "end_time": data.get("end_time"),
        "amount": _number(data.get("amount")),
        "unit": data.get("unit"),
        "status": data.get("status"),
        "employee_note": data.get("employee_note"),
        "remote_created_at": iso_date(data.get("remote_created_at")),
        "remote_updated_at": iso_date(data.get("remote_updated_at")),
        **_stamps(absence),
    }


def _balance(balance: UnifiedRecord, visible_fields: Collection[str], related: Related) -> dict:
    data = _visible(balance, visible_fields)
    return {
        "id": balance.pk,
        "remote_id": balance.remote_id,
        "employee_id": _id_of(related.employees, balance.data.get("employee_id")),
        "type_id": _id_of(related.absence_types, balance.data.get("type_id")),
        "balance": _number(data.get("balance")),
        "balance_unit": data.get("balance_unit"),
        "used": _number(data.get("used")),
        "used_unit": data.get("used_unit"),
        **_stamps(balance),
    }


def time_off_balance_representation(
    balance: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    return {
        **_balance(balance, visible_fields, related),
        "type": _absence_type_of(balance, related),
    }


def _manager_representation(manager: UnifiedRecord, visible_fields: Collection[str]) -> dict:
    data = _visible(manager, visible_fields)
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
    employee: UnifiedRecord, visible_fields: Collection[str], related: Related
) -> dict[str, Any]:
    """One employee; fields outside `visible_fields` (the scope config) come back null, and so
    do the nested rows of models the scope does not read."""
    data = _visible(employee, visible_fields)
    manager = related.employees.get(str(data.get("manager_id") or ""))
    location = related.locations.get(str(data.get("work_location_id") or ""))
    entity = related.legal_entities.get(str(data.get("legal_entity_id") or ""))
    visible = related.visible
    result: dict[str, Any] = {"id": employee.pk, "remote_id": employee.remote_id}
    result.update({name: data.get(name) for name in SCALAR_FIELDS})
    result.update({name: iso_date(data.get(name)) for name in DATE_FIELDS})
    result["work_location_id"] = location.pk if location else None
    result["legal_entity_id"] = entity.pk if entity else None
    result["manager_id"] = manager.pk if manager else None
    result["manager"] = _manager_representation(manager, visible_fields) if manager else None
    result["groups"] = [
        _employee_group(related.groups[remote_id], visible.get("hris_teams", ()))
        for remote_id in data.get("groups") or []
        if remote_id in related.groups
    ]
    result["home_address"] = _address(data.get("home_address"))
    result["bank_accounts"] = _bank_accounts(data.get("bank_accounts"))
    result["employments"] = [
        employment_representation(row, visible.get("hris_employments", ()), related)
        for row in related.employments.get(employee.remote_id, ())
    ]
    result["time_off_balances"] = [
        _balance(row, visible.get("hris_time_off_balances", ()), related)
        for row in related.balances.get(employee.remote_id, ())
    ]
    result["legal_entity"] = (
        _legal_entity_brief(entity, visible.get("hris_legal_entities", ())) if entity else None
    )
    result["work_location"] = (
        location_representation(location, visible.get("hris_locations", ()), related)
        if location
        else None
    )
    result.update(_stamps(employee))
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

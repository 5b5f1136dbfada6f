"""Reads of the unified HRIS data for Kombo's `/hris/*` endpoints.

Rows refer to each other by the vendor's remote ids (an absence's `employee_id` is the
employee's remote id); the API serves the referenced rows' ids. Every lookup here is one query
per page, whatever the page size or the number of related rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.lookups import In

from integrations.models import Integration
from integrations.read_models import READ_MODELS
from integrations.selectors.integrations import HeldEmployees
from syncs.models import (
    UNIFIED_MODELS,
    AbsenceType,
    Employee,
    Employment,
    LegalEntity,
    TimeOffBalance,
    UnifiedRecord,
    WorkLocation,
)


@dataclass(frozen=True)
class Reference:
    """A field of one model naming a row of another by its remote id."""

    field: str
    model: type[UnifiedRecord]


@dataclass(frozen=True)
class UpdatedAfterRule:
    """What else makes a row count as updated, as Kombo documents per endpoint (the SDK's
    `updated_after` tables): a linked record that changed (`linked`), or a row of another model
    pointing at this one that was added, changed or removed (`pointing`)."""

    linked: tuple[Reference, ...] = ()
    pointing: tuple[Reference, ...] = ()


_TYPE = Reference("type_id", AbsenceType)
UPDATED_AFTER_RULES: dict[str, UpdatedAfterRule] = {
    "hris_employees": UpdatedAfterRule(
        linked=(
            Reference("manager_id", Employee),
            Reference("legal_entity_id", LegalEntity),
            Reference("work_location_id", WorkLocation),
        ),
        pointing=(Reference("employee_id", Employment), Reference("employee_id", TimeOffBalance)),
    ),
    "hris_absences": UpdatedAfterRule(linked=(_TYPE,)),
    "hris_time_off_balances": UpdatedAfterRule(linked=(_TYPE,)),
}


def _required_references(model_id: str) -> tuple[Reference, ...]:
    """What a row is served only with (`ReadModel.requires`)."""
    return tuple(
        Reference(field, UNIFIED_MODELS[required])
        for field, required in READ_MODELS[model_id].requires
    )


def hris_rows(
    *,
    integration: Integration,
    model_id: str,
    updated_after: datetime | None = None,
    include_deleted: bool = False,
    ids: Collection[str] = (),
    remote_ids: Collection[str] = (),
    where: Q | None = None,
) -> QuerySet[UnifiedRecord]:
    """The rows of one read model an API page is cut from (unordered)."""
    model = UNIFIED_MODELS[model_id]
    rows = model._default_manager.filter(integration=integration)
    rows = rows.filter(_served(model_id, integration))
    if updated_after is not None:
        rows = rows.filter(_updated_after(model_id, integration, updated_after))
    if not include_deleted:
        rows = rows.filter(remote_deleted_at__isnull=True)
    if ids:
        rows = rows.filter(pk__in=list(ids))
    if remote_ids:
        rows = rows.filter(remote_id__in=list(remote_ids))
    if where is not None:
        rows = rows.filter(where)
    return rows


def _served(model_id: str, integration: Integration) -> Q:
    served = Q()
    for reference in _required_references(model_id):
        served &= _refers_to(reference, _remote_ids_of(reference.model, integration))
    return served


def _remote_ids_of(model: type[UnifiedRecord], integration: Integration) -> QuerySet:
    return model._default_manager.filter(integration=integration).values("remote_id")


def _refers_to(reference: Reference, remote_ids: QuerySet | Collection[str]) -> Q:
    """Rows whose `reference.field` names one of `remote_ids`, compared as text (the JSON value
    against a column of remote ids)."""
    return Q(In(KT(f"data__{reference.field}"), remote_ids))


def _updated_after(model_id: str, integration: Integration, moment: datetime) -> Q:
    changed = Q(changed_at__gt=moment)
    rule = UPDATED_AFTER_RULES.get(model_id)
    if rule is None:
        return changed
    for reference in rule.linked:
        linked = reference.model._default_manager.filter(
            integration=integration, changed_at__gt=moment
        ).values("remote_id")
        changed |= _refers_to(reference, linked)
    for reference in rule.pointing:
        pointing = (
            reference.model._default_manager.filter(integration=integration, changed_at__gt=moment)
            .annotate(target=KT(f"data__{reference.field}"))
            .values("target")
        )
        changed |= Q(remote_id__in=pointing)
    return changed


def hris_by_remote_id(
    *, integration: Integration, model_id: str, remote_ids: Iterable[object]
) -> dict[str, UnifiedRecord]:
    """The rows of `model_id` a page refers to, in one query (none when nothing is referred to)."""
    wanted = {str(remote_id) for remote_id in remote_ids if remote_id not in (None, "")}
    if not wanted:
        return {}
    model = UNIFIED_MODELS[model_id]
    return {
        row.remote_id: row
        for row in model._default_manager.filter(integration=integration, remote_id__in=wanted)
    }


def hris_pointing_at(
    *, integration: Integration, model_id: str, employee_remote_ids: Iterable[str]
) -> Mapping[str, list[UnifiedRecord]]:
    """Per employee remote id: the live rows of `model_id` (employments, balances) naming it."""
    wanted = set(employee_remote_ids)
    grouped: dict[str, list[UnifiedRecord]] = {remote_id: [] for remote_id in wanted}
    if not wanted:
        return grouped
    model = UNIFIED_MODELS[model_id]
    rows = model._default_manager.filter(
        # A plain `In`: the lookup Django registers on a JSON key expects JSON-encoded values.
        In(KT("data__employee_id"), sorted(wanted)),
        _served(model_id, integration),
        integration=integration,
        remote_deleted_at__isnull=True,
    ).order_by("pk")
    for row in rows:
        grouped[str(row.data.get("employee_id"))].append(row)
    return grouped


def employees_held(integration_id: str, remote_ids: frozenset[str]) -> HeldEmployees:
    """Whether the integration holds any employee (deleted ones too: they were the company's),
    and which of `remote_ids` it holds."""
    rows = Employee.objects.filter(integration_id=integration_id)
    known = frozenset(rows.filter(remote_id__in=remote_ids).values_list("remote_id", flat=True))
    return HeldEmployees(any_held=bool(known) or rows.exists(), known=known)

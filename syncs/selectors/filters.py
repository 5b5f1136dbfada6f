"""Kombo's filters of the HRIS lists, as conditions on the unified rows.

Kombo's rule (the `kombo` SDK's `ignore_unsupported_filters` docstring): a filter targeting a
field the integration does not read filters out every result, unless the client asks for such
filters to be ignored. Kombo ids in filters (`employee_id`, `type_ids`, `group_ids`, ...) become
subqueries on the referenced rows' remote ids: no extra round trip.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import Lower
from django.db.models.lookups import (
    Contains,
    GreaterThanOrEqual,
    IContains,
    In,
    IsNull,
    LessThanOrEqual,
)

from integrations.models import Integration
from integrations.read_models import READ_MODELS
from syncs.models import UNIFIED_MODELS


@dataclass(frozen=True)
class FieldFilter:
    """A condition on one unified field; it applies only where the integration reads that
    field (`hris_filter`)."""

    field_id: str
    condition: Q


def hris_filter(
    *,
    integration: Integration,
    model_id: str,
    params: Mapping[str, Any],
    wanted: Mapping[str, Collection[str]],
) -> Q | None:
    """The condition the filters in `params` put on `model_id`'s rows; None when one targets a
    field the integration does not read and the client did not ask to ignore it."""
    readable = set(READ_MODELS[model_id].references) | set(wanted.get(model_id, ()))
    where = Q()
    for field_filter in _FILTERS.get(model_id, _no_filters)(integration, params):
        if field_filter.field_id in readable:
            where &= field_filter.condition
        elif not params.get("ignore_unsupported_filters"):
            return None
    return where


def _text(field_id: str) -> KeyTextTransform:
    return KT(f"data__{field_id}")


def _no_filters(integration: Integration, params: Mapping[str, Any]) -> list[FieldFilter]:
    return []


def _name_contains(integration: Integration, params: Mapping[str, Any]) -> list[FieldFilter]:
    if "name_contains" not in params:
        return []
    return [FieldFilter("name", Q(IContains(_text("name"), params["name_contains"])))]


def _naming(
    integration: Integration, model_id: str, field_id: str, kombo_ids: Collection[str]
) -> Q:
    """Rows whose `field_id` names a row of `model_id` by remote id, given that row's Kombo id."""
    targets = (
        UNIFIED_MODELS[model_id]
        ._default_manager.filter(integration=integration, pk__in=list(kombo_ids))
        .values("remote_id")
    )
    return Q(In(_text(field_id), targets))


def _employee_filters(integration: Integration, params: Mapping[str, Any]) -> list[FieldFilter]:
    filters = []
    if params.get("employment_statuses"):
        filters.append(
            FieldFilter(
                "employment_status",
                Q(In(_text("employment_status"), params["employment_statuses"])),
            )
        )
    for name, field_id in (("work_emails", "work_email"), ("personal_emails", "personal_email")):
        if params.get(name):
            # "The format of the emails is case-insensitive" (the SDK's docstring).
            emails = [email.lower() for email in params[name]]
            filters.append(FieldFilter(field_id, Q(In(Lower(_text(field_id)), emails))))
    for name, field_id, model_id in (
        ("legal_entity_ids", "legal_entity_id", "hris_legal_entities"),
        ("work_location_ids", "work_location_id", "hris_locations"),
    ):
        if params.get(name):
            filters.append(
                FieldFilter(field_id, _naming(integration, model_id, field_id, params[name]))
            )
    if params.get("group_ids"):
        filters.append(FieldFilter("groups", _in_groups(integration, params["group_ids"])))
    return filters


def _in_groups(integration: Integration, group_ids: Collection[str]) -> Q:
    """Employees in any of the groups (Kombo ids). Group memberships are a JSON list of remote
    ids: matched as the quoted id inside the list's JSON text, which PostgreSQL and SQLite both
    give for `data->>'groups'`."""
    remote_ids = (
        UNIFIED_MODELS["hris_teams"]
        ._default_manager.filter(integration=integration, pk__in=list(group_ids))
        .values_list("remote_id", flat=True)
    )
    condition = Q(pk__in=[])
    for remote_id in remote_ids:
        # As the databases print the list: non-ASCII characters as they are.
        condition |= Q(Contains(_text("groups"), json.dumps(remote_id, ensure_ascii=False)))
    return condition


def _group_filters(integration: Integration, params: Mapping[str, Any]) -> list[FieldFilter]:
    filters = _name_contains(integration, params)
    if params.get("types"):
        types = [value for value in params["types"] if value != "null"]
        condition = Q(In(_text("type"), types)) if types else Q(pk__in=[])
        if "null" in params["types"]:
            condition |= Q(IsNull(_text("type"), True))
        filters.append(FieldFilter("type", condition))
    return filters


def _employee_id_filter(integration: Integration, params: Mapping[str, Any]) -> list[FieldFilter]:
    if not params.get("employee_id"):
        return []
    return [
        FieldFilter(
            "employee_id",
            _naming(integration, "hris_employees", "employee_id", [params["employee_id"]]),
        )
    ]


def _absence_filters(integration: Integration, params: Mapping[str, Any]) -> list[FieldFilter]:
    filters = _employee_id_filter(integration, params)
    if params.get("type_ids"):
        filters.append(
            FieldFilter(
                "type_id", _naming(integration, "hris_absence_types", "type_id", params["type_ids"])
            )
        )
    if "date_from" in params:
        # "Absences that either start or haven't ended yet on/after this day": ISO dates
        # compare as text.
        day = params["date_from"].isoformat()
        filters.append(
            FieldFilter(
                "end_date",
                Q(GreaterThanOrEqual(_text("end_date"), day)) | Q(IsNull(_text("end_date"), True)),
            )
        )
    if "date_until" in params:
        day = params["date_until"].isoformat()
        filters.append(FieldFilter("start_date", Q(LessThanOrEqual(_text("start_date"), day))))
    return filters


_FILTERS: dict[str, Callable[[Integration, Mapping[str, Any]], list[FieldFilter]]] = {
    "hris_employees": _employee_filters,
    "hris_teams": _group_filters,
    "hris_locations": _name_contains,
    "hris_legal_entities": _name_contains,
    "hris_absences": _absence_filters,
    "hris_time_off_balances": _employee_id_filter,
}

"""The rows a page of HRIS rows refers to, each kind looked up once per page (one query, however
many rows the page has): an absence's employee and type, an employee's manager, groups, work
location, legal entity, employments and balances."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from integrations.models import Integration
from syncs.models import UnifiedRecord
from syncs.selectors.hris import hris_by_remote_id, hris_pointing_at


@dataclass(frozen=True)
class Related:
    """The rows a page refers to, by remote id."""

    employees: Mapping[str, UnifiedRecord] = field(default_factory=dict)
    groups: Mapping[str, UnifiedRecord] = field(default_factory=dict)
    absence_types: Mapping[str, UnifiedRecord] = field(default_factory=dict)
    locations: Mapping[str, UnifiedRecord] = field(default_factory=dict)
    legal_entities: Mapping[str, UnifiedRecord] = field(default_factory=dict)
    # Per employee remote id, the rows naming it.
    employments: Mapping[str, list[UnifiedRecord]] = field(default_factory=dict)
    balances: Mapping[str, list[UnifiedRecord]] = field(default_factory=dict)
    # What each model's scope lets through (the integration's wanted fields).
    visible: Mapping[str, Collection[str]] = field(default_factory=dict)


Wanted = Mapping[str, Collection[str]]


def hris_related(
    *, integration: Integration, model_id: str, rows: list[UnifiedRecord], wanted: Wanted
) -> Related:
    lookup = _LOOKUPS.get(model_id)
    return lookup(integration, rows, wanted) if lookup else Related(visible=wanted)


def _by_remote_id(
    integration: Integration, model_id: str, remote_ids: Iterable[object]
) -> Mapping[str, UnifiedRecord]:
    return hris_by_remote_id(integration=integration, model_id=model_id, remote_ids=remote_ids)


def _of(rows: list[UnifiedRecord], field_id: str) -> list[object]:
    return [row.data.get(field_id) for row in rows]


def _for_employees(integration: Integration, rows: list[UnifiedRecord], wanted: Wanted) -> Related:
    visible = set(wanted.get("hris_employees", ()))

    def referred(field_id: str, model_id: str) -> Mapping[str, UnifiedRecord]:
        if field_id not in visible or model_id not in wanted:
            return {}
        return _by_remote_id(integration, model_id, _of(rows, field_id))

    def pointing(model_id: str) -> Mapping[str, list[UnifiedRecord]]:
        if model_id not in wanted:
            return {}
        return hris_pointing_at(
            integration=integration,
            model_id=model_id,
            employee_remote_ids=[row.remote_id for row in rows],
        )

    managers = referred("manager_id", "hris_employees")
    groups = (
        _by_remote_id(
            integration,
            "hris_teams",
            [group for row in rows for group in (row.data.get("groups") or [])],
        )
        if "groups" in visible and "hris_teams" in wanted
        else {}
    )
    balances = pointing("hris_time_off_balances")
    types = _by_remote_id(
        integration,
        "hris_absence_types",
        [balance.data.get("type_id") for found in balances.values() for balance in found],
    )
    return Related(
        employees={**managers, **{row.remote_id: row for row in rows}},
        groups=groups,
        absence_types=types,
        locations=referred("work_location_id", "hris_locations"),
        legal_entities=referred("legal_entity_id", "hris_legal_entities"),
        employments=pointing("hris_employments"),
        balances=balances,
        visible=wanted,
    )


def _for_groups(integration: Integration, rows: list[UnifiedRecord], wanted: Wanted) -> Related:
    parents = _by_remote_id(integration, "hris_teams", _of(rows, "parent_id"))
    return Related(groups=parents, visible=wanted)


def _for_employments(
    integration: Integration, rows: list[UnifiedRecord], wanted: Wanted
) -> Related:
    employees = _by_remote_id(integration, "hris_employees", _of(rows, "employee_id"))
    return Related(employees=employees, visible=wanted)


def _for_time_off(integration: Integration, rows: list[UnifiedRecord], wanted: Wanted) -> Related:
    return Related(
        employees=_by_remote_id(integration, "hris_employees", _of(rows, "employee_id")),
        absence_types=_by_remote_id(integration, "hris_absence_types", _of(rows, "type_id")),
        visible=wanted,
    )


_LOOKUPS: dict[str, Callable[[Integration, list[UnifiedRecord], Wanted], Related]] = {
    "hris_employees": _for_employees,
    "hris_teams": _for_groups,
    "hris_employments": _for_employments,
    "hris_absences": _for_time_off,
    "hris_time_off_balances": _for_time_off,
}

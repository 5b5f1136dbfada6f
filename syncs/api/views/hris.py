"""Kombo's HRIS read endpoints: `GET /hris/<model>` for every read model this product syncs.

Each list is one query for the page plus one per kind of related row it nests (an absence's
employee and type, an employee's manager, groups, employments, ...), whatever the page size.

Filters follow Kombo's documentation (the `kombo` SDK's `get_*` docstrings): a filter on a field
the integration does not read ("not supported by this integration") filters out every result,
unless `ignore_unsupported_filters=true`, which ignores it instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

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
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.pagination import id_page, page_data
from core.api.serializers import success_envelope
from core.api.views import success
from integrations.models import Integration
from integrations.read_models import READ_MODELS
from integrations.selectors.integrations import integration_wanted_fields
from syncs.api import representations as shapes
from syncs.api import serializers as params
from syncs.api.representations import Related
from syncs.api.views.syncs import ERRORS, INTEGRATION_HEADER, IntegrationHeaderView
from syncs.models import UNIFIED_MODELS, UnifiedRecord
from syncs.selectors.hris import hris_by_remote_id, hris_pointing_at, hris_rows

Represent = Callable[[UnifiedRecord, Collection[str], Related], dict[str, Any]]


@dataclass(frozen=True)
class FieldFilter:
    """A condition on one unified field; it applies only where the integration reads that
    field (see `HrisListView.get`)."""

    field_id: str
    condition: Q


class HrisListView(IntegrationHeaderView):
    model_id: ClassVar[str]
    params_class: ClassVar[type[params.HrisListParamsSerializer]]
    represent: ClassVar[Represent]

    def get(self, request: Request) -> Response:
        integration = self.integration_from_header(request)
        query = self.params_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        wanted = integration_wanted_fields(integration=integration)
        readable = set(READ_MODELS[self.model_id].references) | set(wanted.get(self.model_id, ()))
        where = Q()
        for field_filter in self.field_filters(integration, data):
            if field_filter.field_id in readable:
                where &= field_filter.condition
            elif not data["ignore_unsupported_filters"]:
                return success(page_data([], None))
        rows, next_cursor = id_page(
            hris_rows(
                integration=integration,
                model_id=self.model_id,
                updated_after=data.get("updated_after"),
                include_deleted=data["include_deleted"],
                ids=data.get("ids", ()),
                remote_ids=data.get("remote_ids", ()),
                where=where,
            ),
            cursor=data.get("cursor"),
            page_size=data["page_size"],
        )
        related = self.related(integration, rows, wanted)
        visible = wanted.get(self.model_id, ())
        represent = type(self).represent
        return success(page_data([represent(row, visible, related) for row in rows], next_cursor))

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        return []

    def related(
        self,
        integration: Integration,
        rows: list[UnifiedRecord],
        wanted: Mapping[str, Collection[str]],
    ) -> Related:
        return Related(visible=wanted)


def _text(field_id: str) -> KeyTextTransform:
    return KT(f"data__{field_id}")


def _name_contains(data: Mapping[str, Any]) -> list[FieldFilter]:
    if "name_contains" not in data:
        return []
    return [FieldFilter("name", Q(IContains(_text("name"), data["name_contains"])))]


def _lookup(
    integration: Integration, model_id: str, field_id: str, kombo_ids: Collection[str]
) -> Q:
    """Rows whose `field_id` names a row of `model_id` by remote id, given that row's Kombo id
    (a subquery: no extra round trip)."""
    targets = (
        UNIFIED_MODELS[model_id]
        ._default_manager.filter(integration=integration, pk__in=list(kombo_ids))
        .values("remote_id")
    )
    return Q(In(_text(field_id), targets))


def _by_remote_id(
    integration: Integration, model_id: str, remote_ids: Collection[Any]
) -> Mapping[str, UnifiedRecord]:
    return hris_by_remote_id(integration=integration, model_id=model_id, remote_ids=remote_ids)


class EmployeeListView(HrisListView):
    model_id = "hris_employees"
    params_class = params.EmployeeListParamsSerializer
    represent = shapes.employee_representation

    @extend_schema(
        operation_id="GetHrisEmployees",
        summary="Get employees",
        description="The integration's synced employees with their nested rows. Fields its "
        "scope config disables are `null`.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.EmployeeListParamsSerializer],
        responses={
            200: success_envelope(
                "EmployeeListResponse",
                params.page_serializer("EmployeePage", params.EmployeeSerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        filters = []
        if data.get("employment_statuses"):
            filters.append(
                FieldFilter(
                    "employment_status",
                    Q(In(_text("employment_status"), data["employment_statuses"])),
                )
            )
        for name, field_id in (
            ("work_emails", "work_email"),
            ("personal_emails", "personal_email"),
        ):
            if data.get(name):
                # "The format of the emails is case-insensitive" (the SDK's docstring).
                emails = [email.lower() for email in data[name]]
                filters.append(FieldFilter(field_id, Q(In(Lower(_text(field_id)), emails))))
        for name, field_id, model_id in (
            ("legal_entity_ids", "legal_entity_id", "hris_legal_entities"),
            ("work_location_ids", "work_location_id", "hris_locations"),
        ):
            if data.get(name):
                filters.append(
                    FieldFilter(field_id, _lookup(integration, model_id, field_id, data[name]))
                )
        if data.get("group_ids"):
            filters.append(FieldFilter("groups", _in_groups(integration, data["group_ids"])))
        return filters

    def related(
        self,
        integration: Integration,
        rows: list[UnifiedRecord],
        wanted: Mapping[str, Collection[str]],
    ) -> Related:
        visible = set(wanted.get(self.model_id, ()))

        def referred(field_id: str, model_id: str) -> Mapping[str, UnifiedRecord]:
            if field_id not in visible or model_id not in wanted:
                return {}
            return _by_remote_id(integration, model_id, [row.data.get(field_id) for row in rows])

        def pointing(model_id: str) -> Mapping[str, list[UnifiedRecord]]:
            if model_id not in wanted:
                return {}
            return hris_pointing_at(
                integration=integration,
                model_id=model_id,
                employee_remote_ids=[row.remote_id for row in rows],
            )

        managers = (
            _by_remote_id(integration, "hris_employees", [r.data.get("manager_id") for r in rows])
            if "manager_id" in visible
            else {}
        )
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
            [b.data.get("type_id") for found in balances.values() for b in found],
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


class GroupListView(HrisListView):
    model_id = "hris_teams"
    params_class = params.GroupListParamsSerializer
    represent = shapes.group_representation

    @extend_schema(
        operation_id="GetHrisGroups",
        summary="Get groups",
        description="Departments, teams and cost centers (Kombo's `hris_teams` model).",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.GroupListParamsSerializer],
        responses={
            200: success_envelope(
                "GroupListResponse", params.page_serializer("GroupPage", params.GroupSerializer)
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        filters = _name_contains(data)
        if data.get("types"):
            types = [value for value in data["types"] if value != "null"]
            condition = Q(In(_text("type"), types)) if types else Q(pk__in=[])
            if "null" in data["types"]:
                condition |= Q(IsNull(_text("type"), True))
            filters.append(FieldFilter("type", condition))
        return filters

    def related(
        self,
        integration: Integration,
        rows: list[UnifiedRecord],
        wanted: Mapping[str, Collection[str]],
    ) -> Related:
        parents = _by_remote_id(integration, "hris_teams", [r.data.get("parent_id") for r in rows])
        return Related(groups=parents, visible=wanted)


def _employees_of(
    integration: Integration, rows: list[UnifiedRecord]
) -> Mapping[str, UnifiedRecord]:
    return _by_remote_id(integration, "hris_employees", [r.data.get("employee_id") for r in rows])


class EmploymentListView(HrisListView):
    model_id = "hris_employments"
    params_class = params.HrisListParamsSerializer
    represent = shapes.employment_representation

    @extend_schema(
        operation_id="GetHrisEmployments",
        summary="Get employments",
        description="Employments: job titles and pay over time.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.HrisListParamsSerializer],
        responses={
            200: success_envelope(
                "EmploymentListResponse",
                params.page_serializer("EmploymentPage", params.EmploymentSerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def related(
        self,
        integration: Integration,
        rows: list[UnifiedRecord],
        wanted: Mapping[str, Collection[str]],
    ) -> Related:
        return Related(employees=_employees_of(integration, rows), visible=wanted)


class LocationListView(HrisListView):
    model_id = "hris_locations"
    params_class = params.NamedListParamsSerializer
    represent = shapes.location_representation

    @extend_schema(
        operation_id="GetHrisLocations",
        summary="Get work locations",
        description="The company's work locations.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.NamedListParamsSerializer],
        responses={
            200: success_envelope(
                "LocationListResponse",
                params.page_serializer("LocationPage", params.LocationSerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        return _name_contains(data)


class LegalEntityListView(HrisListView):
    model_id = "hris_legal_entities"
    params_class = params.NamedListParamsSerializer
    represent = shapes.legal_entity_representation

    @extend_schema(
        operation_id="GetHrisLegalEntities",
        summary="Get legal entities",
        description="The company's legal entities.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.NamedListParamsSerializer],
        responses={
            200: success_envelope(
                "LegalEntityListResponse",
                params.page_serializer("LegalEntityPage", params.LegalEntitySerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        return _name_contains(data)


class AbsenceTypeListView(HrisListView):
    model_id = "hris_absence_types"
    params_class = params.HrisListParamsSerializer
    represent = shapes.absence_type_representation

    @extend_schema(
        operation_id="GetHrisAbsenceTypes",
        summary="Get absence types",
        description="The kinds of absence (vacation, sick leave, ...) the company uses.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.HrisListParamsSerializer],
        responses={
            200: success_envelope(
                "AbsenceTypeListResponse",
                params.page_serializer("AbsenceTypePage", params.AbsenceTypeSerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


def _employee_and_types(
    integration: Integration, rows: list[UnifiedRecord], wanted: Mapping[str, Collection[str]]
) -> Related:
    types = _by_remote_id(integration, "hris_absence_types", [r.data.get("type_id") for r in rows])
    return Related(employees=_employees_of(integration, rows), absence_types=types, visible=wanted)


def _employee_filter(integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
    if not data.get("employee_id"):
        return []
    return [
        FieldFilter(
            "employee_id",
            _lookup(integration, "hris_employees", "employee_id", [data["employee_id"]]),
        )
    ]


class AbsenceListView(HrisListView):
    model_id = "hris_absences"
    params_class = params.AbsenceListParamsSerializer
    represent = shapes.absence_representation

    @extend_schema(
        operation_id="GetHrisAbsences",
        summary="Get absences",
        description="Absences (time off), each with its type.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.AbsenceListParamsSerializer],
        responses={
            200: success_envelope(
                "AbsenceListResponse",
                params.page_serializer("AbsencePage", params.AbsenceSerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        filters = _employee_filter(integration, data)
        if data.get("type_ids"):
            filters.append(
                FieldFilter(
                    "type_id",
                    _lookup(integration, "hris_absence_types", "type_id", data["type_ids"]),
                )
            )
        if "date_from" in data:
            # "Absences that either start or haven't ended yet on/after this day": ISO dates
            # compare as text.
            day = data["date_from"].isoformat()
            filters.append(
                FieldFilter(
                    "end_date",
                    Q(GreaterThanOrEqual(_text("end_date"), day))
                    | Q(IsNull(_text("end_date"), True)),
                )
            )
        if "date_until" in data:
            day = data["date_until"].isoformat()
            filters.append(FieldFilter("start_date", Q(LessThanOrEqual(_text("start_date"), day))))
        return filters

    def related(
        self,
        integration: Integration,
        rows: list[UnifiedRecord],
        wanted: Mapping[str, Collection[str]],
    ) -> Related:
        return _employee_and_types(integration, rows, wanted)


class TimeOffBalanceListView(HrisListView):
    model_id = "hris_time_off_balances"
    params_class = params.TimeOffBalanceListParamsSerializer
    represent = shapes.time_off_balance_representation

    @extend_schema(
        operation_id="GetHrisTimeOffBalances",
        summary="Get time off balances",
        description="Each employee's balance per absence type.",
        tags=["HRIS"],
        parameters=[INTEGRATION_HEADER, params.TimeOffBalanceListParamsSerializer],
        responses={
            200: success_envelope(
                "TimeOffBalanceListResponse",
                params.page_serializer("TimeOffBalancePage", params.TimeOffBalanceSerializer),
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def field_filters(self, integration: Integration, data: Mapping[str, Any]) -> list[FieldFilter]:
        return _employee_filter(integration, data)

    def related(
        self,
        integration: Integration,
        rows: list[UnifiedRecord],
        wanted: Mapping[str, Collection[str]],
    ) -> Related:
        return _employee_and_types(integration, rows, wanted)

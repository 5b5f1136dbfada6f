"""Kombo's HRIS read endpoints: `GET /hris/<model>` for every read model this product syncs.

Each list is one query for the page plus one per kind of related row it nests
(`syncs.selectors.related`); its filters are Kombo's (`syncs.selectors.filters`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.pagination import id_page, page_data
from core.api.serializers import success_envelope
from core.api.views import success
from integrations.selectors.integrations import integration_wanted_fields
from syncs.api import representations as shapes
from syncs.api import serializers as params
from syncs.api.views.syncs import ERRORS, INTEGRATION_HEADER, IntegrationHeaderView
from syncs.models import UnifiedRecord
from syncs.selectors.filters import hris_filter
from syncs.selectors.hris import hris_rows
from syncs.selectors.related import Related, hris_related

Represent = Callable[[UnifiedRecord, Collection[str], Related], dict[str, Any]]


class HrisListView(IntegrationHeaderView):
    """One list of Kombo's HRIS API; `hris_list_view` makes one per read model."""

    model_id: ClassVar[str]
    params_class: ClassVar[type[params.HrisListParamsSerializer]]
    represent: ClassVar[Represent]

    def get(self, request: Request) -> Response:
        integration = self.integration_from_header(request)
        query = self.params_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        wanted = integration_wanted_fields(integration=integration)
        where = hris_filter(
            integration=integration, model_id=self.model_id, params=data, wanted=wanted
        )
        if where is None:
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
        related = hris_related(
            integration=integration, model_id=self.model_id, rows=rows, wanted=wanted
        )
        visible = wanted.get(self.model_id, ())
        represent = type(self).represent
        return success(page_data([represent(row, visible, related) for row in rows], next_cursor))


def hris_list_view(
    name: str,
    *,
    model_id: str,
    params_class: type[params.HrisListParamsSerializer],
    represent: Represent,
    operation_id: str,
    summary: str,
    description: str,
    result: tuple[str, str, type[serializers.Serializer]],
) -> type[HrisListView]:
    """The list view of `model_id`, documented in the schema as Kombo's `operation_id`."""
    envelope, page, result_serializer = result
    view = type(
        name,
        (HrisListView,),
        {"model_id": model_id, "params_class": params_class, "represent": represent},
    )
    return extend_schema_view(
        get=extend_schema(
            operation_id=operation_id,
            summary=summary,
            description=description,
            tags=["HRIS"],
            parameters=[INTEGRATION_HEADER, params_class],
            responses={
                200: success_envelope(envelope, params.page_serializer(page, result_serializer)),
                **ERRORS,
            },
        )
    )(view)


EmployeeListView = hris_list_view(
    "EmployeeListView",
    model_id="hris_employees",
    params_class=params.EmployeeListParamsSerializer,
    represent=shapes.employee_representation,
    operation_id="GetHrisEmployees",
    summary="Get employees",
    description="The integration's synced employees with their nested rows. Fields its "
    "scope config disables are `null`.",
    result=("EmployeeListResponse", "EmployeePage", params.EmployeeSerializer),
)

GroupListView = hris_list_view(
    "GroupListView",
    model_id="hris_teams",
    params_class=params.GroupListParamsSerializer,
    represent=shapes.group_representation,
    operation_id="GetHrisGroups",
    summary="Get groups",
    description="Departments, teams and cost centers (Kombo's `hris_teams` model).",
    result=("GroupListResponse", "GroupPage", params.GroupSerializer),
)

EmploymentListView = hris_list_view(
    "EmploymentListView",
    model_id="hris_employments",
    params_class=params.HrisListParamsSerializer,
    represent=shapes.employment_representation,
    operation_id="GetHrisEmployments",
    summary="Get employments",
    description="Employments: job titles and pay over time.",
    result=("EmploymentListResponse", "EmploymentPage", params.EmploymentSerializer),
)

LocationListView = hris_list_view(
    "LocationListView",
    model_id="hris_locations",
    params_class=params.NamedListParamsSerializer,
    represent=shapes.location_representation,
    operation_id="GetHrisLocations",
    summary="Get work locations",
    description="The company's work locations.",
    result=("LocationListResponse", "LocationPage", params.LocationSerializer),
)

LegalEntityListView = hris_list_view(
    "LegalEntityListView",
    model_id="hris_legal_entities",
    params_class=params.NamedListParamsSerializer,
    represent=shapes.legal_entity_representation,
    operation_id="GetHrisLegalEntities",
    summary="Get legal entities",
    description="The company's legal entities.",
    result=("LegalEntityListResponse", "LegalEntityPage", params.LegalEntitySerializer),
)

AbsenceTypeListView = hris_list_view(
    "AbsenceTypeListView",
    model_id="hris_absence_types",
    params_class=params.HrisListParamsSerializer,
    represent=shapes.absence_type_representation,
    operation_id="GetHrisAbsenceTypes",
    summary="Get absence types",
    description="The kinds of absence (vacation, sick leave, ...) the company uses.",
    result=("AbsenceTypeListResponse", "AbsenceTypePage", params.AbsenceTypeSerializer),
)

AbsenceListView = hris_list_view(
    "AbsenceListView",
    model_id="hris_absences",
    params_class=params.AbsenceListParamsSerializer,
    represent=shapes.absence_representation,
    operation_id="GetHrisAbsences",
    summary="Get absences",
    description="Absences (time off), each with its type.",
    result=("AbsenceListResponse", "AbsencePage", params.AbsenceSerializer),
)

TimeOffBalanceListView = hris_list_view(
    "TimeOffBalanceListView",
    model_id="hris_time_off_balances",
    params_class=params.TimeOffBalanceListParamsSerializer,
    represent=shapes.time_off_balance_representation,
    operation_id="GetHrisTimeOffBalances",
    summary="Get time off balances",
    description="Each employee's balance per absence type.",
    result=("TimeOffBalanceListResponse", "TimeOffBalancePage", params.TimeOffBalanceSerializer),
)

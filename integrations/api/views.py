"""Kombo's general endpoints (`/check-api-key`, `/integrations/...`, `/tools/...`) and our
integrations list. Thin: validate with a serializer, call a selector or service, serialize."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import IntegrationNotFound
from core.api.pagination import keyset_page, page_data
from core.api.serializers import EmptyBodySerializer, success_envelope
from core.api.views import (
    EMPTY_SUCCESS,
    ERRORS_400_401,
    ERRORS_401,
    ERRORS_401_404,
    ERRORS_WITH_BODY,
    KomboApiView,
    success,
)
from integrations.actors import Actor
from integrations.api.payloads import integration_payload
from integrations.api.serializers import (
    TOOL_CATEGORY_PARAMS,
    CheckApiKeyDataSerializer,
    IntegrationEnabledSerializer,
    IntegrationListParamsSerializer,
    IntegrationPageSerializer,
    IntegrationSerializer,
    ToolListDataSerializer,
    ToolsCategoryParamsSerializer,
)
from integrations.models import Integration
from integrations.selectors.integrations import integration_get, integration_list
from integrations.services import integration_delete, integration_set_enabled
from integrations.tools import tools_for_category

# The length of `Integration.id`: a longer id cannot exist, so it never reaches a query.
MAX_INTEGRATION_ID_LENGTH = 80

TAGS = ["General"]
INTEGRATION_ID_PARAMETER = OpenApiParameter(
    "integration_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The integration's ID."
)


class IntegrationApiView(KomboApiView):
    """An endpoint about one integration of the API key's environment."""

    def get_integration(self, request: Request, integration_id: str) -> Integration:
        """The live integration of the key's environment, else PLATFORM.INTEGRATION_NOT_FOUND."""
        request._request.kombo_integration_id = integration_id  # type: ignore[attr-defined]
        # PostgreSQL refuses NUL characters in text parameters (a driver error, not "no row").
        if len(integration_id) > MAX_INTEGRATION_ID_LENGTH or "\x00" in integration_id:
            raise IntegrationNotFound(integration_id[:MAX_INTEGRATION_ID_LENGTH])
        integration = integration_get(
            environment=self.api_key(request).environment, integration_id=integration_id
        )
        if integration is None:
            raise IntegrationNotFound(integration_id)
        return integration


class CheckApiKeyView(KomboApiView):
    @extend_schema(
        operation_id="GetCheckApiKey",
        summary="Check API key",
        description="Check whether your API key works; returns the ID of its environment.",
        tags=TAGS,
        responses={
            200: success_envelope("CheckApiKeyResponse", CheckApiKeyDataSerializer()),
            **ERRORS_401,
        },
    )
    def get(self, request: Request) -> Response:
        return success(CheckApiKeyDataSerializer(self.api_key(request).environment).data)


class IntegrationListView(KomboApiView):
    @extend_schema(
        operation_id="GetIntegrations",
        summary="List integrations",
        description="The integrations of the API key's environment, newest first, "
        "with cursor pagination. Not part of Kombo's API.",
        tags=TAGS,
        parameters=[IntegrationListParamsSerializer],
        responses={
            200: success_envelope("IntegrationListResponse", IntegrationPageSerializer()),
            **ERRORS_400_401,
        },
    )
    def get(self, request: Request) -> Response:
        params = IntegrationListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = integration_list(
            environment=self.api_key(request).environment,
            status=params.validated_data.get("status") or None,
            tool=params.validated_data.get("tool") or None,
            search=params.validated_data.get("search") or None,
        )
        rows, next_cursor = keyset_page(
            queryset,
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        results = [integration_payload(integration, request) for integration in rows]
        return success(page_data(results, next_cursor))


class IntegrationDetailView(IntegrationApiView):
    @extend_schema(
        operation_id="GetIntegrationsIntegrationId",
        summary="Get integration details",
        tags=TAGS,
        parameters=[INTEGRATION_ID_PARAMETER],
        responses={
            200: success_envelope("IntegrationDetailResponse", IntegrationSerializer()),
            **ERRORS_401_404,
        },
    )
    def get(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        return success(integration_payload(integration, request))

    @extend_schema(
        operation_id="DeleteIntegrationsIntegrationId",
        summary="Delete integration",
        description="Delete the integration for good: its credentials are destroyed. "
        "The body is `{}` (as Kombo's SDKs send it) or empty.",
        tags=TAGS,
        parameters=[INTEGRATION_ID_PARAMETER],
        responses={200: EMPTY_SUCCESS, **ERRORS_WITH_BODY},
    )
    def delete(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        EmptyBodySerializer(data=request.data).is_valid(raise_exception=True)
        integration_delete(integration=integration, actor=Actor.api_key(self.api_key(request)))
        return success({})


class IntegrationEnabledView(IntegrationApiView):
    @extend_schema(
        operation_id="PutIntegrationsIntegrationIdEnabled",
        summary="Set integration enabled",
        description="Disable (status `INACTIVE`, no syncs; credentials and configuration kept) "
        "or enable the integration.",
        tags=TAGS,
        parameters=[INTEGRATION_ID_PARAMETER],
        request=IntegrationEnabledSerializer,
        responses={200: EMPTY_SUCCESS, **ERRORS_WITH_BODY},
    )
    def put(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        body = IntegrationEnabledSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        integration_set_enabled(
            integration=integration,
            enabled=body.validated_data["value"],
            actor=Actor.api_key(self.api_key(request)),
        )
        return success({})


class ToolListView(KomboApiView):
    @extend_schema(
        operation_id="GetToolsCategory",
        summary="Get tools",
        description="The tools of a category that integrations can connect to, with coverage.",
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "category",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(TOOL_CATEGORY_PARAMS),
            )
        ],
        responses={
            200: success_envelope("ToolListResponse", ToolListDataSerializer()),
            **ERRORS_400_401,
        },
    )
    def get(self, request: Request, category: str) -> Response:
        params = ToolsCategoryParamsSerializer(data={"category": category.lower()})
        params.is_valid(raise_exception=True)
        tools = tools_for_category(params.validated_data["category"])
        return success(ToolListDataSerializer({"tools": tools}, context={"request": request}).data)

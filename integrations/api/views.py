"""Kombo's general endpoints (`/check-api-key`, `/integrations/...`, `/tools/...`) and our
integrations list. Thin: validate with a serializer, call a selector or service, serialize."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.actors import Actor
from integrations.api.errors import IntegrationNotFound
from integrations.api.pagination import keyset_page
from integrations.api.payloads import integration_payload
from integrations.api.serializers import (
    TOOL_CATEGORY_PARAMS,
    CheckApiKeyDataSerializer,
    EmptyBodySerializer,
    ErrorEnvelopeSerializer,
    IntegrationEnabledSerializer,
    IntegrationListParamsSerializer,
    IntegrationPageSerializer,
    IntegrationSerializer,
    ToolListDataSerializer,
    ToolsCategoryParamsSerializer,
    success_envelope,
)
from integrations.models import ApiKey, Integration
from integrations.selectors.integrations import integration_get, integration_list
from integrations.services import integration_delete, integration_set_enabled
from integrations.tools import tools_for_category

# The length of `Integration.id`: a longer id cannot exist, so it never reaches a query.
MAX_INTEGRATION_ID_LENGTH = 80

TAGS = ["General"]
ERRORS_401 = {401: ErrorEnvelopeSerializer}
ERRORS_400_401 = {400: ErrorEnvelopeSerializer, 401: ErrorEnvelopeSerializer}
ERRORS_401_404 = {401: ErrorEnvelopeSerializer, 404: ErrorEnvelopeSerializer}
ERRORS_WITH_BODY = dict.fromkeys((400, 401, 404, 413, 415), ErrorEnvelopeSerializer)
EMPTY_SUCCESS = success_envelope(
    "EmptySuccessResponse", serializers.DictField(help_text="Always empty: `{}`.")
)
INTEGRATION_ID_PARAMETER = OpenApiParameter(
    "integration_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The integration's ID."
)


class KomboApiView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # DRF authenticates before it looks at the method, so a wrong method without a key was
        # a 401; the endpoints are public (the schema lists them), their methods are no secret.
        method = request.method.lower() if request.method else ""
        if method not in self.http_method_names or not hasattr(self, method):
            self.http_method_not_allowed(request)
        super().initial(request, *args, **kwargs)

    def api_key(self, request: Request) -> ApiKey:
        api_key = request.auth
        # `HasApiKey` (the default permission) refused the request otherwise.
        assert isinstance(api_key, ApiKey)
        return api_key

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


def success(data: Any) -> Response:
    return Response({"status": "success", "data": data})


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
        return success(
            {
                "next": next_cursor.encode() if next_cursor else None,
                "results": [integration_payload(integration, request) for integration in rows],
            }
        )


class IntegrationDetailView(KomboApiView):
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


class IntegrationEnabledView(KomboApiView):
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

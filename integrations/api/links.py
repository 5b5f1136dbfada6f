"""Reconnection links over the API: Kombo's `POST /integrations/{id}/relink`; listing and
revoking links are ours."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import InputInvalid, InputNotFound
from core.api.pagination import is_possible_id
from core.api.serializers import ErrorEnvelopeSerializer, StrictInputSerializer, success_envelope
from core.api.views import ERRORS_WITH_BODY, KomboApiView, success
from core.timestamps import iso_timestamp, iso_timestamp_or_none
from integrations.actors import Actor
from integrations.api.serializers import INTEGRATION_CATEGORIES
from integrations.api.views import INTEGRATION_ID_PARAMETER, IntegrationApiView
from integrations.models import LinkLanguage, LinkState, LinkType, ReconnectionLink
from integrations.selectors.links import reconnection_link_get, reconnection_links_of
from integrations.services import (
    activation_token_exchange,
    connect_link_create,
    relink_link_create,
    relink_link_revoke,
)
from integrations.services.links import (
    ScopeConfigNotFoundError,
    connect_target_scope_config,
    relink_target_scope_config,
)
from integrations.tools import TOOLS

ERRORS = dict.fromkeys((400, 401, 404), ErrorEnvelopeSerializer)


class RelinkRequestSerializer(StrictInputSerializer):
    language = serializers.ChoiceField(
        choices=LinkLanguage.choices, required=False, allow_null=True, default="en"
    )
    scope_config_id = serializers.CharField(required=False, allow_null=True, max_length=32)
    link_type = serializers.ChoiceField(
        choices=LinkType.choices, required=False, default=LinkType.EMBEDDED
    )


class RelinkLinkSerializer(serializers.Serializer):
    link = serializers.URLField()


class ReconnectionLinkSerializer(serializers.Serializer):
    """The shape of a listed link (documentation; the data is built by `_link_data`)."""

    id = serializers.CharField()
    integration_id = serializers.CharField()
    link_type = serializers.ChoiceField(choices=LinkType.choices)
    language = serializers.ChoiceField(choices=LinkLanguage.choices)
    target_scope_config_id = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=["OPEN", "USED", "REVOKED", "EXPIRED"])
    created_by = serializers.CharField(source="created_by_label")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


# The API's words for a link's state: one open state whether or not the customer opened it.
API_LINK_STATES = {
    LinkState.SENT: "OPEN",
    LinkState.OPENED: "OPEN",
    LinkState.COMPLETED: "USED",
    LinkState.REVOKED: "REVOKED",
    LinkState.EXPIRED: "EXPIRED",
}


def _link_data(link: ReconnectionLink, now: Any) -> dict[str, Any]:
    return {
        "id": link.pk,
        "integration_id": link.integration_id,
        "link_type": link.link_type,
        "language": link.language,
        "target_scope_config_id": link.target_scope_config_id,
        "state": API_LINK_STATES[link.state_at(now)],
        "created_by": link.created_by_label,
        "created_at": iso_timestamp(link.created_at),
        "expires_at": iso_timestamp(link.expires_at),
        "used_at": iso_timestamp_or_none(link.used_at),
        "revoked_at": iso_timestamp_or_none(link.revoked_at),
    }


class RelinkView(IntegrationApiView):
    @extend_schema(
        operation_id="PostIntegrationsIntegrationIdRelink",
        summary="Create reconnection link",
        description="A single-use link the customer opens to enter new credentials: EMBEDDED "
        "(1 hour, for an iframe) or MAGIC_LINK (1 year). With `scope_config_id`, the "
        "integration switches to that scope config once the link is completed.",
        tags=["General"],
        parameters=[INTEGRATION_ID_PARAMETER],
        request=RelinkRequestSerializer,
        responses={
            200: success_envelope("RelinkResponse", RelinkLinkSerializer()),
            **ERRORS_WITH_BODY,
        },
    )
    def post(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        body = RelinkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            scope_config = relink_target_scope_config(
                integration=integration,
                scope_config_id=body.validated_data.get("scope_config_id"),
            )
        except ScopeConfigNotFoundError as missing:
            raise InputInvalid(
                f"scope_config_id: No scope config {missing.scope_config_id!r} in this environment."
            ) from None
        _, url = relink_link_create(
            integration=integration,
            link_type=body.validated_data["link_type"],
            language=body.validated_data.get("language") or "en",
            scope_config=scope_config,
            actor=Actor.api_key(self.api_key(request)),
        )
        return success({"link": url})


class ReconnectionLinkListView(IntegrationApiView):
    @extend_schema(
        operation_id="GetIntegrationsIntegrationIdReconnectionLinks",
        summary="List reconnection links",
        description="The integration's reconnection links, newest first (never their tokens). "
        "Not part of Kombo's API.",
        tags=["General"],
        parameters=[INTEGRATION_ID_PARAMETER],
        responses={
            200: success_envelope(
                "ReconnectionLinkListResponse", ReconnectionLinkSerializer(many=True)
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        now = timezone.now()
        return success([_link_data(link, now) for link in reconnection_links_of(integration)])


class ReconnectionLinkRevokeView(KomboApiView):
    @extend_schema(
        operation_id="DeleteReconnectionLinksLinkId",
        summary="Revoke a reconnection link",
        description="An unused link stops working at once. Not part of Kombo's API.",
        tags=["General"],
        parameters=[OpenApiParameter("link_id", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={
            200: success_envelope(
                "RevokeLinkResponse", serializers.DictField(help_text='`{"revoked": bool}`')
            ),
            **ERRORS,
        },
    )
    def delete(self, request: Request, link_id: str) -> Response:
        link = (
            reconnection_link_get(
                environment_id=self.api_key(request).environment_id, link_id=link_id
            )
            if is_possible_id(link_id)
            else None
        )
        if link is None:
            raise InputNotFound(
                title="Not found",
                message="No reconnection link with that ID exists in this environment.",
            )
        revoked = relink_link_revoke(link=link, actor=Actor.api_key(self.api_key(request)))
        return success({"revoked": revoked})


class IntegrationByTokenSerializer(serializers.Serializer):
    tool = serializers.CharField()
    id = serializers.CharField()
    end_user_origin_id = serializers.CharField(allow_null=True)
    end_user_organization_name = serializers.CharField()
    end_user_email = serializers.CharField(allow_null=True)
    setup_status = serializers.CharField()


class IntegrationByTokenView(KomboApiView):
    @extend_schema(
        operation_id="GetConnectIntegrationByTokenToken",
        summary="Get integration by activation token",
        description="Exchange the activation token an embedded connection flow handed to your "
        "frontend for the integration. Valid once, for 10 minutes.",
        tags=["Connect"],
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={
            200: success_envelope("IntegrationByTokenResponse", IntegrationByTokenSerializer()),
            **ERRORS,
        },
    )
    def get(self, request: Request, token: str) -> Response:
        integration = activation_token_exchange(
            environment_id=self.api_key(request).environment_id, token=token
        )
        if integration is None:
            raise InputNotFound(
                title="Token invalid",
                message="The activation token is unknown, expired or already used.",
            )
        request._request.kombo_integration_id = integration.pk  # type: ignore[attr-defined]
        return success(
            {
                "tool": integration.tool,
                "id": integration.pk,
                "end_user_origin_id": integration.origin_id,
                "end_user_organization_name": integration.organization_name,
                "end_user_email": integration.creator_email,
                "setup_status": integration.setup_status,
            }
        )


class CreateLinkRequestSerializer(serializers.Serializer):
    """Kombo's create-link body; the filtering/field-mapping/static-IP switches are accepted
    and have no effect here."""

    end_user_email = serializers.EmailField()
    end_user_organization_name = serializers.CharField(max_length=300)
    end_user_origin_id = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=300
    )
    remote_environment = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    integration_category = serializers.ChoiceField(
        choices=INTEGRATION_CATEGORIES, required=False, default="HRIS"
    )
    integration_tool = serializers.CharField(required=False, allow_null=True, max_length=64)
    language = serializers.ChoiceField(
        choices=LinkLanguage.choices, required=False, allow_null=True, default="en"
    )
    scope_config_id = serializers.CharField(required=False, allow_null=True, max_length=32)
    enable_filtering = serializers.BooleanField(required=False, default=False)
    enable_field_mapping = serializers.BooleanField(required=False, default=False)
    enable_static_ips = serializers.BooleanField(required=False, default=False)
    link_type = serializers.ChoiceField(
        choices=LinkType.choices, required=False, default=LinkType.EMBEDDED
    )


class CreateLinkView(KomboApiView):
    @extend_schema(
        operation_id="PostConnectCreateLink",
        summary="Create connection link",
        description="A link through which your customer connects a new integration: the tool "
        "is fixed with `integration_tool`, or the customer picks it.",
        tags=["Connect"],
        request=CreateLinkRequestSerializer,
        responses={
            200: success_envelope("CreateLinkResponse", RelinkLinkSerializer()),
            **ERRORS_WITH_BODY,
        },
    )
    def post(self, request: Request) -> Response:
        body = CreateLinkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        environment_id = self.api_key(request).environment_id
        if data["integration_category"] != "HRIS":
            raise InputInvalid("integration_category: Only HRIS tools are available.")
        tool_id = data.get("integration_tool") or None
        if tool_id is not None and tool_id not in TOOLS:
            raise InputInvalid(f"integration_tool: Unknown tool {tool_id!r}.")
        try:
            scope = connect_target_scope_config(
                environment_id=environment_id, scope_config_id=data.get("scope_config_id")
            )
        except ScopeConfigNotFoundError:
            raise InputInvalid(
                "scope_config_id: No such scope config in this environment (and no default)."
            ) from None
        _, url = connect_link_create(
            environment_id=environment_id,
            organization_name=data["end_user_organization_name"],
            email=data["end_user_email"],
            origin_id=data.get("end_user_origin_id") or None,
            scope_config=scope,
            link_type=data["link_type"],
            language=data.get("language") or "en",
            tool_id=tool_id,
            actor=Actor.api_key(self.api_key(request)),
        )
        return success({"link": url})

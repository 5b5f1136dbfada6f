"""Force-sync (Kombo's), sync history and auth checks (ours)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import InputInvalid, InputNotFound, KomboApiError
from core.api.pagination import is_possible_id, keyset_page, page_data
from core.api.serializers import ErrorEnvelopeSerializer, success_envelope
from core.api.views import ERRORS_WITH_BODY, KomboApiView, success
from core.timestamps import iso_timestamp
from integrations.api.views import INTEGRATION_ID_PARAMETER, IntegrationApiView
from integrations.models import Integration, SyncRefusal
from integrations.selectors.integrations import integration_wanted_fields
from integrations.tools import tool_get
from syncs.api.representations import sync_representation
from syncs.api.serializers import (
    AuthCheckResultSerializer,
    ForceSyncResultSerializer,
    ForceSyncSerializer,
    SyncListParamsSerializer,
    SyncPageSerializer,
    SyncSerializer,
)
from syncs.models import AuthCheckTrigger, SyncTrigger
from syncs.selectors.syncs import (
    sync_get,
    sync_list,
)
from syncs.services import SyncRefusedError, auth_check_run, sync_force

INTEGRATION_HEADER = OpenApiParameter(
    "X-Integration-Id",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ID of the integration to act on.",
)
ERRORS = dict.fromkeys((400, 401, 404), ErrorEnvelopeSerializer)
# What a developer reads when `POST /force-sync` is refused: (title, message).
SYNC_REFUSALS = {
    SyncRefusal.DISABLED: (
        "Integration inactive",
        "The integration is disabled; enable it "
        "(PUT /integrations/{integration_id}/enabled) before syncing.",
    ),
    SyncRefusal.CREDENTIALS_INVALID: (
        "Credentials invalid",
        "The integration's credentials are invalid and its syncs are paused; "
        "the customer must reconnect it through a reconnection link.",
    ),
}


class IntegrationHeaderView(IntegrationApiView):
    def integration_from_header(self, request: Request) -> Integration:
        integration_id = request.headers.get("X-Integration-Id", "").strip()
        if not integration_id:
            raise InputInvalid("X-Integration-Id: This header is required.")
        return self.get_integration(request, integration_id)


class ForceSyncView(IntegrationHeaderView):
    @extend_schema(
        operation_id="PostForceSync",
        summary="Trigger sync",
        description="Queue a sync now. If one is already queued or running, it is returned "
        "with `already_queued: true` instead of a second one.",
        tags=["General"],
        parameters=[INTEGRATION_HEADER],
        request=ForceSyncSerializer,
        responses={
            200: success_envelope("ForceSyncResponse", ForceSyncResultSerializer()),
            **ERRORS_WITH_BODY,
        },
    )
    def post(self, request: Request) -> Response:
        integration = self.integration_from_header(request)
        body = ForceSyncSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            sync, created = sync_force(
                integration=integration,
                sync_type=body.validated_data["type"],
                trigger=SyncTrigger.API,
            )
        except SyncRefusedError as refused:
            # `trigger_sync` is a general endpoint: the SDK parses only the PLATFORM.* codes of
            # KomboGeneralError there, so the integration's state is told in title and message.
            title, message = SYNC_REFUSALS[refused.refusal]
            raise KomboApiError(
                status_code=400, code="PLATFORM.INPUT_INVALID", title=title, message=message
            ) from None
        return success({"already_queued": not created, "sync_id": sync.pk, "type": sync.type})


class IntegrationSyncListView(IntegrationApiView):
    @extend_schema(
        operation_id="GetIntegrationsIntegrationIdSyncs",
        summary="List syncs",
        description="The integration's syncs, newest first. Not part of Kombo's API.",
        tags=["Syncs"],
        parameters=[INTEGRATION_ID_PARAMETER, SyncListParamsSerializer],
        responses={200: success_envelope("SyncListResponse", SyncPageSerializer()), **ERRORS},
    )
    def get(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        params = SyncListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows, next_cursor = keyset_page(
            sync_list(integration=integration),
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        return success(page_data([sync_representation(row) for row in rows], next_cursor))


class SyncDetailView(KomboApiView):
    @extend_schema(
        operation_id="GetSyncsSyncId",
        summary="Get a sync",
        description="One sync with its counts, warnings and error. Not part of Kombo's API.",
        tags=["Syncs"],
        parameters=[OpenApiParameter("sync_id", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: success_envelope("SyncDetailResponse", SyncSerializer()), **ERRORS},
    )
    def get(self, request: Request, sync_id: str) -> Response:
        sync = (
            sync_get(environment_id=self.api_key(request).environment_id, sync_id=sync_id)
            if is_possible_id(sync_id)
            else None
        )
        if sync is None or sync.integration.deleted_at is not None:
            raise InputNotFound(
                title="Sync not found",
                message=f"No sync with the ID {sync_id[:32]!r} exists in this environment.",
            )
        request._request.kombo_integration_id = sync.integration_id  # type: ignore[attr-defined]
        return success(sync_representation(sync))


class IntegrationCheckAuthView(IntegrationApiView):
    @extend_schema(
        operation_id="PostIntegrationsIntegrationIdCheckAuth",
        summary="Check authentication now",
        description="Check the integration's credentials against its tool right away, outside "
        "a sync. A paused INVALID integration whose check succeeds becomes ACTIVE again. "
        "Not part of Kombo's API.",
        tags=["Syncs"],
        parameters=[INTEGRATION_ID_PARAMETER],
        request=None,
        responses={
            200: success_envelope("CheckAuthResponse", AuthCheckResultSerializer()),
            **ERRORS,
        },
    )
    def post(self, request: Request, integration_id: str) -> Response:
        integration = self.get_integration(request, integration_id)
        run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
        integration.refresh_from_db()
        tool = tool_get(integration.tool)
        gaps = (
            tool.scope_permission_gaps(
                scope=integration_wanted_fields(integration=integration),
                granted=run.result.granted_permissions,
            )
            if run.result.outcome == "OK"
            else {}
        )
        missing = [gap.message for model_gaps in gaps.values() for gap in model_gaps]
        return success(
            {
                "outcome": run.check.outcome,
                "message": run.check.message or None,
                "granted_permissions": run.check.granted_permissions,
                "missing_permissions": missing,
                "checked_at": iso_timestamp(run.check.created_at),
                "latency_ms": run.check.latency_ms,
                "integration_status": integration.status,
            }
        )

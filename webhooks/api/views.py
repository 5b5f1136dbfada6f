"""Webhook endpoints and the delivery log (ours, not Kombo's). Thin: validate, call a service,
serialize. Everything is scoped to the API key's environment; another environment's endpoint
or delivery is "not found"."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import InputInvalid, InputNotFound
from core.api.pagination import is_possible_id, keyset_page, page_data
from core.api.serializers import ErrorEnvelopeSerializer, PageParamsSerializer, success_envelope
from core.api.views import EMPTY_SUCCESS, ERRORS_WITH_BODY, KomboApiView, success
from webhooks.api.serializers import (
    MAX_ID_LENGTH,
    WebhookDeliveryDetailSerializer,
    WebhookDeliveryListParamsSerializer,
    WebhookDeliveryPageSerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointPageSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookRedeliverSerializer,
    WebhookSecretRotatedSerializer,
    WebhookTestEventSerializer,
)
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.selectors import delivery_get, delivery_list, endpoint_get
from webhooks.services import (
    delivery_redeliver,
    endpoint_create,
    endpoint_delete,
    endpoint_rotate_secret,
    endpoint_send_test,
    endpoint_update,
)
from webhooks.urlsafety import UnsafeUrlError

TAGS = ["Webhooks"]
ERRORS_400_401 = dict.fromkeys((400, 401), ErrorEnvelopeSerializer)
ERRORS_401_404 = dict.fromkeys((401, 404), ErrorEnvelopeSerializer)
ERRORS_CREATE = dict.fromkeys((400, 401, 413, 415), ErrorEnvelopeSerializer)
ENDPOINT_ID_PARAMETER = OpenApiParameter(
    "endpoint_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The endpoint's ID."
)
DELIVERY_ID_PARAMETER = OpenApiParameter(
    "delivery_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The delivery's ID."
)


class WebhookNotFound(InputNotFound):
    def __init__(self, kind: str, object_id: str) -> None:
        super().__init__(
            title="Not found",
            message=f"No webhook {kind} with the ID {object_id[:MAX_ID_LENGTH]!r} exists in "
            "this environment.",
        )


class WebhookApiView(KomboApiView):
    def get_endpoint(self, request: Request, endpoint_id: str) -> WebhookEndpoint:
        endpoint = endpoint_get(endpoint_id=endpoint_id) if is_possible_id(endpoint_id) else None
        if endpoint is None or endpoint.environment_id != self.api_key(request).environment_id:
            raise WebhookNotFound("endpoint", endpoint_id)
        return endpoint

    def get_delivery(self, request: Request, delivery_id: str) -> WebhookDelivery:
        """The delivery with its event, endpoint and attempts."""
        delivery = delivery_get(delivery_id=delivery_id) if is_possible_id(delivery_id) else None
        if (
            delivery is None
            or delivery.endpoint.environment_id != self.api_key(request).environment_id
        ):
            raise WebhookNotFound("delivery", delivery_id)
        return delivery


def _unsafe_url(error: UnsafeUrlError) -> InputInvalid:
    return InputInvalid(f"url: {error}")


def _endpoint_data(endpoint: WebhookEndpoint) -> dict[str, object]:
    return dict(WebhookEndpointSerializer(endpoint).data)


def _uncacheable(response: Response) -> Response:
    """A response carrying a signing secret: no cache along the way may keep a copy."""
    response["Cache-Control"] = "no-store"
    return response


class WebhookEndpointListView(WebhookApiView):
    @extend_schema(
        operation_id="GetWebhooksEndpoints",
        summary="List webhook endpoints",
        description="The webhook endpoints of the API key's environment, newest first. "
        "Signing secrets are never listed.",
        tags=TAGS,
        parameters=[PageParamsSerializer],
        responses={
            200: success_envelope("WebhookEndpointListResponse", WebhookEndpointPageSerializer()),
            **ERRORS_400_401,
        },
    )
    def get(self, request: Request) -> Response:
        params = PageParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows, next_cursor = keyset_page(
            WebhookEndpoint.objects.filter(environment_id=self.api_key(request).environment_id),
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        page = page_data(rows, next_cursor)
        return success(WebhookEndpointPageSerializer(page).data)

    @extend_schema(
        operation_id="PostWebhooksEndpoints",
        summary="Create a webhook endpoint",
        description="Register a URL to receive events. The response carries the signing "
        "secret; it is never shown again (rotate it to get a new one).",
        tags=TAGS,
        request=WebhookEndpointCreateSerializer,
        responses={
            200: success_envelope(
                "WebhookEndpointCreatedResponse", WebhookEndpointCreatedSerializer()
            ),
            **ERRORS_CREATE,
        },
    )
    def post(self, request: Request) -> Response:
        body = WebhookEndpointCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            endpoint, secret = endpoint_create(
                environment_id=self.api_key(request).environment_id, **body.validated_data
            )
        except UnsafeUrlError as error:
            raise _unsafe_url(error) from None
        return _uncacheable(success({**_endpoint_data(endpoint), "secret": secret}))


class WebhookEndpointDetailView(WebhookApiView):
    @extend_schema(
        operation_id="GetWebhooksEndpointsEndpointId",
        summary="Get a webhook endpoint",
        tags=TAGS,
        parameters=[ENDPOINT_ID_PARAMETER],
        responses={
            200: success_envelope("WebhookEndpointResponse", WebhookEndpointSerializer()),
            **ERRORS_401_404,
        },
    )
    def get(self, request: Request, endpoint_id: str) -> Response:
        return success(_endpoint_data(self.get_endpoint(request, endpoint_id)))

    @extend_schema(
        operation_id="PatchWebhooksEndpointsEndpointId",
        summary="Update a webhook endpoint",
        description="Change the URL, description, subscribed event types or enabled state; "
        "fields left out stay as they are.",
        tags=TAGS,
        parameters=[ENDPOINT_ID_PARAMETER],
        request=WebhookEndpointUpdateSerializer,
        responses={
            200: success_envelope("WebhookEndpointUpdatedResponse", WebhookEndpointSerializer()),
            **ERRORS_WITH_BODY,
        },
    )
    def patch(self, request: Request, endpoint_id: str) -> Response:
        endpoint = self.get_endpoint(request, endpoint_id)
        body = WebhookEndpointUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            endpoint = endpoint_update(endpoint=endpoint, **body.validated_data)
        except UnsafeUrlError as error:
            raise _unsafe_url(error) from None
        return success(_endpoint_data(endpoint))

    @extend_schema(
        operation_id="DeleteWebhooksEndpointsEndpointId",
        summary="Delete a webhook endpoint",
        description="Delete the endpoint with its deliveries; nothing more is sent to it.",
        tags=TAGS,
        parameters=[ENDPOINT_ID_PARAMETER],
        responses={200: EMPTY_SUCCESS, **ERRORS_401_404},
    )
    def delete(self, request: Request, endpoint_id: str) -> Response:
        endpoint_delete(endpoint=self.get_endpoint(request, endpoint_id))
        return success({})


class WebhookEndpointRotateSecretView(WebhookApiView):
    @extend_schema(
        operation_id="PostWebhooksEndpointsEndpointIdRotateSecret",
        summary="Rotate a webhook endpoint's secret",
        description="Issue a new signing secret, shown in this response only. For 24 hours "
        "deliveries are signed with both the old and the new secret, so receivers can switch "
        "without dropping events.",
        tags=TAGS,
        parameters=[ENDPOINT_ID_PARAMETER],
        request=None,
        responses={
            200: success_envelope("WebhookSecretRotatedResponse", WebhookSecretRotatedSerializer()),
            **ERRORS_401_404,
        },
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = self.get_endpoint(request, endpoint_id)
        secret = endpoint_rotate_secret(endpoint=endpoint)
        rotated = {
            "secret": secret,
            "previous_secret_expires_at": endpoint.secret_previous_expires_at,
        }
        return _uncacheable(success(WebhookSecretRotatedSerializer(rotated).data))


class WebhookEndpointTestView(WebhookApiView):
    @extend_schema(
        operation_id="PostWebhooksEndpointsEndpointIdTest",
        summary="Send a test event",
        description="Send an event of type `test` to this endpoint only, signed like any other.",
        tags=TAGS,
        parameters=[ENDPOINT_ID_PARAMETER],
        request=None,
        responses={
            200: success_envelope("WebhookTestEventResponse", WebhookTestEventSerializer()),
            **ERRORS_401_404,
        },
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        event = endpoint_send_test(endpoint=self.get_endpoint(request, endpoint_id))
        delivery = event.deliveries.get()
        return success({"event_id": event.pk, "delivery_id": delivery.pk})


class WebhookDeliveryListView(WebhookApiView):
    @extend_schema(
        operation_id="GetWebhooksDeliveries",
        summary="List webhook deliveries",
        description="Deliveries of events to the environment's endpoints, newest first.",
        tags=TAGS,
        parameters=[WebhookDeliveryListParamsSerializer],
        responses={
            200: success_envelope("WebhookDeliveryListResponse", WebhookDeliveryPageSerializer()),
            **ERRORS_400_401,
        },
    )
    def get(self, request: Request) -> Response:
        params = WebhookDeliveryListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = {
            name: params.validated_data.get(name)
            for name in ("endpoint_id", "event_type", "status", "integration_id")
        }
        deliveries = delivery_list(**filters).filter(
            endpoint__environment_id=self.api_key(request).environment_id
        )
        rows, next_cursor = keyset_page(
            deliveries,
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        page = page_data(rows, next_cursor)
        return success(WebhookDeliveryPageSerializer(page).data)


class WebhookDeliveryDetailView(WebhookApiView):
    @extend_schema(
        operation_id="GetWebhooksDeliveriesDeliveryId",
        summary="Get a webhook delivery",
        description="One delivery with the event payload it sends and every attempt made.",
        tags=TAGS,
        parameters=[DELIVERY_ID_PARAMETER],
        responses={
            200: success_envelope(
                "WebhookDeliveryDetailResponse", WebhookDeliveryDetailSerializer()
            ),
            **ERRORS_401_404,
        },
    )
    def get(self, request: Request, delivery_id: str) -> Response:
        delivery = self.get_delivery(request, delivery_id)
        return success(WebhookDeliveryDetailSerializer(delivery).data)


class WebhookDeliveryRedeliverView(WebhookApiView):
    @extend_schema(
        operation_id="PostWebhooksDeliveriesDeliveryIdRedeliver",
        summary="Redeliver a webhook delivery",
        description="Send a delivered or failed delivery again now, as a new attempt.",
        tags=TAGS,
        parameters=[DELIVERY_ID_PARAMETER],
        request=None,
        responses={
            200: success_envelope("WebhookRedeliverResponse", WebhookRedeliverSerializer()),
            **ERRORS_401_404,
        },
    )
    def post(self, request: Request, delivery_id: str) -> Response:
        delivery = self.get_delivery(request, delivery_id)
        return success({"redelivered": delivery_redeliver(delivery=delivery)})

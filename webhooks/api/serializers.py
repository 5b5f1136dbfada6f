"""Request parameters and response shapes of the webhooks API.

No response shape has a field for a signing secret: the secret appears only in the bodies of
endpoint creation and secret rotation, added there by the view.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import PageParamsSerializer, StrictBooleanField, StrictInputSerializer
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import EVENT_TYPES, TEST_EVENT_TYPE

DELIVERY_EVENT_TYPES = (*EVENT_TYPES, TEST_EVENT_TYPE)
MAX_URL_LENGTH = 2000
# Path and filter ids longer than the columns cannot exist, so they never reach a query.
MAX_ID_LENGTH = 32
MAX_INTEGRATION_ID_LENGTH = 80
EVENT_TYPES_HELP = "The event types sent to this endpoint; empty means every type."


class BlankAsNullField(serializers.CharField):
    """A text column where `""` means "none": sent as `null`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value: str) -> str | None:  # type: ignore[override]
        return value or None


# --- Endpoints ------------------------------------------------------------------------------------


class WebhookEndpointCreateSerializer(StrictInputSerializer):
    url = serializers.URLField(
        max_length=MAX_URL_LENGTH,
        help_text="http:// or https:// to a public address; private, loopback and link-local "
        "targets are refused unless the server allows them.",
    )
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES),
        required=False,
        default=list,
        max_length=len(EVENT_TYPES),
        help_text=EVENT_TYPES_HELP,
    )


class WebhookEndpointUpdateSerializer(StrictInputSerializer):
    """Only the fields sent are changed."""

    url = serializers.URLField(max_length=MAX_URL_LENGTH, required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES),
        required=False,
        max_length=len(EVENT_TYPES),
        help_text=EVENT_TYPES_HELP,
    )
    enabled = StrictBooleanField(
        required=False,
        help_text="`false` stops deliveries to the endpoint; `true` re-enables one that was "
        "disabled (by an operator, a 410 answer or five days of failures).",
    )


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.CharField()
    url = serializers.URLField()
    description = serializers.CharField()
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), help_text=EVENT_TYPES_HELP
    )
    enabled = serializers.BooleanField()
    disabled_reason = BlankAsNullField()
    disabled_at = serializers.DateTimeField(allow_null=True)
    failing_since = serializers.DateTimeField(
        allow_null=True,
        help_text="Since when every delivery has failed; `null` after a success.",
    )
    previous_secret_expires_at = serializers.DateTimeField(
        source="secret_previous_expires_at",
        allow_null=True,
        help_text="After a secret rotation, the previous secret signs too until this time.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (`whsec_...`). Shown in this response only: store it now."
    )


class WebhookEndpointPageSerializer(serializers.Serializer):
    next = serializers.CharField(
        allow_null=True, help_text="Pass as `cursor` to get the next page; `null` on the last page."
    )
    results = WebhookEndpointSerializer(many=True)


class WebhookSecretRotatedSerializer(serializers.Serializer):
    secret = serializers.CharField(
        help_text="The new signing secret (`whsec_...`). Shown in this response only."
    )
    previous_secret_expires_at = serializers.DateTimeField(
        help_text="Until then deliveries carry signatures with both the old and the new secret."
    )


class WebhookTestEventSerializer(serializers.Serializer):
    event_id = serializers.CharField(help_text="The `id` of the test event (`type: test`).")
    delivery_id = serializers.CharField(help_text="Its delivery to this endpoint.")


# --- Deliveries -----------------------------------------------------------------------------------


class WebhookDeliveryListParamsSerializer(PageParamsSerializer):
    """Filters; one left empty filters nothing."""

    endpoint_id = serializers.CharField(required=False, allow_blank=True, max_length=MAX_ID_LENGTH)
    event_type = serializers.ChoiceField(
        choices=DELIVERY_EVENT_TYPES, required=False, allow_blank=True
    )
    status = serializers.ChoiceField(
        choices=DeliveryStatus.choices, required=False, allow_blank=True
    )
    integration_id = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_INTEGRATION_ID_LENGTH
    )


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.CharField()
    event_id = serializers.CharField()
    event_type = serializers.ChoiceField(choices=DELIVERY_EVENT_TYPES)
    endpoint_id = serializers.CharField()
    integration_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempt_count = serializers.IntegerField()
    next_attempt_at = serializers.SerializerMethodField()
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = BlankAsNullField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    @extend_schema_field(
        serializers.DateTimeField(
            allow_null=True,
            help_text="When the next attempt is due; `null` once delivered or given up.",
        )
    )
    def get_next_attempt_at(self, delivery: WebhookDelivery) -> str | None:
        if delivery.status not in (DeliveryStatus.PENDING, DeliveryStatus.IN_FLIGHT):
            return None
        return serializers.DateTimeField().to_representation(delivery.next_attempt_at)


class WebhookDeliveryPageSerializer(serializers.Serializer):
    next = serializers.CharField(
        allow_null=True, help_text="Pass as `cursor` to get the next page; `null` on the last page."
    )
    results = WebhookDeliverySerializer(many=True)


class WebhookAttemptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    succeeded = serializers.BooleanField()
    status_code = serializers.IntegerField(allow_null=True)
    latency_ms = serializers.IntegerField()
    response_excerpt = serializers.CharField(
        help_text="The start of the response body (up to 2 KiB)."
    )
    error_class = BlankAsNullField()
    error_message = BlankAsNullField()
    request_headers = serializers.DictField(
        child=serializers.CharField(), help_text="The headers sent, signatures included."
    )


class WebhookDeliveryDetailSerializer(serializers.Serializer):
    delivery = WebhookDeliverySerializer(source="*")
    payload = serializers.DictField(
        source="event.payload", help_text="The event as sent: `{id, type, data}`."
    )
    attempts = WebhookAttemptSerializer(many=True, help_text="Oldest first.")


class WebhookRedeliverSerializer(serializers.Serializer):
    redelivered = serializers.BooleanField(
        help_text="`false` when the delivery is still pending or being sent: nothing to redo."
    )

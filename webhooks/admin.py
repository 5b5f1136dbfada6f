"""Webhook events (the outbox): view-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin
from webhooks import services
from webhooks.models import (
    InspectorRequest,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "integration_id", "environment_id", "created_at"]
    list_filter = ["type"]
    search_fields = ["id", "integration_id"]


class WebhookEndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ["description", "event_types"]

    def clean_event_types(self) -> list[str]:
        try:
            return services.endpoint_event_types_checked(self.cleaned_data["event_types"] or [])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "environment_id", "enabled", "failing_since", "created_at"]
    list_filter = ["enabled"]
    # The secrets are encrypted and never shown; create and rotate them in the dashboard.
    exclude = ["secret_encrypted", "secret_previous_encrypted"]
    # URL and enabled change through the dashboard/API services (URL check, bookkeeping).
    readonly_fields = [
        "url",
        "enabled",
        "environment_id",
        "secret_previous_expires_at",
        "failing_since",
        "disabled_reason",
        "disabled_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool
    ) -> None:
        # Through the service, as the dashboard saves: the row is locked and only these two
        # fields are written, so a concurrent rotation or auto-disable is kept.
        services.endpoint_update(
            endpoint=obj,
            description=form.cleaned_data["description"],
            event_types=form.cleaned_data["event_types"],
        )

    def delete_model(self, request: HttpRequest, obj: WebhookEndpoint) -> None:
        services.endpoint_delete(endpoint=obj)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "event_type", "endpoint", "status", "attempt_count", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["id", "integration_id", "event__id"]
    list_select_related = ["endpoint"]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "number", "status_code", "latency_ms", "error_class", "started_at"]
    list_filter = ["status_code"]


@admin.register(InspectorRequest)
class InspectorRequestAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "bin_id", "method", "remote_addr", "body_truncated"]
    list_filter = ["method"]
    search_fields = ["bin_id"]

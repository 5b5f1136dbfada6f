"""Forms of the webhooks pages: input parsing only, the writes happen in services."""

from __future__ import annotations

from typing import Any

from django import forms

from webhooks.models import DeliveryStatus
from webhooks.services import EVENT_TYPES, TEST_EVENT_TYPE

EVENT_TYPE_CHOICES = [(t, t) for t in EVENT_TYPES]


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/webhooks/kombo"}),
    )
    description = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Production backend"}),
    )
    event_types = forms.MultipleChoiceField(
        label="Event types",
        required=False,
        choices=EVENT_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="None checked: every event type, including ones added later.",
    )


class EndpointCreateForm(EndpointForm):
    environment = forms.ChoiceField()

    field_order = ["url", "description", "environment", "event_types"]

    def __init__(self, *args: Any, environments: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["environment"].choices = list(environments.items())  # type: ignore[attr-defined]


class DeliveryFilterForm(forms.Form):
    endpoint = forms.ChoiceField(required=False)
    event_type = forms.ChoiceField(
        required=False,
        label="Event type",
        choices=[("", "Any event type"), *EVENT_TYPE_CHOICES, (TEST_EVENT_TYPE, TEST_EVENT_TYPE)],
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *DeliveryStatus.choices]
    )
    integration_id = forms.CharField(required=False, max_length=80, label="Integration ID")

    def __init__(self, *args: Any, endpoints: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].choices = [("", "All endpoints"), *endpoints]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "endpoint_id": data.get("endpoint") or None,
            "event_type": data.get("event_type") or None,
            "status": data.get("status") or None,
            "integration_id": (data.get("integration_id") or "").strip() or None,
        }


class RedeliverFailedForm(forms.Form):
    since = forms.DateTimeField(
        label="Failed since",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    endpoint = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, endpoints: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].choices = [("", "All endpoints"), *endpoints]  # type: ignore[attr-defined]

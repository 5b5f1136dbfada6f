"""Forms of the API key and request log pages: input parsing only, the writes happen in
services."""

from __future__ import annotations

from typing import Any

from django import forms

from core.models import Environment


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Backend production"}),
    )
    environment = forms.ModelChoiceField(
        queryset=Environment.objects.order_by("name"),
        to_field_name="name",
        empty_label=None,
    )


class RequestLogFilterForm(forms.Form):
    integration_id = forms.CharField(required=False, max_length=80, label="Integration ID")
    status_code = forms.IntegerField(
        required=False, min_value=100, max_value=599, label="Status code"
    )
    path = forms.CharField(
        required=False,
        max_length=500,
        label="Path contains",
        widget=forms.TextInput(attrs={"placeholder": "/api/v1/hris/employees"}),
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "integration_id": (data.get("integration_id") or "").strip() or None,
            "status_code": data.get("status_code"),
            "path": (data.get("path") or "").strip() or None,
        }

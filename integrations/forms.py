"""Forms of the operator dashboard: input parsing only, the writes happen in services."""

from __future__ import annotations

from typing import Any

from django import forms

from integrations.models import (
    Environment,
    Integration,
    LinkLanguage,
    LinkType,
    ScopeConfig,
)
from integrations.selectors.dashboard import HealthState, IntegrationSort
from integrations.selectors.scope_configs import scope_configs_of_environment
from integrations.tools import TOOLS
from integrations.words import LINK_TYPE_LABELS, language_name


class IntegrationFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=300,
        label="Search",
        widget=forms.SearchInput(
            attrs={"placeholder": "Organisation, email, origin ID or integration ID"}
        ),
    )
    environment = forms.ModelChoiceField(
        queryset=Environment.objects.order_by("name"),
        to_field_name="name",
        required=False,
        empty_label="All environments",
    )
    state = forms.ChoiceField(
        required=False,
        choices=[("", "Any state"), *((state.value, state.label) for state in HealthState)],
    )
    tool = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            (IntegrationSort.NEWEST.value, "Newest first"),
            (IntegrationSort.OLDEST.value, "Oldest first"),
            (IntegrationSort.ORGANIZATION.value, "Organisation A–Z"),
            (IntegrationSort.ORGANIZATION_DESC.value, "Organisation Z–A"),
            (IntegrationSort.LAST_SYNC.value, "Last sync, newest first"),
            (IntegrationSort.LAST_SYNC_OLDEST.value, "Last sync, oldest first"),
            (IntegrationSort.PAUSE_SOONEST.value, "Pausing soonest"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tool_choices = sorted((tool.id, tool.label) for tool in TOOLS.values())
        self.fields["tool"].choices = [("", "Any tool"), *tool_choices]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "environment": data.get("environment"),
            "state": HealthState(data["state"]) if data.get("state") else None,
            "tool": data.get("tool") or None,
            "search": (data.get("q") or "").strip() or None,
        }

    def sort_order(self) -> IntegrationSort:
        self.is_valid()
        sort = getattr(self, "cleaned_data", {}).get("sort")
        return IntegrationSort(sort) if sort else IntegrationSort.NEWEST


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


class RelinkForm(forms.Form):
    link_type = forms.ChoiceField(
        choices=[
            (link_type, LINK_TYPE_LABELS[link_type])
            for link_type in (LinkType.MAGIC_LINK, LinkType.EMBEDDED)
        ],
        initial=LinkType.MAGIC_LINK,
        widget=forms.RadioSelect,
    )
    scope_config = forms.ChoiceField(
        required=False,
        help_text="With another scope config, the integration moves to it once the customer "
        "completes the link; until then syncs keep the current one.",
    )
    language = forms.ChoiceField(
        choices=[(code, language_name(code)) for code in LinkLanguage.values],
        initial="en",
        label="Customer's language",
        help_text="The hosted form and the email are in this language.",
    )
    send_email = forms.BooleanField(required=False, label="Email the link to the customer")

    def __init__(self, *args: Any, integration: Integration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not integration.creator_email:
            del self.fields["send_email"]
        self.scope_configs = {
            config.pk: config
            for config in scope_configs_of_environment(environment_id=integration.environment_id)
        }
        others = [
            (pk, config.name)
            for pk, config in self.scope_configs.items()
            if pk != integration.scope_config_id
        ]
        keep = ("", f"Keep the current one ({integration.scope_config.name})")
        field = self.fields["scope_config"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [keep, ("Move to", others)] if others else [keep]

    def clean_scope_config(self) -> ScopeConfig | None:
        scope_config_id: str = self.cleaned_data["scope_config"]
        return self.scope_configs[scope_config_id] if scope_config_id else None

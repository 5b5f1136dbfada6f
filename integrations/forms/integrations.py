"""The integration list's filters: input parsing only, the reads happen in selectors."""

from __future__ import annotations

from typing import Any

from django import forms

from core.models import Environment
from integrations.selectors.dashboard import HealthState, IntegrationSort
from integrations.tools import TOOLS


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

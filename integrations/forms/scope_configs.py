"""Forms of the scope config pages: input parsing only, the writes happen in services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet

from core.models import Environment
from integrations.models import (
    Integration,
    IntegrationStatus,
    LinkLanguage,
    ScopeConfig,
    ScopeSetting,
)
from integrations.read_models import READ_MODELS, ReadModel
from integrations.selectors import scope_configs as selectors
from integrations.selectors.scope_configs import ToolSupport
from integrations.tools import TOOLS


class ScopeConfigCreateForm(forms.Form):
    name = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": "e.g. Payroll (wide)"})
    )
    environment = forms.ModelChoiceField(
        queryset=Environment.objects.order_by("name"), to_field_name="name", empty_label=None
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, environment = data.get("name"), data.get("environment")
        if (
            name
            and environment
            and selectors.scope_config_name_taken(environment=environment, name=name)
        ):
            self.add_error("name", "A scope config with this name already exists here.")
        return data


def model_key(model_id: str) -> str:
    return f"model-{model_id}"


def field_key(model_id: str, field_id: str) -> str:
    return f"field-{model_id}-{field_id}"


@dataclass(frozen=True)
class EditorField:
    id: str
    setting: forms.BoundField
    tools: tuple[ToolSupport, ...]


@dataclass(frozen=True)
class EditorModel:
    model: ReadModel
    setting: forms.BoundField
    tools: tuple[ToolSupport, ...]
    fields: tuple[EditorField, ...]


class ScopeConfigEditForm(forms.Form):
    """The name, and one ENABLED/DISABLED/OPTIONAL select per read model and per field.

    A field keeps its own setting while its model is DISABLED, so turning the model back on
    restores the choices made before.
    """

    name = forms.CharField(max_length=200)

    def __init__(self, *args: Any, scope_config: ScopeConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_config = scope_config
        self.fields["name"].initial = scope_config.name
        stored: dict[str, Any] = scope_config.settings or {}
        for model in READ_MODELS.values():
            self.fields[model_key(model.id)] = forms.ChoiceField(
                choices=ScopeSetting.choices,
                initial=scope_config.model_setting(model.id),
                label=model.label,
            )
            field_settings = (stored.get(model.id) or {}).get("fields") or {}
            for field_id in model.fields:
                self.fields[field_key(model.id, field_id)] = forms.ChoiceField(
                    choices=ScopeSetting.choices,
                    initial=field_settings.get(field_id, ScopeSetting.DISABLED),
                    label=field_id,
                )

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if selectors.scope_config_name_taken(
            environment=self.scope_config.environment_id, name=name, exclude=self.scope_config
        ):
            raise forms.ValidationError("Another scope config of this environment has this name.")
        return name

    def settings(self) -> dict[str, Any]:
        """The submitted settings in the stored shape (call after `is_valid()`)."""
        data = self.cleaned_data
        return {
            model.id: {
                "setting": data[model_key(model.id)],
                "fields": {
                    field_id: data[field_key(model.id, field_id)] for field_id in model.fields
                },
            }
            for model in READ_MODELS.values()
        }

    def sections(self) -> list[tuple[str, list[EditorModel]]]:
        """Per category: each read model's select and its fields', with what each tool reads."""
        return [
            (
                category,
                [
                    EditorModel(
                        model=support.model,
                        setting=self[model_key(support.model.id)],
                        tools=support.tools,
                        fields=tuple(
                            EditorField(
                                id=field.id,
                                setting=self[field_key(support.model.id, field.id)],
                                tools=field.tools,
                            )
                            for field in support.fields
                        ),
                    )
                    for support in models
                ],
            )
            for category, models in selectors.read_model_tool_support()
        ]


def _tool_choices() -> list[tuple[str, str]]:
    return sorted(((tool.id, tool.label) for tool in TOOLS.values()), key=lambda c: c[1])


class MigrationFilterForm(forms.Form):
    """Which integrations (of the target config's environment, on other configs) to show."""

    source = forms.ModelChoiceField(
        queryset=ScopeConfig.objects.none(),
        required=False,
        empty_label="All other scope configs",
        label="Currently on",
    )
    tool = forms.ChoiceField(required=False)
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *IntegrationStatus.choices]
    )
    q = forms.CharField(
        required=False,
        max_length=300,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Organisation, email, origin ID"}),
    )

    def __init__(self, *args: Any, scope_config: ScopeConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.ModelChoiceField)
        source.queryset = selectors.scope_configs_of_environment(
            environment_id=scope_config.environment_id
        ).exclude(pk=scope_config.pk)
        self.fields["tool"].choices = [("", "Any tool"), *_tool_choices()]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "source_config": data.get("source"),
            "tool": data.get("tool") or None,
            "status": data.get("status") or None,
            "search": (data.get("q") or "").strip() or None,
        }

    def description(self) -> str:
        """The filter in words, e.g. "Personio integrations on Basic"."""
        filters = self.filters()
        words = []
        if filters["status"]:
            words.append(filters["status"])
        if filters["tool"]:
            words.append(TOOLS[filters["tool"]].label)
        words.append("integrations")
        source = filters["source_config"]
        words.append(f"on {source.name}" if source else "on other scope configs")
        if filters["search"]:
            words.append(f"matching “{filters['search']}”")
        return " ".join(words)


class Selection:
    PICKED = "picked"
    ALL_MATCHING = "all_matching"


class MigrationCreateForm(forms.Form):
    selection = forms.ChoiceField(
        choices=[
            (Selection.PICKED, "The integrations checked below"),
            (Selection.ALL_MATCHING, "All integrations matching the filter"),
        ],
        initial=Selection.PICKED,
        widget=forms.RadioSelect,
    )
    integrations = forms.ModelMultipleChoiceField(
        queryset=Integration.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": (
                "%(value)s can no longer be migrated: it was deleted, moved, or no longer "
                "matches the filter. Nothing was created; pick again."
            ),
        },
    )
    language = forms.ChoiceField(choices=LinkLanguage.choices, initial=LinkLanguage.EN)
    send_email = forms.BooleanField(
        required=False, label="Email the links to the customers (their creator email)"
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[Integration], description: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.description = description
        picks = self.fields["integrations"]
        assert isinstance(picks, forms.ModelMultipleChoiceField)
        picks.queryset = candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("selection") == Selection.PICKED and not data.get("integrations"):
            raise forms.ValidationError(
                "Check at least one integration, or choose all integrations matching the filter."
            )
        return data

    def chosen(self) -> QuerySet[Integration]:
        """The integrations to migrate (call after `is_valid()`)."""
        if self.cleaned_data["selection"] == Selection.ALL_MATCHING:
            return self.candidates
        picked: QuerySet[Integration] = self.cleaned_data["integrations"]
        return picked

    def selection_label(self) -> str:
        if self.cleaned_data["selection"] == Selection.ALL_MATCHING:
            return f"all {self.description}"
        count = len(self.cleaned_data["integrations"])
        return f"{count} picked from {self.description}"

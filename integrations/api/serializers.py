"""Request and response shapes of the API: field for field those of the official `kombo` SDK's
models (`kombo.models.*PositiveResponse`), so Kombo's SDKs parse what we send."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import (
    EmptyListField,
    NullStringField,
    PageParamsSerializer,
    StrictBooleanField,
    StrictInputSerializer,
)
from integrations.models import IntegrationStatus, ScopeSetting, SetupStatus
from integrations.selectors.integrations import tool_read_model_coverage
from integrations.tools import TOOLS
from integrations.tools.base import Coverage, Tool

INTEGRATION_CATEGORIES = ("HRIS", "ATS", "ASSESSMENT", "LMS")
TOOL_CATEGORY_PARAMS = ("hris", "ats", "assessment", "lms")
COVERAGE_STATUSES = tuple(status.value for status in Coverage)
SCOPE_CONFIG_SETTINGS = tuple(setting.value for setting in ScopeSetting)

# Fields named `label` carry `type: ignore[assignment]`: the stubs type `Field.label` (a field's
# display label), which a declared serializer field of that name shadows.


# --- Field types ----------------------------------------------------------------------------------


class StaticUrlField(serializers.URLField):
    """A path under the static root, served as an absolute URL."""

    def to_representation(self, value: str) -> str:
        return str(self.context["request"].build_absolute_uri(static(value)))


class IntegrationEnabledSerializer(StrictInputSerializer):
    """Enable or disable an integration."""

    value = StrictBooleanField(
        help_text="`true` enables the integration, `false` disables it (status `INACTIVE`)."
    )


class ToolsCategoryParamsSerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=TOOL_CATEGORY_PARAMS,
        error_messages={
            "invalid_choice": '"{input}" is not a tool category; use one of: '
            + ", ".join(TOOL_CATEGORY_PARAMS)
            + "."
        },
    )


class IntegrationListParamsSerializer(PageParamsSerializer):
    status = serializers.ChoiceField(choices=IntegrationStatus.choices, required=False)
    tool = serializers.ChoiceField(choices=sorted(TOOLS), required=False)
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Matches the organization name, creator email or origin ID (substring, "
        "case-insensitive) or the integration ID (exact).",
    )


# --- Responses: check-api-key ---------------------------------------------------------------------


class CheckApiKeyDataSerializer(serializers.Serializer):
    environment_id = serializers.CharField(source="pk")


# --- Responses: integrations ----------------------------------------------------------------------


class IntegrationToolSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    internal_label = NullStringField()
    logo_url = StaticUrlField(source="logo")
    icon_url = StaticUrlField(source="icon")


class EndUserSerializer(serializers.Serializer):
    organization_name = serializers.CharField()
    creator_email = serializers.CharField(allow_null=True)
    origin_id = serializers.CharField(allow_null=True)


class ScopeConfigRefSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)


class ReadModelFieldStateSerializer(serializers.Serializer):
    id = serializers.CharField()
    is_available = serializers.BooleanField()
    coverage_status = serializers.ChoiceField(choices=COVERAGE_STATUSES)
    scope_config_setting = serializers.ChoiceField(choices=SCOPE_CONFIG_SETTINGS)
    opted_out_by_customer = serializers.BooleanField()


class ReadModelStateSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    is_available = serializers.BooleanField()
    coverage_status = serializers.ChoiceField(choices=COVERAGE_STATUSES)
    scope_config_setting = serializers.ChoiceField(choices=SCOPE_CONFIG_SETTINGS)
    opted_out_by_customer = serializers.BooleanField()

    def get_fields(self) -> dict[str, serializers.Field]:
        # `fields` cannot be declared as a class attribute: it is the Serializer's own mapping.
        fields = super().get_fields()
        fields["fields"] = ReadModelFieldStateSerializer(many=True)
        return fields


class WriteActionFieldStateSerializer(serializers.Serializer):
    id = serializers.CharField()
    is_available = serializers.BooleanField()
    coverage_status = serializers.ChoiceField(choices=COVERAGE_STATUSES)


class WriteActionStateSerializer(ReadModelStateSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["fields"] = WriteActionFieldStateSerializer(many=True)
        return fields


# The shape of an integration, for the schema; the data is built by `integration_payload`.
class IntegrationSerializer(serializers.Serializer):
    id = serializers.CharField()
    tool = IntegrationToolSerializer(read_only=True)
    category = serializers.ChoiceField(choices=INTEGRATION_CATEGORIES)
    status = serializers.ChoiceField(choices=IntegrationStatus.choices)
    setup_status = serializers.ChoiceField(choices=SetupStatus.choices)
    end_user = EndUserSerializer()
    scope_config = ScopeConfigRefSerializer()
    data_expired_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    beta = serializers.BooleanField()
    read_models = ReadModelStateSerializer(many=True, read_only=True)
    write_actions = EmptyListField(child=WriteActionStateSerializer())


class IntegrationPageSerializer(serializers.Serializer):
    next = serializers.CharField(
        allow_null=True,
        help_text="Pass as `cursor` to get the next page; `null` on the last page.",
    )
    results = IntegrationSerializer(many=True)


# --- Responses: tools -----------------------------------------------------------------------------


class ToolAssetsSerializer(serializers.Serializer):
    logo_url = StaticUrlField(source="logo")
    icon_url = StaticUrlField(source="icon")
    # No monochrome icon is shipped; the regular one stands in.
    icon_black_url = StaticUrlField(source="icon")


class ToolFieldCoverageSerializer(serializers.Serializer):
    id = serializers.CharField()
    coverage_status = serializers.ChoiceField(choices=COVERAGE_STATUSES)


class ToolReadModelCoverageSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    coverage_status = serializers.ChoiceField(choices=COVERAGE_STATUSES)

    def get_fields(self) -> dict[str, serializers.Field]:
        # `fields` cannot be declared as a class attribute: it is the Serializer's own mapping.
        fields = super().get_fields()
        fields["fields"] = ToolFieldCoverageSerializer(many=True)
        return fields


class ToolFeatureCoverageSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    coverage_status = serializers.ChoiceField(choices=COVERAGE_STATUSES)


class ToolCoverageSerializer(serializers.Serializer):
    read_models = serializers.SerializerMethodField()
    write_actions = EmptyListField(child=ToolReadModelCoverageSerializer())
    features = EmptyListField(child=ToolFeatureCoverageSerializer())

    @extend_schema_field(ToolReadModelCoverageSerializer(many=True))
    def get_read_models(self, tool: Tool) -> list[dict[str, Any]]:
        coverage = tool_read_model_coverage(tool=tool)
        return ToolReadModelCoverageSerializer(coverage, many=True).data  # type: ignore[return-value]


class ToolSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    internal_label = NullStringField()
    assets = ToolAssetsSerializer(source="*")
    paid_api_details_markdown = NullStringField()
    fast_track_details_markdown = NullStringField()
    partner_only_details_markdown = NullStringField()
    connection_guide_url = NullStringField()
    coverage = ToolCoverageSerializer(source="*")


class ToolListDataSerializer(serializers.Serializer):
    tools = ToolSerializer(many=True)

"""Request parameters and (documented) response shapes of the syncs API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from core.api.pagination import IdCursor
from core.api.serializers import PageParamsSerializer, StrictInputSerializer
from integrations.models import SyncType
from syncs.models import SyncState, SyncTrigger

MAX_PAGE_SIZE = 250
DEFAULT_PAGE_SIZE = 100
# The values Kombo documents for the `employment_statuses` filter (the SDK's GetHrisEmployees).
EMPLOYMENT_STATUSES = ("ACTIVE", "PENDING", "INACTIVE", "LEAVE")
UNSUPPORTED_EMPLOYEE_FILTERS = (
    "group_ids",
    "legal_entity_ids",
    "work_location_ids",
    "personal_emails",
    "custom_fields",
)


class CommaSeparatedField(serializers.CharField):
    """`a,b,c` (how Kombo's SDKs send list filters) as a list of strings."""

    def run_validation(self, data: Any = empty) -> list[str]:
        # Split only after CharField's validators ran: `max_length` limits the text sent, and
        # on the list it would count items instead.
        text = super().run_validation(data)
        return [item.strip() for item in text.split(",") if item.strip()]


class ForceSyncSerializer(StrictInputSerializer):
    type = serializers.ChoiceField(choices=SyncType.choices, default=SyncType.FULL)


class ForceSyncResultSerializer(serializers.Serializer):
    already_queued = serializers.BooleanField()
    sync_id = serializers.CharField()
    type = serializers.ChoiceField(choices=SyncType.choices)


class EmployeeListParamsSerializer(PageParamsSerializer):
    cursor_type = IdCursor

    updated_after = serializers.DateTimeField(required=False)
    include_deleted = serializers.BooleanField(required=False, default=False)
    ignore_unsupported_filters = serializers.BooleanField(required=False, default=False)
    ids = CommaSeparatedField(required=False, max_length=10_000)
    remote_ids = CommaSeparatedField(required=False, max_length=10_000)
    employment_statuses = CommaSeparatedField(required=False, max_length=1_000)
    work_emails = CommaSeparatedField(required=False, max_length=10_000)

    def validate_employment_statuses(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(EMPLOYMENT_STATUSES))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown value {', '.join(repr(v[:40]) for v in unknown[:5])}; "
                f"use a comma-separated list of {', '.join(EMPLOYMENT_STATUSES)}."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unsupported = [name for name in UNSUPPORTED_EMPLOYEE_FILTERS if name in self.initial_data]
        if unsupported and not attrs["ignore_unsupported_filters"]:
            raise serializers.ValidationError(
                {
                    name: [
                        "This filter is not supported; pass ignore_unsupported_filters=true "
                        "to ignore it."
                    ]
                    for name in unsupported
                }
            )
        return attrs


class SyncListParamsSerializer(PageParamsSerializer):
    pass


class SyncSerializer(serializers.Serializer):
    id = serializers.CharField()
    integration_id = serializers.CharField()
    type = serializers.ChoiceField(choices=SyncType.choices)
    trigger = serializers.ChoiceField(choices=SyncTrigger.choices)
    state = serializers.ChoiceField(choices=SyncState.choices)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    counts = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per read model: fetched, created, updated, unchanged, deleted.",
    )
    warnings = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(allow_null=True)


class SyncPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = SyncSerializer(many=True)


class AuthCheckResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["OK", "INVALID_CREDENTIALS", "UNREACHABLE"])
    message = serializers.CharField(allow_null=True)
    granted_permissions = serializers.ListField(child=serializers.CharField())
    missing_permissions = serializers.ListField(
        child=serializers.CharField(),
        help_text="Warnings for what the current scope config wants but the credentials lack.",
    )
    checked_at = serializers.DateTimeField()
    latency_ms = serializers.IntegerField()
    integration_status = serializers.CharField()


class EmployeeGroupSerializer(serializers.Serializer):
    id = serializers.CharField()
    remote_id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    type = serializers.CharField(allow_null=True)


class EmployeeSerializer(serializers.Serializer):
    """Kombo's employee (documentation only: responses are built in `representations`)."""

    id = serializers.CharField()
    remote_id = serializers.CharField()
    first_name = serializers.CharField(allow_null=True)
    last_name = serializers.CharField(allow_null=True)
    display_full_name = serializers.CharField(allow_null=True)
    work_email = serializers.CharField(allow_null=True)
    job_title = serializers.CharField(allow_null=True)
    employment_status = serializers.CharField(allow_null=True)
    start_date = serializers.DateTimeField(allow_null=True)
    termination_date = serializers.DateTimeField(allow_null=True)
    manager_id = serializers.CharField(allow_null=True)
    groups = EmployeeGroupSerializer(many=True)
    changed_at = serializers.DateTimeField()
    remote_deleted_at = serializers.DateTimeField(allow_null=True)


class EmployeePageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = EmployeeSerializer(many=True)

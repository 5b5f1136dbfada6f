"""Request parameters and (documented) response shapes of the syncs API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
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
# What `types` of `GET /hris/groups` accepts: Kombo's group types, and `null` for none.
GROUP_TYPES = ("DEPARTMENT", "TEAM", "COST_CENTER", "null")
# Filters of Kombo's API this product does not offer at all (whatever the tool).
UNOFFERED_EMPLOYEE_FILTERS = ("custom_fields",)


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


@extend_schema_field(OpenApiTypes.DATE)
class PlainDateField(serializers.Field):
    """A day: `yyyy-MM-dd`, or a timestamp whose time is discarded (what Kombo documents for
    `date_from` and `date_until`, which the SDK sends as datetimes)."""

    default_error_messages = {"invalid": "Enter a date as yyyy-MM-dd or an ISO 8601 timestamp."}

    def to_internal_value(self, data: Any) -> date:
        text = str(data).strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            self.fail("invalid")
        raise AssertionError("unreachable")

    def to_representation(self, value: date) -> str:
        return value.isoformat()


class HrisListParamsSerializer(PageParamsSerializer):
    """The parameters every list of Kombo's HRIS API takes."""

    cursor_type = IdCursor

    updated_after = serializers.DateTimeField(required=False)
    include_deleted = serializers.BooleanField(required=False, default=False)
    ignore_unsupported_filters = serializers.BooleanField(required=False, default=False)
    ids = CommaSeparatedField(required=False, max_length=10_000)
    remote_ids = CommaSeparatedField(required=False, max_length=10_000)


def _only_values(value: list[str], allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise serializers.ValidationError(
            f"Unknown value {', '.join(repr(v[:40]) for v in unknown[:5])}; "
            f"use a comma-separated list of {', '.join(allowed)}."
        )
    return value


class EmployeeListParamsSerializer(HrisListParamsSerializer):
    employment_statuses = CommaSeparatedField(required=False, max_length=1_000)
    group_ids = CommaSeparatedField(required=False, max_length=10_000)
    legal_entity_ids = CommaSeparatedField(required=False, max_length=10_000)
    work_location_ids = CommaSeparatedField(required=False, max_length=10_000)
    work_emails = CommaSeparatedField(required=False, max_length=10_000)
    personal_emails = CommaSeparatedField(required=False, max_length=10_000)
    custom_fields = serializers.CharField(
        required=False,
        max_length=10_000,
        help_text="Not offered by this API: refused unless `ignore_unsupported_filters`.",
    )

    def validate_employment_statuses(self, value: list[str]) -> list[str]:
        return _only_values(value, EMPLOYMENT_STATUSES)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unoffered = [name for name in UNOFFERED_EMPLOYEE_FILTERS if name in attrs]
        if unoffered and not attrs["ignore_unsupported_filters"]:
            raise serializers.ValidationError(
                {
                    name: [
                        "This filter is not supported; pass ignore_unsupported_filters=true "
                        "to ignore it."
                    ]
                    for name in unoffered
                }
            )
        return attrs


class GroupListParamsSerializer(HrisListParamsSerializer):
    types = CommaSeparatedField(required=False, max_length=1_000)
    name_contains = serializers.CharField(required=False, max_length=1_000)

    def validate_types(self, value: list[str]) -> list[str]:
        return _only_values(value, GROUP_TYPES)


class NamedListParamsSerializer(HrisListParamsSerializer):
    name_contains = serializers.CharField(required=False, max_length=1_000)


class AbsenceListParamsSerializer(HrisListParamsSerializer):
    date_from = PlainDateField(required=False)
    date_until = PlainDateField(required=False)
    type_ids = CommaSeparatedField(required=False, max_length=10_000)
    employee_id = serializers.CharField(required=False, max_length=100)


class TimeOffBalanceListParamsSerializer(HrisListParamsSerializer):
    employee_id = serializers.CharField(required=False, max_length=100)


# Documentation only: responses are built in `representations`. The shapes are the SDK's
# `GetHris<Model>PositiveResponseResult`, every field present, null where Kombo allows it.
def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(allow_null=True, **kwargs)


def _stamped(name: str, fields: dict[str, serializers.Field]) -> type[serializers.Serializer]:
    attrs: dict[str, Any] = {
        "id": serializers.CharField(),
        "remote_id": serializers.CharField(),
        **fields,
        "changed_at": serializers.DateTimeField(),
        "remote_deleted_at": serializers.DateTimeField(allow_null=True),
    }
    return type(name, (serializers.Serializer,), attrs)


class AddressSerializer(serializers.Serializer):
    street_1 = _text()
    street_2 = _text()
    city = _text()
    state = _text()
    zip_code = _text()
    country = _text()
    raw = _text()


def _address() -> AddressSerializer:
    return AddressSerializer(allow_null=True)


GroupSerializer = _stamped("HrisGroup", {"name": _text(), "type": _text(), "parent_id": _text()})
EmploymentSerializer = _stamped(
    "HrisEmployment",
    {
        "employee_id": serializers.CharField(),
        "job_title": _text(),
        "pay_rate": serializers.FloatField(allow_null=True),
        "pay_period": _text(),
        "pay_frequency": _text(),
        "employment_type": _text(),
        "pay_currency": _text(),
        "effective_date": serializers.DateTimeField(allow_null=True),
        "custom_fields": serializers.DictField(allow_null=True),
    },
)
LocationSerializer = _stamped(
    "HrisLocation", {"name": _text(), "address": _address(), "type": _text()}
)
LegalEntitySerializer = _stamped("HrisLegalEntity", {"name": _text(), "address": _address()})
AbsenceTypeSerializer = _stamped(
    "HrisAbsenceType",
    {
        "name": _text(),
        "unit": _text(),
        "half_days_supported": serializers.BooleanField(allow_null=True),
        "exact_times_supported": serializers.BooleanField(allow_null=True),
        "custom_fields": serializers.DictField(allow_null=True),
    },
)
AbsenceSerializer = _stamped(
    "HrisAbsence",
    {
        "employee_id": serializers.CharField(),
        "type_id": _text(),
        "type": AbsenceTypeSerializer(allow_null=True),
        "start_date": _text(),
        "end_date": _text(),
        "start_half_day": serializers.BooleanField(allow_null=True),
        "end_half_day": serializers.BooleanField(allow_null=True),
        "start_time": _text(),
        "end_time": _text(),
        "amount": serializers.FloatField(allow_null=True),
        "unit": _text(),
        "status": _text(),
        "employee_note": _text(),
        "remote_created_at": serializers.DateTimeField(allow_null=True),
        "remote_updated_at": serializers.DateTimeField(allow_null=True),
    },
)
_BALANCE_FIELDS: dict[str, serializers.Field] = {
    "employee_id": serializers.CharField(),
    "type_id": serializers.CharField(),
    "balance": serializers.FloatField(allow_null=True),
    "balance_unit": _text(),
    "used": serializers.FloatField(allow_null=True),
    "used_unit": _text(),
}
EmployeeTimeOffBalanceSerializer = _stamped("HrisEmployeeTimeOffBalance", _BALANCE_FIELDS)
TimeOffBalanceSerializer = _stamped(
    "HrisTimeOffBalance", {**_BALANCE_FIELDS, "type": AbsenceTypeSerializer()}
)


class DomesticBankRoutingSerializer(serializers.Serializer):
    number = serializers.CharField()
    type = _text()


class BankAccountSerializer(serializers.Serializer):
    iban = _text()
    bic = _text()
    account_number = _text()
    holder_name = _text()
    bank_name = _text()
    domestic_bank_routing = DomesticBankRoutingSerializer(allow_null=True)


class EmployeeGroupSerializer(serializers.Serializer):
    id = serializers.CharField()
    remote_id = serializers.CharField()
    name = _text()
    type = _text()


class EmployeeLegalEntitySerializer(serializers.Serializer):
    id = serializers.CharField()
    remote_id = serializers.CharField()
    name = _text()
    address = _address()


class ManagerSerializer(serializers.Serializer):
    id = serializers.CharField()
    remote_id = serializers.CharField()
    first_name = _text()
    last_name = _text()
    display_full_name = _text()
    employee_number = _text()
    work_email = _text()
    employment_status = _text()
    termination_date = serializers.DateTimeField(allow_null=True)


class EmployeeSerializer(serializers.Serializer):
    """Kombo's employee, with its nested rows."""

    id = serializers.CharField()
    remote_id = serializers.CharField()
    employee_number = _text()
    first_name = _text()
    last_name = _text()
    nationality = _text()
    display_full_name = _text()
    job_title = _text()
    mobile_phone_number = _text()
    ssn = _text()
    tax_id = _text()
    weekly_hours = serializers.FloatField(allow_null=True)
    avatar = _text()
    work_email = _text()
    personal_email = _text()
    gender = _text()
    ethnicity = _text()
    marital_status = _text()
    employment_status = _text()
    employment_type = _text()
    custom_fields = serializers.DictField(allow_null=True)
    date_of_birth = serializers.DateTimeField(allow_null=True)
    start_date = serializers.DateTimeField(allow_null=True)
    termination_date = serializers.DateTimeField(allow_null=True)
    remote_created_at = serializers.DateTimeField(allow_null=True)
    work_location_id = _text()
    legal_entity_id = _text()
    manager_id = _text()
    manager = ManagerSerializer(allow_null=True)
    groups = EmployeeGroupSerializer(many=True)
    home_address = _address()
    bank_accounts = BankAccountSerializer(many=True, allow_null=True)
    employments = EmploymentSerializer(many=True)
    time_off_balances = EmployeeTimeOffBalanceSerializer(many=True)
    legal_entity = EmployeeLegalEntitySerializer(allow_null=True)
    work_location = LocationSerializer(allow_null=True)
    changed_at = serializers.DateTimeField()
    remote_deleted_at = serializers.DateTimeField(allow_null=True)


def page_serializer(name: str, result: type[serializers.Serializer]) -> serializers.Serializer:
    """Kombo's page of `result`s, `{next, results}`, named for the schema."""
    page = type(
        name,
        (serializers.Serializer,),
        {"next": serializers.CharField(allow_null=True), "results": result(many=True)},
    )
    return page()

"""The shapes every API endpoint shares: Kombo's success and error envelopes, strict request
bodies, and fields of Kombo's models that this server has no data for."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from core.api.pagination import IdCursor, KeysetCursor

MAX_PAGE_SIZE = 250
DEFAULT_PAGE_SIZE = 100


# --- Field types ----------------------------------------------------------------------------------


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true`/`false` only: DRF's BooleanField would also take "yes", 1 or "off"."""

    default_error_messages = {"invalid": "Must be a JSON boolean (true or false)."}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class NullStringField(serializers.CharField):
    """A nullable string of Kombo's shape that this server has no data for: always `null`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance: Any) -> None:
        return None


class EmptyListField(serializers.ListField):
    """A list of Kombo's shape that this server has nothing for yet: always `[]`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> list[Any]:
        return []


class StrictInputSerializer(serializers.Serializer):
    """A request body that refuses fields it does not know, instead of silently ignoring them."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # DRF deep-copies the declared fields for every body it validates, which re-runs each
        # field's __init__ (a ChoiceField rebuilds its choice maps): half of validating the
        # relink body (`python -m bench load`). A field that holds no other fields keeps only
        # what its __init__ derived from its arguments (DRF's own copy just re-runs it), and
        # binding sets attributes on the copy itself, so a shallow copy is the same field.
        return {
            name: copy.copy(field) if _holds_no_fields(field) else copy.deepcopy(field)
            for name, field in self._declared_fields.items()
        }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


def _holds_no_fields(field: serializers.Field) -> bool:
    """Not a nested serializer, nor a list or dict of some child field."""
    return not isinstance(field, serializers.BaseSerializer) and not any(
        hasattr(field, name) for name in ("child", "child_relation")
    )


def success_envelope(name: str, data: serializers.Field) -> serializers.Serializer:
    """The schema of `{"status": "success", "data": <data>}`."""
    return inline_serializer(
        name=name,
        fields={"status": serializers.ChoiceField(choices=["success"]), "data": data},
    )


# --- Errors ---------------------------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        allow_null=True,
        help_text="Kombo's error code, e.g. `PLATFORM.INPUT_INVALID`, "
        "`PLATFORM.INTEGRATION_NOT_FOUND`, `PLATFORM.AUTHENTICATION_INVALID`.",
    )
    title = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    log_url = serializers.URLField(
        allow_null=True, help_text="The dashboard page of this request's log entry."
    )


class ErrorEnvelopeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["error"])
    error = ErrorDetailSerializer()


class EmptyBodySerializer(StrictInputSerializer):
    """`{}` (Kombo's SDKs send it); an empty body is accepted too."""


class PageParamsSerializer(serializers.Serializer):
    """A page of a list: `cursor` (the `next` of the previous page) and `page_size`. Lists in
    id order set `cursor_type` to IdCursor; the rest are newest first."""

    cursor_type: type[KeysetCursor] | type[IdCursor] = KeysetCursor

    cursor = serializers.CharField(
        required=False, allow_blank=True, help_text="The `next` value of the previous page."
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )

    def validate_cursor(self, value: str) -> KeysetCursor | IdCursor | None:
        if not value:
            return None
        try:
            return self.cursor_type.decode(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

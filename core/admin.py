"""Django admin of the shared kernel: environments, API keys, the request log; and the
read-only base every app's admin uses for rows that only services write.

Secrets never appear: API keys show only their prefix and hash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from core import roles
from core.models import ApiKey, Environment, RequestLog
from core.services import api_key_revoke

admin.site.site_header = "kombo-site administration"
admin.site.site_title = "kombo-site admin"
admin.site.index_title = "Data"
admin.site.site_url = "/dashboard/"

KeyT = TypeVar("KeyT", bound=Model)


class ViewOnly:
    """View-only: rows are written by services, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def keys_revoke_action(
    model_admin: admin.ModelAdmin[KeyT],
    request: HttpRequest,
    queryset: QuerySet[KeyT],
    revoke: Callable[[KeyT], object],
) -> None:
    """Revoke the selected keys one by one through their service (each writes its own audit
    trail), skipping those already revoked, and say how many changed."""
    count = 0
    for key in queryset.filter(revoked_at__isnull=True):
        revoke(key)
        count += 1
    model_admin.message_user(request, f"Revoked {count} API key(s).", messages.SUCCESS)


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ViewOnly, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(Environment)
class EnvironmentAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("name", "id")
    readonly_fields = ("id", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting an environment would take its API keys and scope configs with it.
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created in the dashboard or with `manage.py create_api_key`: the raw key is
    shown only there, once. Here only the name can change; revoking is an action."""

    list_display = (
        "name",
        "environment",
        "prefix_display",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("environment", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("environment",)
    search_fields = ("name", "prefix", "id")
    fields = (
        "id",
        "name",
        "environment",
        "prefix",
        "key_hash",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = (
        "id",
        "environment",
        "prefix",
        "key_hash",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ("revoke_keys",)

    @admin.display(description="Key", ordering="prefix")
    def prefix_display(self, obj: ApiKey) -> str:
        return f"{obj.prefix}…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: request logs keep pointing at the key.
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return roles.may(request.user, roles.REVOKE_API_KEY)

    @admin.action(description="Revoke selected API keys", permissions=["revoke"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        keys_revoke_action(self, request, queryset, lambda key: api_key_revoke(api_key=key))


@admin.register(RequestLog)
class RequestLogAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "method",
        "path",
        "status_code",
        "integration_id",
        "error_code",
        "latency_ms",
    )
    list_filter = ("method", "status_code", "environment")
    search_fields = ("=id", "path", "=integration_id", "error_code")
    date_hierarchy = "created_at"

    def view_on_site(self, obj: RequestLog) -> str:
        return reverse("dashboard:request_log_detail", args=[obj.pk])

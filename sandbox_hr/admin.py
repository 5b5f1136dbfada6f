from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core import roles
from core.admin import keys_revoke_action
from sandbox_hr.models import (
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxGroup,
    SandboxUser,
)
from sandbox_hr.services import sandbox_api_key_revoke


class SandboxApiKeyInline(admin.TabularInline):
    model = SandboxApiKey
    fields = ("id", "name", "prefix", "permissions", "created_at", "revoked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SandboxAccount)
class SandboxAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("id", "name")
    readonly_fields = ("id", "created_at")
    inlines = (SandboxApiKeyInline,)


@admin.register(SandboxApiKey)
class SandboxApiKeyAdmin(admin.ModelAdmin):
    """Keys are created with `manage.py sandbox create-key` (the raw key is shown only there)."""

    list_display = ("name", "prefix", "account", "permissions", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("id", "name", "prefix", "account__id", "account__name")
    fields = (
        "id",
        "account",
        "name",
        "prefix",
        "key_hash",
        "permissions",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
    )
    # Permissions change through `manage.py sandbox grant/remove-permission`, revocation through
    # the action below, so every change goes through the services.
    readonly_fields = (
        "id",
        "account",
        "prefix",
        "key_hash",
        "permissions",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
    )
    actions = ("revoke_keys",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_control_permission(self, request: HttpRequest) -> bool:
        return roles.may(request.user, roles.CONTROL_SANDBOX)

    @admin.action(description="Revoke selected API keys", permissions=["control"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[SandboxApiKey]) -> None:
        keys_revoke_action(self, request, queryset, lambda key: sandbox_api_key_revoke(key=key))


@admin.register(SandboxUser)
class SandboxUserAdmin(admin.ModelAdmin):
    """Users are created with `manage.py sandbox create-user`, which hashes the password and
    shows it once; the hash never appears here."""

    list_display = ("email", "role", "account", "created_at", "last_signed_in_at")
    list_filter = ("role",)
    search_fields = ("id", "email", "account__id", "account__name")
    fields = ("id", "account", "email", "role", "created_at", "last_signed_in_at")
    readonly_fields = fields
    list_select_related = ("account",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SandboxGroup)
class SandboxGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "parent", "account", "updated_at")
    list_filter = ("type",)
    search_fields = ("id", "name", "account__id")
    readonly_fields = ("id", "updated_at")
    raw_id_fields = ("account", "parent")


@admin.register(SandboxEmployee)
class SandboxEmployeeAdmin(admin.ModelAdmin):
    list_display = (
        "employee_number",
        "first_name",
        "last_name",
        "job_title",
        "status",
        "employment_type",
        "account",
        "updated_at",
    )
    list_filter = ("status", "employment_type")
    search_fields = ("id", "employee_number", "first_name", "last_name", "email", "account__id")
    readonly_fields = ("id", "created_at", "updated_at")
    raw_id_fields = ("account", "manager")
    filter_horizontal = ("departments",)
    list_select_related = ("account",)

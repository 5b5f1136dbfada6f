from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core import roles
from core.admin import ReadOnlyAdmin, keys_revoke_action
from sandbox_hr.models import (
    SandboxAbsence,
    SandboxAbsenceType,
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxEmployment,
    SandboxGroup,
    SandboxLegalEntity,
    SandboxLocation,
    SandboxOAuthApp,
    SandboxOAuthCode,
    SandboxOAuthGrant,
    SandboxOAuthToken,
    SandboxTimeOffBalance,
    SandboxUser,
)
from sandbox_hr.services import sandbox_api_key_revoke, sandbox_oauth_grant_revoke


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
    raw_id_fields = ("account", "manager", "location", "legal_entity")
    filter_horizontal = ("departments",)
    list_select_related = ("account",)


@admin.register(SandboxLocation)
class SandboxLocationAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "account", "updated_at")
    list_filter = ("type",)
    search_fields = ("id", "name", "account__id")
    readonly_fields = ("id", "updated_at")
    raw_id_fields = ("account",)


@admin.register(SandboxLegalEntity)
class SandboxLegalEntityAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "updated_at")
    search_fields = ("id", "name", "account__id")
    readonly_fields = ("id", "updated_at")
    raw_id_fields = ("account",)


@admin.register(SandboxEmployment)
class SandboxEmploymentAdmin(admin.ModelAdmin):
    list_display = ("employee", "job_title", "effective_date", "pay_rate", "pay_period")
    list_filter = ("employment_type", "pay_period")
    search_fields = ("id", "employee__id", "employee__last_name", "account__id")
    readonly_fields = ("id", "updated_at")
    raw_id_fields = ("account", "employee")
    list_select_related = ("employee",)


@admin.register(SandboxAbsenceType)
class SandboxAbsenceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "half_days_allowed", "account", "updated_at")
    search_fields = ("id", "name", "account__id")
    readonly_fields = ("id", "updated_at")
    raw_id_fields = ("account",)


@admin.register(SandboxAbsence)
class SandboxAbsenceAdmin(admin.ModelAdmin):
    list_display = ("employee", "type", "start_date", "end_date", "amount", "unit", "status")
    list_filter = ("status", "unit")
    search_fields = ("id", "employee__id", "employee__last_name", "account__id")
    readonly_fields = ("id", "created_at", "updated_at")
    raw_id_fields = ("account", "employee", "type")
    list_select_related = ("employee", "type")


@admin.register(SandboxTimeOffBalance)
class SandboxTimeOffBalanceAdmin(admin.ModelAdmin):
    list_display = ("employee", "type", "balance", "used", "unit", "updated_at")
    search_fields = ("id", "employee__id", "employee__last_name", "account__id")
    readonly_fields = ("id", "updated_at")
    raw_id_fields = ("account", "employee", "type")
    list_select_related = ("employee", "type")


@admin.register(SandboxOAuthApp)
class SandboxOAuthAppAdmin(ReadOnlyAdmin):
    """Apps are registered with `manage.py sandbox oauth-app create` or in Sandbox HR's
    Settings → Developer apps (the client secret is shown only there)."""

    list_display = ("name", "client_id", "registered_by_account", "created_at")
    search_fields = ("id", "name", "client_id")
    fields = (
        "id",
        "name",
        "client_id",
        "redirect_uris",
        "allowed_scopes",
        "registered_by_account",
        "registered_by",
        "created_at",
    )


@admin.register(SandboxOAuthGrant)
class SandboxOAuthGrantAdmin(ReadOnlyAdmin):
    list_display = ("app", "account", "scopes", "approved_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("id", "app__name", "app__client_id", "account__id", "account__name")
    fields = (
        "id",
        "app",
        "account",
        "scopes",
        "approved_by",
        "approved_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    list_select_related = ("app", "account")
    actions = ("revoke_grants",)

    def has_control_permission(self, request: HttpRequest) -> bool:
        return roles.may(request.user, roles.CONTROL_SANDBOX)

    @admin.action(
        description="Revoke selected grants and all their tokens", permissions=["control"]
    )
    def revoke_grants(self, request: HttpRequest, queryset: QuerySet[SandboxOAuthGrant]) -> None:
        revoked = sum(
            sandbox_oauth_grant_revoke(grant=grant)
            for grant in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(request, f"Revoked {revoked} OAuth grant(s).")


@admin.register(SandboxOAuthCode)
class SandboxOAuthCodeAdmin(ReadOnlyAdmin):
    """Only a digest of each code is kept, and not shown."""

    list_display = ("app", "account", "created_at", "expires_at", "used_at")
    fields = (
        "id",
        "app",
        "account",
        "approved_by",
        "redirect_uri",
        "scopes",
        "code_challenge_method",
        "created_at",
        "expires_at",
        "used_at",
        "grant",
    )
    list_select_related = ("app", "account")


@admin.register(SandboxOAuthToken)
class SandboxOAuthTokenAdmin(ReadOnlyAdmin):
    """Only digests of the tokens are kept, and not shown."""

    list_display = ("id", "grant", "issued_at", "access_expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    fields = (
        "id",
        "grant",
        "parent",
        "scopes",
        "issued_at",
        "access_expires_at",
        "access_first_used_at",
        "refresh_used_at",
        "refresh_revoked_at",
        "revoked_at",
    )
    list_select_related = ("grant__app", "grant__account")

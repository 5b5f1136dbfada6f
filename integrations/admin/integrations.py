"""Django admin of integrations, their credentials, links, scope configs and audit trail.

Integrations, credentials and audit events are read-only here: their writes go through
`integrations.services` (the admin actions call those), so every change leaves its audit row.
Credential payloads never appear.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core import roles
from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from integrations import services
from integrations.actors import Actor
from integrations.models import (
    CredentialVersion,
    Integration,
    IntegrationEvent,
    Issue,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
    ScopeConfigEnvironmentError,
    ScopeConfigMigration,
)


class ScopeConfigAdminForm(forms.ModelForm):
    class Meta:
        model = ScopeConfig
        fields = ("environment", "name", "settings")

    def clean_settings(self) -> Any:
        try:
            return services.scope_settings_checked(self.cleaned_data.get("settings") or {})
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(ScopeConfig)
class ScopeConfigAdmin(admin.ModelAdmin):
    """New configs go through `scope_config_create`; existing ones are edited in the dashboard,
    where the service marks the data of integrations using them as expired."""

    list_display = ("name", "environment", "integration_count", "updated_at")
    list_filter = ("environment",)
    list_select_related = ("environment",)
    search_fields = ("name", "id")
    fields = ("id", "environment", "name", "settings", "created_at", "updated_at")
    form = ScopeConfigAdminForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("id", "created_at", "updated_at")
        return self.fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScopeConfig]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                live_integrations=Count(
                    "integrations", filter=Q(integrations__deleted_at__isnull=True)
                )
            )
        )

    @admin.display(description="Integrations", ordering="live_integrations")
    def integration_count(self, obj: ScopeConfig) -> int:
        return int(getattr(obj, "live_integrations", 0))

    def save_model(self, request: HttpRequest, obj: ScopeConfig, form: Any, change: bool) -> None:
        if change:
            return
        created = services.scope_config_create(
            environment=obj.environment, name=obj.name, settings=obj.settings or {}
        )
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj.updated_at = created.updated_at

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IntegrationEventInline(ReadOnlyTabularInline):
    model = IntegrationEvent
    fields = ("created_at", "kind", "actor_type", "actor_label", "data")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    verbose_name = "audit event"


class CredentialVersionInline(ReadOnlyTabularInline):
    model = CredentialVersion
    fields = ("created_at", "source", "set_by_user", "ip_address", "user_agent", "link_id")
    readonly_fields = fields
    exclude = ("payload_encrypted",)
    ordering = ("-created_at", "-id")
    verbose_name = "credential version"

    def get_queryset(self, request: HttpRequest) -> QuerySet[CredentialVersion]:
        return super().get_queryset(request).defer("payload_encrypted")


@admin.register(Integration)
class IntegrationAdmin(ReadOnlyAdmin):
    list_display = (
        "organization_name",
        "id",
        "tool",
        "status",
        "enabled",
        "environment",
        "created_at",
        "deleted_at",
    )
    list_filter = (
        "status",
        "tool",
        "environment",
        "enabled",
        "setup_status",
        "sync_paused_reason",
        ("deleted_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("environment",)
    search_fields = ("organization_name", "creator_email", "origin_id", "=id", "remote_account_id")
    date_hierarchy = "created_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "id",
                    "environment",
                    "tool",
                    "category",
                    "status",
                    "enabled",
                    "setup_status",
                    "qa_status",
                    "beta",
                )
            },
        ),
        ("End user", {"fields": ("organization_name", "creator_email", "origin_id")}),
        (
            "Configuration",
            {"fields": ("scope_config", "opted_out", "remote_account_id", "data_expired_at")},
        ),
        (
            "Health and scheduling",
            {
                "fields": (
                    "next_sync_at",
                    "sync_paused_reason",
                    "auth_failing_since",
                    "last_auth_ok_at",
                    "consecutive_auth_failures",
                )
            },
        ),
        ("Timestamps", {"fields": ("created_at", "updated_at", "deleted_at")}),
    )
    inlines = (CredentialVersionInline, IntegrationEventInline)
    actions = (
        "create_magic_links",
        "enable_integrations",
        "disable_integrations",
        "delete_integrations",
    )

    def view_on_site(self, obj: Integration) -> str | None:
        if obj.is_deleted:
            return None
        return reverse("dashboard:integration_detail", args=[obj.pk])

    def _set_enabled(
        self, request: HttpRequest, queryset: QuerySet[Integration], *, enabled: bool
    ) -> None:
        actor = Actor.operator(request.user)
        changed = sum(
            services.integration_set_enabled(integration=integration, enabled=enabled, actor=actor)
            for integration in queryset.filter(deleted_at__isnull=True)
        )
        verb = "Enabled" if enabled else "Disabled"
        self.message_user(request, f"{verb} {changed} integration(s).", messages.SUCCESS)

    # The actions check the dashboard's permissions (core/roles.py): the same role may do the
    # same thing in both places.
    def has_enable_permission(self, request: HttpRequest) -> bool:
        return roles.may(request.user, roles.ENABLE_INTEGRATION)

    def has_relink_permission(self, request: HttpRequest) -> bool:
        return roles.may(request.user, roles.RELINK_INTEGRATION)

    def has_delete_integration_permission(self, request: HttpRequest) -> bool:
        # Not has_delete_permission: Django's own delete would skip the service.
        return roles.may(request.user, roles.DELETE_INTEGRATION)

    @admin.action(description="Enable selected integrations", permissions=["enable"])
    def enable_integrations(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        self._set_enabled(request, queryset, enabled=True)

    @admin.action(description="Disable selected integrations", permissions=["enable"])
    def disable_integrations(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        self._set_enabled(request, queryset, enabled=False)

    @admin.action(
        description="Create magic links for selected integrations", permissions=["relink"]
    )
    def create_magic_links(
        self, request: HttpRequest, queryset: QuerySet[Integration]
    ) -> HttpResponse:
        """First a page to pick the target scope config; then the links, shown once."""
        integrations = list(queryset.alive().select_related("environment"))  # type: ignore[attr-defined]
        environment_ids = {integration.environment_id for integration in integrations}
        scope_configs = ScopeConfig.objects.filter(environment_id__in=environment_ids)
        if "apply" not in request.POST:
            return render(
                request,
                "admin/integrations/create_magic_links.html",
                {
                    **self.admin_site.each_context(request),
                    "integrations": integrations,
                    "scope_configs": scope_configs,
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                    "title": "Create magic links",
                },
            )
        scope = scope_configs.filter(pk=request.POST.get("scope_config") or "").first()
        actor = Actor.operator(request.user)
        created, skipped = [], []
        for integration in integrations:
            try:
                _, url = services.relink_link_create(
                    integration=integration,
                    link_type=LinkType.MAGIC_LINK,
                    language=request.POST.get("language") or "en",
                    scope_config=scope,
                    actor=actor,
                )
            except ScopeConfigEnvironmentError:
                skipped.append(integration)
                continue
            created.append((integration, url))
        response = render(
            request,
            "admin/integrations/magic_links_created.html",
            {
                **self.admin_site.each_context(request),
                "created": created,
                "skipped": skipped,
                "scope": scope,
                "title": "Magic links created",
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(
        description="Delete selected integrations (destroys their credentials)",
        permissions=["delete_integration"],
    )
    def delete_integrations(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        actor = Actor.operator(request.user)
        count = 0
        for integration in queryset.alive():  # type: ignore[attr-defined]
            services.integration_delete(integration=integration, actor=actor)
            count += 1
        self.message_user(request, f"Deleted {count} integration(s).", messages.SUCCESS)


@admin.register(CredentialVersion)
class CredentialVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "integration", "source", "set_by_user", "ip_address", "created_at")
    list_filter = ("source",)
    list_select_related = ("integration", "set_by_user")
    search_fields = ("=integration__id", "link_id", "ip_address")
    exclude = ("payload_encrypted",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CredentialVersion]:
        return super().get_queryset(request).defer("payload_encrypted")


@admin.register(IntegrationEvent)
class IntegrationEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "integration", "kind", "actor_type", "actor_label")
    list_filter = ("kind", "actor_type")
    list_select_related = ("integration",)
    search_fields = ("=integration__id", "actor_label")
    date_hierarchy = "created_at"


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["title", "integration", "status", "first_observed_at", "resolved_at"]
    list_filter = ["status", "type"]
    search_fields = ["integration__id", "integration__organization_name"]
    list_select_related = ["integration"]


@admin.register(ReconnectionLink)
class ReconnectionLinkAdmin(ReadOnlyAdmin):
    # Only a hash of the token is stored; it is not shown either.
    list_display = [
        "id",
        "integration",
        "link_type",
        "language",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    list_filter = ["link_type", "kind", "language"]
    search_fields = ["id", "integration__id", "integration__organization_name"]
    list_select_related = ["integration"]
    exclude = ["token_hash"]


@admin.register(ScopeConfigMigration)
class ScopeConfigMigrationAdmin(ReadOnlyAdmin):
    """Created from a scope config's dashboard page, where its progress is tracked too."""

    list_display = ["id", "scope_config", "selection_label", "emailed", "created_at"]
    list_filter = ["emailed", "environment"]
    search_fields = ["id", "selection_label", "scope_config__name"]
    list_select_related = ["scope_config"]

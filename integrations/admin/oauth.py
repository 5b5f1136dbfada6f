"""Django admin of OAuth tools: the operator's apps, saved through `oauth_app_save`, and the
customers' trips to the vendors' consent pages, read-only.

No secret appears, not even encrypted: an app's secret is a write-only field, and a flow's
state hash and PKCE verifier are left out.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin
from integrations.models import OAuthApp, OAuthFlow
from integrations.selectors.oauth_apps import oauth_tools
from integrations.services.oauth_flow import oauth_redirect_uri
from integrations.services.oauth_tokens import oauth_app_save


def _oauth_tool_choices() -> list[tuple[str, str]]:
    return [(tool.id, tool.label) for tool in oauth_tools()]


class OAuthAppAdminForm(forms.ModelForm):
    tool = forms.ChoiceField(choices=_oauth_tool_choices)
    # RFC 6749 §2.3.1: the client secret is the app's password; it is never shown back.
    client_secret = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Write-only. On an existing app, leave empty to keep the stored secret.",
    )

    class Meta:
        model = OAuthApp
        fields = ("environment", "tool", "client_id")

    def clean_client_secret(self) -> str | None:
        secret: str = self.cleaned_data.get("client_secret") or ""
        if not secret and self.instance._state.adding:
            raise forms.ValidationError("A new OAuth app needs its client secret.")
        return secret or None


@admin.register(OAuthApp)
class OAuthAppAdmin(admin.ModelAdmin):
    """Also on the dashboard's OAuth apps page; both save through the same service."""

    form = OAuthAppAdminForm
    list_display = ("environment", "tool", "client_id", "updated_at")
    list_filter = ("environment", "tool")
    list_select_related = ("environment",)
    search_fields = ("client_id", "tool")
    fields = (
        "environment",
        "tool",
        "client_id",
        "client_secret",
        "redirect_uri",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The app's identity: another environment or tool is another app.
        identity = () if obj is None else ("environment", "tool")
        return (*identity, "redirect_uri", "created_at", "updated_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[OAuthApp]:
        return super().get_queryset(request).defer("client_secret_encrypted")

    @admin.display(description="Redirect URI to register at the vendor")
    def redirect_uri(self, obj: OAuthApp) -> str:
        return oauth_redirect_uri()

    def save_model(self, request: HttpRequest, obj: OAuthApp, form: Any, change: bool) -> None:
        saved = oauth_app_save(
            environment_id=obj.environment_id,
            tool_id=obj.tool,
            client_id=obj.client_id,
            client_secret=form.cleaned_data["client_secret"],
        )
        obj.pk = saved.pk
        obj.created_at = saved.created_at
        obj.updated_at = saved.updated_at

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # No service removes an app: connections in flight would silently switch to another
        # app (the environment variable's), or fail. Change the app instead.
        return False


@admin.register(OAuthFlow)
class OAuthFlowAdmin(ReadOnlyAdmin):
    list_display = ("id", "link", "tool", "created_at", "expires_at", "used_at")
    list_filter = ("tool",)
    list_select_related = ("link",)
    search_fields = ("=id", "=link__id")
    fields = (
        "id",
        "link",
        "tool",
        "redirect_uri",
        "opted_out",
        "created_at",
        "expires_at",
        "used_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[OAuthFlow]:
        return super().get_queryset(request).defer("state_hash", "code_verifier_encrypted")

"""Operator dashboard URLs, mounted at /dashboard/, grouped as the views are."""

from __future__ import annotations

from django.urls import URLPattern, path

from integrations.views import dashboard, integrations, links, oauth_apps

integration_patterns: list[URLPattern] = [
    path("", integrations.integration_list, name="integration_list"),
    path(
        "integrations/<str:integration_id>/",
        integrations.integration_detail,
        name="integration_detail",
    ),
    path(
        "integrations/<str:integration_id>/live/",
        integrations.integration_live,
        name="integration_live",
    ),
    path(
        "integrations/<str:integration_id>/enabled/",
        integrations.integration_enabled_update,
        name="integration_enabled_update",
    ),
    path(
        "integrations/<str:integration_id>/delete/",
        integrations.integration_delete_confirm,
        name="integration_delete",
    ),
]

link_patterns: list[URLPattern] = [
    path(
        "integrations/<str:integration_id>/relink/",
        links.integration_relink,
        name="integration_relink",
    ),
    path(
        "reconnection-links/<str:link_id>/created/",
        links.reconnection_link_created,
        name="reconnection_link_created",
    ),
    path(
        "reconnection-links/<str:link_id>/revoke/",
        links.reconnection_link_revoke,
        name="reconnection_link_revoke",
    ),
]

dashboard_patterns: list[URLPattern] = [
    path("api-keys/", dashboard.api_key_list, name="api_key_list"),
    path("api-keys/<str:api_key_id>/revoke/", dashboard.api_key_revoke_page, name="api_key_revoke"),
    path("oauth-apps/", oauth_apps.oauth_app_list, name="oauth_app_list"),
    path("logs/", dashboard.request_log_list, name="request_log_list"),
    path("logs/<str:log_id>/", dashboard.request_log_detail, name="request_log_detail"),
]

app_name = "dashboard"
urlpatterns: list[URLPattern] = [*integration_patterns, *link_patterns, *dashboard_patterns]

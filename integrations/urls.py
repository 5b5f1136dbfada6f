"""Operator dashboard URLs, mounted at /dashboard/."""

from __future__ import annotations

from django.urls import URLPattern, path

from integrations import views

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("", views.integration_list, name="integration_list"),
    path(
        "integrations/<str:integration_id>/",
        views.integration_detail,
        name="integration_detail",
    ),
    path(
        "integrations/<str:integration_id>/live/",
        views.integration_live,
        name="integration_live",
    ),
    path(
        "integrations/<str:integration_id>/enabled/",
        views.integration_enabled_update,
        name="integration_enabled_update",
    ),
    path(
        "integrations/<str:integration_id>/delete/",
        views.integration_delete_confirm,
        name="integration_delete",
    ),
    path(
        "integrations/<str:integration_id>/relink/",
        views.integration_relink,
        name="integration_relink",
    ),
    path(
        "reconnection-links/<str:link_id>/created/",
        views.reconnection_link_created,
        name="reconnection_link_created",
    ),
    path(
        "reconnection-links/<str:link_id>/revoke/",
        views.reconnection_link_revoke,
        name="reconnection_link_revoke",
    ),
    path("api-keys/", views.api_key_list, name="api_key_list"),
    path("api-keys/<str:api_key_id>/revoke/", views.api_key_revoke_page, name="api_key_revoke"),
    path("logs/", views.request_log_list, name="request_log_list"),
    path("logs/<str:log_id>/", views.request_log_detail, name="request_log_detail"),
]

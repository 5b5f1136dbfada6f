"""Scope config pages of the operator dashboard, mounted at /dashboard/scope-configs/."""

from __future__ import annotations

from django.urls import URLPattern, path

from integrations.views import scope_configs as views

app_name = "scope_configs"
urlpatterns: list[URLPattern] = [
    path("", views.scope_config_list, name="scope_config_list"),
    path(
        "migrations/<str:migration_id>/",
        views.scope_config_migration_detail,
        name="scope_config_migration_detail",
    ),
    path("<str:scope_config_id>/", views.scope_config_edit, name="scope_config_edit"),
    path(
        "<str:scope_config_id>/migrate/",
        views.scope_config_migrate,
        name="scope_config_migrate",
    ),
]

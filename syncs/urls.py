from __future__ import annotations

from django.urls import URLPattern, path

from syncs import views

app_name = "syncs"
urlpatterns: list[URLPattern] = [
    path(
        "integrations/<str:integration_id>/check-auth/",
        views.integration_check_auth,
        name="integration_check_auth",
    ),
    path(
        "integrations/<str:integration_id>/sync/",
        views.integration_sync_now,
        name="integration_sync_now",
    ),
    path("syncs/<str:sync_id>/", views.sync_detail, name="sync_detail"),
    path(
        "integrations/<str:integration_id>/sync-progress/",
        views.integration_sync_progress,
        name="integration_sync_progress",
    ),
]

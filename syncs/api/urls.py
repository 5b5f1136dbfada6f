from __future__ import annotations

from django.urls import URLPattern, path

from syncs.api import views

urlpatterns: list[URLPattern] = [
    path("force-sync", views.ForceSyncView.as_view(), name="api-force-sync"),
    path("hris/employees", views.EmployeeListView.as_view(), name="api-hris-employees"),
    path(
        "integrations/<str:integration_id>/syncs",
        views.IntegrationSyncListView.as_view(),
        name="api-integration-syncs",
    ),
    path(
        "integrations/<str:integration_id>/check-auth",
        views.IntegrationCheckAuthView.as_view(),
        name="api-integration-check-auth",
    ),
    path("syncs/<str:sync_id>", views.SyncDetailView.as_view(), name="api-sync-detail"),
]

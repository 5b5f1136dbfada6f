from __future__ import annotations

from django.urls import URLPattern, path

from syncs.api.views import hris, syncs

urlpatterns: list[URLPattern] = [
    path("force-sync", syncs.ForceSyncView.as_view(), name="api-force-sync"),
    path("hris/employees", hris.EmployeeListView.as_view(), name="api-hris-employees"),
    path("hris/groups", hris.GroupListView.as_view(), name="api-hris-groups"),
    path("hris/employments", hris.EmploymentListView.as_view(), name="api-hris-employments"),
    path("hris/locations", hris.LocationListView.as_view(), name="api-hris-locations"),
    path(
        "hris/legal-entities",
        hris.LegalEntityListView.as_view(),
        name="api-hris-legal-entities",
    ),
    path("hris/absence-types", hris.AbsenceTypeListView.as_view(), name="api-hris-absence-types"),
    path("hris/absences", hris.AbsenceListView.as_view(), name="api-hris-absences"),
    path(
        "hris/time-off-balances",
        hris.TimeOffBalanceListView.as_view(),
        name="api-hris-time-off-balances",
    ),
    path(
        "integrations/<str:integration_id>/syncs",
        syncs.IntegrationSyncListView.as_view(),
        name="api-integration-syncs",
    ),
    path(
        "integrations/<str:integration_id>/check-auth",
        syncs.IntegrationCheckAuthView.as_view(),
        name="api-integration-check-auth",
    ),
    path("syncs/<str:sync_id>", syncs.SyncDetailView.as_view(), name="api-sync-detail"),
]

from __future__ import annotations

from django.urls import URLPattern, path

from integrations.api import links, views

urlpatterns: list[URLPattern] = [
    path("check-api-key", views.CheckApiKeyView.as_view(), name="api-check-api-key"),
    path("integrations", views.IntegrationListView.as_view(), name="api-integration-list"),
    path(
        "integrations/<str:integration_id>",
        views.IntegrationDetailView.as_view(),
        name="api-integration-detail",
    ),
    path(
        "integrations/<str:integration_id>/enabled",
        views.IntegrationEnabledView.as_view(),
        name="api-integration-enabled",
    ),
    path("tools/<str:category>", views.ToolListView.as_view(), name="api-tool-list"),
    path(
        "integrations/<str:integration_id>/relink",
        links.RelinkView.as_view(),
        name="api-integration-relink",
    ),
    path(
        "integrations/<str:integration_id>/reconnection-links",
        links.ReconnectionLinkListView.as_view(),
        name="api-integration-reconnection-links",
    ),
    path("connect/create-link", links.CreateLinkView.as_view(), name="api-connect-create-link"),
    path(
        "connect/integration-by-token/<str:token>",
        links.IntegrationByTokenView.as_view(),
        name="api-connect-integration-by-token",
    ),
    path(
        "reconnection-links/<str:link_id>",
        links.ReconnectionLinkRevokeView.as_view(),
        name="api-reconnection-link-revoke",
    ),
]

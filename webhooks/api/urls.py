from __future__ import annotations

from django.urls import URLPattern, path

from webhooks.api import views

urlpatterns: list[URLPattern] = [
    path(
        "webhooks/endpoints",
        views.WebhookEndpointListView.as_view(),
        name="api-webhook-endpoint-list",
    ),
    path(
        "webhooks/endpoints/<str:endpoint_id>",
        views.WebhookEndpointDetailView.as_view(),
        name="api-webhook-endpoint-detail",
    ),
    path(
        "webhooks/endpoints/<str:endpoint_id>/rotate-secret",
        views.WebhookEndpointRotateSecretView.as_view(),
        name="api-webhook-endpoint-rotate-secret",
    ),
    path(
        "webhooks/endpoints/<str:endpoint_id>/test",
        views.WebhookEndpointTestView.as_view(),
        name="api-webhook-endpoint-test",
    ),
    path(
        "webhooks/deliveries",
        views.WebhookDeliveryListView.as_view(),
        name="api-webhook-delivery-list",
    ),
    path(
        "webhooks/deliveries/<str:delivery_id>",
        views.WebhookDeliveryDetailView.as_view(),
        name="api-webhook-delivery-detail",
    ),
    path(
        "webhooks/deliveries/<str:delivery_id>/redeliver",
        views.WebhookDeliveryRedeliverView.as_view(),
        name="api-webhook-delivery-redeliver",
    ),
]

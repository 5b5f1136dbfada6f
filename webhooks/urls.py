"""Webhook pages of the operator dashboard, mounted at /dashboard/webhooks/."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from webhooks import views
from webhooks.inspector import BIN_ID_PATTERN

app_name = "webhooks"
urlpatterns: list[URLPattern] = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("endpoints/<str:endpoint_id>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path(
        "endpoints/<str:endpoint_id>/enabled/",
        views.endpoint_enabled_update,
        name="endpoint_enabled_update",
    ),
    path(
        "endpoints/<str:endpoint_id>/rotate-secret/",
        views.endpoint_rotate_secret,
        name="endpoint_rotate_secret",
    ),
    path("endpoints/<str:endpoint_id>/test/", views.endpoint_send_test, name="endpoint_send_test"),
    path("endpoints/<str:endpoint_id>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path(
        "deliveries/redeliver-failed/",
        views.deliveries_redeliver_failed,
        name="deliveries_redeliver_failed",
    ),
    path("deliveries/<str:delivery_id>/", views.delivery_detail, name="delivery_detail"),
    path(
        "deliveries/<str:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="delivery_redeliver",
    ),
    re_path(rf"^inspector/(?P<bin_id>{BIN_ID_PATTERN})/$", views.inspector_page, name="inspector"),
]

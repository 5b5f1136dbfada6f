"""The sandbox HR control page of the operator dashboard, mounted at /dashboard/sandbox-hr/."""

from __future__ import annotations

from django.urls import URLPattern, path

from sandbox_hr import control as views

app_name = "sandbox_control"
urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("accounts/<str:account_id>/employees/", views.employees_add, name="employees_add"),
    path("accounts/<str:account_id>/api-keys/", views.api_key_create_page, name="api_key_create"),
    path("api-keys/<str:key_id>/revoke/", views.api_key_revoke_page, name="api_key_revoke"),
    path(
        "api-keys/<str:key_id>/permissions/remove/",
        views.permission_remove,
        name="permission_remove",
    ),
    path(
        "api-keys/<str:key_id>/permissions/grant/",
        views.permission_grant,
        name="permission_grant",
    ),
]

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from integrations.sandbox_hr import views

app_name = "sandbox_hr"
urlpatterns: list[URLPattern] = [
    path("api/v1/me", views.me, name="api_me"),
    path("api/v1/employees", views.employees, name="api_employees"),
    path("api/v1/groups", views.groups, name="api_groups"),
    # Anything else under the API answers in JSON too, never with an HTML error page.
    re_path(r"^api/(?P<path>.*)$", views.not_found),
]

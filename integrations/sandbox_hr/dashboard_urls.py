"""The sandbox HR control page of the operator dashboard, mounted at /dashboard/sandbox-hr/."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "sandbox_control"
urlpatterns: list[URLPattern] = []

"""Scope config pages of the operator dashboard, mounted at /dashboard/scope-configs/."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "scope_configs"
urlpatterns: list[URLPattern] = []

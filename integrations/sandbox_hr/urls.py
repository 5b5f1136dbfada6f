from __future__ import annotations

from django.urls import URLPattern

app_name = "sandbox_hr"
urlpatterns: list[URLPattern] = []

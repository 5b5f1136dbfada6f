from __future__ import annotations

from django.urls import URLPattern, path

from integrations import connect_views

app_name = "connect"
urlpatterns: list[URLPattern] = [
    path("<str:token>", connect_views.relink_form, name="relink_form"),
]

"""The hosted flow's URL, mounted at /connect/: the page a connect or reconnection link opens."""

from __future__ import annotations

from django.urls import URLPattern, path

from integrations.views import links

app_name = "connect"
urlpatterns: list[URLPattern] = [
    path("<str:token>", links.link_form, name="link_form"),
]

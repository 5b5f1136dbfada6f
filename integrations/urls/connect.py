"""The hosted flow's URL, mounted at /connect/: the page a connect or reconnection link opens."""

from __future__ import annotations

from django.urls import URLPattern, path

from integrations.views import links, oauth

app_name = "connect"
urlpatterns: list[URLPattern] = [
    path("oauth/callback", oauth.oauth_callback, name="oauth_callback"),
    path("<str:token>", links.link_form, name="link_form"),
    path("<str:token>/oauth-trip", oauth.oauth_trip, name="oauth_trip"),
]

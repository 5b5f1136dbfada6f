"""The request inspector's receiver, mounted at /inspector/ (its page is in the dashboard)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from webhooks.inspector import BIN_ID_PATTERN, inspector_receive

app_name = "inspector"
urlpatterns: list[URLPattern] = [
    re_path(rf"^(?P<bin_id>{BIN_ID_PATTERN})/$", inspector_receive, name="receive"),
]

"""Absolute addresses of this site's pages, for what leaves it: `log_url`s, emails, webhooks."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def site_url(view_name: str, *args: object) -> str:
    """`BASE_URL` and the path of a named page (`dashboard:integration_detail`, ...)."""
    return settings.BASE_URL + reverse(view_name, args=args)

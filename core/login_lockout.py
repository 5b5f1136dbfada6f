"""What a person sees when sign-in is locked after repeated failures.

django-axes locks the dashboard and admin sign-ins (`AXES_LOCKOUT_CALLABLE` points here);
Sandbox HR's sign-in follows the same limit and period. The page never echoes the username,
so it tells nothing about which accounts exist: an unknown one locks the same way.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_period_words() -> str:
    """How long a lockout lasts, as people read it: "15 minutes" (whole minutes, rounded up)."""
    minutes = max(1, math.ceil(settings.LOGIN_LOCKOUT_PERIOD.total_seconds() / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    return render(
        request,
        "registration/locked_out.html",
        {"period": lockout_period_words()},
        status=429,
    )

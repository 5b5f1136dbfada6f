"""The real URLconf plus bare views: the baselines served through the same middleware stack."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path

from kombo_site.urls import urlpatterns as site_urlpatterns

BARE_BODY: dict[str, object] = {}


def bare_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BARE_BODY)


@login_required
def bare_page_view(request: HttpRequest) -> HttpResponse:
    # The layout with an empty content block: the cheapest dashboard page there can be, so a
    # page's ratio to it is what its own queries and template cost on top of session and auth.
    return render(request, "base.html")


urlpatterns = [
    path("api/v1/bench-bare/", bare_view),
    path("dashboard/bench-bare/", bare_page_view),
    *site_urlpatterns,
]

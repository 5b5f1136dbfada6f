"""The real URLconf plus a bare view: the baseline served through the same middleware stack."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from kombo_site.urls import urlpatterns as site_urlpatterns

BARE_BODY: dict[str, object] = {}


def bare_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BARE_BODY)


urlpatterns = [path("api/v1/bench-bare/", bare_view), *site_urlpatterns]

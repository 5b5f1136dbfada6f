"""The real URLconf plus bare views: the baselines served through the same middleware stack."""

from __future__ import annotations

import json
import os

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kombo_site.urls import urlpatterns as site_urlpatterns

# The `load` benchmark serves these from another process (gunicorn), so it hands the bodies
# over in the environment; the in-process `api` benchmark fills BARE_BODY itself.
BARE_BODY: dict[str, object] = json.loads(os.environ.get("BENCH_BARE_BODY", "{}"))
BARE_POST_BODY: dict[str, object] = json.loads(os.environ.get("BENCH_BARE_POST_BODY", "{}"))


def bare_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BARE_BODY)


@csrf_exempt
@require_POST
def bare_post_view(request: HttpRequest) -> JsonResponse:
    # Parses the JSON body like the API does, so a POST endpoint's ratio to it is its own work.
    json.loads(request.body)
    return JsonResponse(BARE_POST_BODY)


@login_required
def bare_page_view(request: HttpRequest) -> HttpResponse:
    # The layout with an empty content block: the cheapest dashboard page there can be, so a
    # page's ratio to it is what its own queries and template cost on top of session and auth.
    return render(request, "base.html")


urlpatterns = [
    path("api/v1/bench-bare/", bare_view),
    path("api/v1/bench-bare-post/", bare_post_view),
    path("dashboard/bench-bare/", bare_page_view),
    *site_urlpatterns,
]

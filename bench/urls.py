"""The real URLconf plus bare views: the baselines served through the same middleware stack."""

from __future__ import annotations

import json
import os
import secrets

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ids import new_id
from core.services import api_key_authenticate
from integrations.api_fast_path import integration_with_scope_config
from integrations.models import IntegrationEvent, LinkType, ReconnectionLink
from integrations.services.links import LINK_LIFETIMES, link_url, token_hash
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


@csrf_exempt
@require_POST
def relink_floor_view(request: HttpRequest, integration_id: str) -> JsonResponse:
    """What creating a relink link costs at least on this stack: the work the endpoint cannot
    skip (key lookup, the integration, the link and its audit row in one transaction) in raw
    SQL, without DRF or the ORM's statement compilation. Bounds what the endpoint's ratio to
    the bare POST can reach; not a way to create links (no validation, no error envelope)."""
    raw_key = request.headers["Authorization"].removeprefix("Bearer ")
    api_key = api_key_authenticate(raw_key=raw_key)
    body = json.loads(request.body)
    assert api_key is not None
    integration = integration_with_scope_config(
        environment_id=api_key.environment_id, integration_id=integration_id
    )
    assert integration is not None
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link_id = new_id()
    links, events = ReconnectionLink._meta.db_table, IntegrationEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {links} (id, environment_id, integration_id, kind, link_type, "
            "language, end_user_organization_name, token_hash, created_by_label, created_at, "
            "expires_at) VALUES (%s, %s, %s, 'RELINK', %s, %s, '', %s, %s, %s, %s)",
            [
                *(link_id, integration.environment_id, integration.id),
                *(body["link_type"], body["language"], token_hash(token), "API key bench"),
                *(now, now + LINK_LIFETIMES[LinkType(body["link_type"])]),
            ],
        )
        cursor.execute(
            f"INSERT INTO {events} (integration_id, kind, actor_type, actor_label, data, "
            "created_at) VALUES (%s, 'LINK_CREATED', 'API_KEY', 'API key bench', %s, %s)",
            [integration.id, json.dumps({"link_id": link_id}), now],
        )
    return JsonResponse({"status": "success", "data": {"link": link_url(token)}})


@login_required
def bare_page_view(request: HttpRequest) -> HttpResponse:
    # The layout with an empty content block: the cheapest dashboard page there can be, so a
    # page's ratio to it is what its own queries and template cost on top of session and auth.
    return render(request, "base.html")


urlpatterns = [
    path("api/v1/bench-bare/", bare_view),
    path("api/v1/bench-bare-post/", bare_post_view),
    path("api/v1/bench-relink-floor/<str:integration_id>", relink_floor_view),
    path("dashboard/bench-bare/", bare_page_view),
    *site_urlpatterns,
]

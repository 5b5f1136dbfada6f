"""API latency: a Kombo endpoint against a bare view, and list pages against table size."""

from __future__ import annotations

import json

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.core import Row, median_seconds


def run() -> list[Row]:
    from bench import urls as bench_urls
    from core.services import api_key_create, environment_get_or_create
    from tests.support.factories import IntegrationFactory

    environment = environment_get_or_create(name="production")
    _, raw_key = api_key_create(environment=environment, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    first = IntegrationFactory(environment=environment)
    IntegrationFactory.create_batch(99, environment=environment)

    with override_settings(ROOT_URLCONF="bench.urls"):

        def list_page() -> object:
            response = client.get("/api/v1/integrations?page_size=100")
            assert response.status_code == 200
            return response

        def detail() -> object:
            response = client.get(f"/api/v1/integrations/{first.pk}")
            assert response.status_code == 200
            return response

        bench_urls.BARE_BODY.update(json.loads(detail().content))  # type: ignore[attr-defined]

        def bare() -> object:
            response = client.get("/api/v1/bench-bare/")
            assert response.status_code == 200
            return response

        detail_time = median_seconds(detail, 200)
        bare_time = median_seconds(bare, 200)
        list_small = median_seconds(list_page, 50)
        IntegrationFactory.create_batch(1900, environment=environment)
        list_large = median_seconds(list_page, 50)
        with CaptureQueriesContext(connection) as queries:
            list_page()
    return [
        Row(
            "API GET /integrations/{id} vs bare view, same JSON",
            detail_time * 1000,
            bare_time * 1000,
            "ms",
            # A regression guard: key lookup, integration query and serialization on top.
            8.0,
        ),
        Row(
            "API GET /integrations page of 100: 2,000 vs 100 rows",
            list_large * 1000,
            list_small * 1000,
            "ms",
            1.5,
            detail=f"{len(queries)} queries per page",
        ),
    ]

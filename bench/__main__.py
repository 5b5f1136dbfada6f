"""`make bench`: benchmarks printed as ratios against a baseline measured in the same run.

Runs in a throw-away test database (`DATABASE_URL` decides the engine, as in the tests), through
the full Django stack in-process. Absolute times are not comparable between machines; ratios are.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kombo_site.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

ROUNDS = 200


def _time(call: Callable[[], object], rounds: int = ROUNDS) -> float:
    """Median seconds per call after a warm-up."""
    for _ in range(10):
        call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            rows = _run()
    finally:
        teardown_databases(old_config, verbosity=0)
    print(f"\n{'benchmark':58} {'figure':>11} {'baseline':>11} {'ratio':>7} {'target':>8}  result")
    failed = False
    for name, figure, baseline, target, unit in rows:
        ratio = figure / baseline
        ok = ratio <= target
        failed |= not ok
        print(
            f"{name:58} {figure * 1000:9.2f}{unit} {baseline * 1000:9.2f}{unit} {ratio:7.2f} "
            f"{'<= ' + str(target):>8}  {'pass' if ok else 'FAIL'}"
        )
    print(f"\ndatabase: {connection.vendor}")
    raise SystemExit(1 if failed else 0)


def _run() -> list[tuple[str, float, float, float, str]]:
    from integrations.services import api_key_create, environment_get_or_create
    from tests.factories import IntegrationFactory

    environment = environment_get_or_create(name="production")
    _, raw_key = api_key_create(environment=environment, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    first = IntegrationFactory(environment=environment)
    IntegrationFactory.create_batch(99, environment=environment)

    def list_page() -> object:
        response = client.get("/api/v1/integrations?page_size=100")
        assert response.status_code == 200
        return response

    def detail() -> object:
        response = client.get(f"/api/v1/integrations/{first.pk}")
        assert response.status_code == 200
        return response

    from bench import urls as bench_urls

    bench_urls.BARE_BODY.update(json.loads(detail().content))  # type: ignore[attr-defined]

    def baseline() -> object:
        response = client.get("/api/v1/bench-bare/")
        assert response.status_code == 200
        return response

    detail_time = _time(detail)
    baseline_time = _time(baseline)
    list_small = _time(list_page, 50)
    IntegrationFactory.create_batch(1900, environment=environment)
    list_large = _time(list_page, 50)
    with CaptureQueriesContext(connection) as small_queries:
        list_page()
    return [
        (
            "GET /integrations/{id} vs a bare view returning the same JSON",
            detail_time,
            baseline_time,
            # A regression guard: the API adds the key lookup, the integration query and the
            # serializer; issue 8's load test measures throughput under gunicorn.
            8.0,
            "ms",
        ),
        (
            f"GET /integrations page of 100: 2000 rows vs 100 rows ({len(small_queries)} queries)",
            list_large,
            list_small,
            1.5,
            "ms",
        ),
    ]


if __name__ == "__main__":
    main()

"""`/readyz` is readiness: Kubernetes ("Configure Liveness, Readiness and Startup Probes")
sends traffic to a pod only while it answers 200-399. It answers 200 with every check of
django-health-check's and ours passing: database, cache, broker, migrations, a worker seen."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client, override_settings

from core.models import RequestLog
from core.services.workers import worker_heartbeat_record

# Transactional: readyz may check from a thread of its own (see core.health.readyz).
pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = {"database", "cache", "broker", "migrations", "workers"}


def test_it_answers_200_when_every_check_passes(client: Client) -> None:
    worker_heartbeat_record(hostname="celery@worker-1")

    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}


@override_settings(ALLOWED_HOSTS=["kombo.example.com"], SECURE_SSL_REDIRECT=True)
def test_it_answers_a_probe_to_the_pods_address_without_sign_in(client: Client) -> None:
    worker_heartbeat_record(hostname="celery@worker-1")

    response = client.get("/readyz", HTTP_HOST="10.12.0.7:8000")

    assert response.status_code == 200, response.content
    assert RequestLog.objects.count() == 0


def test_it_answers_from_a_thread_where_an_event_loop_already_runs(client: Client) -> None:
    """Synchronous code driving an event loop of its own (Playwright's sync API does) leaves
    one running in its thread, where asgiref's `async_to_sync` refuses to start."""
    worker_heartbeat_record(hostname="celery@worker-1")

    async def probe_inside_a_running_loop() -> tuple[int, dict[str, object]]:
        response = client.get("/readyz")
        return response.status_code, response.json()

    # In a thread of its own: the test's own thread may already run a loop (Playwright's, in
    # a worker that ran browser tests), where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status, body = pool.submit(asyncio.run, probe_inside_a_running_loop()).result()

    assert status == 200, body
    assert body == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}

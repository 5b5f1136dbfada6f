"""`/readyz` is readiness: Kubernetes ("Configure Liveness, Readiness and Startup Probes")
sends traffic to a pod only while it answers 200-399. It answers 200 with every check of
django-health-check's and ours passing: database, cache, broker, migrations, a worker seen."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from core.models import RequestLog
from core.services.workers import worker_heartbeat_record

pytestmark = pytest.mark.django_db

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

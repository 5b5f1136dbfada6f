"""`/readyz` fails (503, which Kubernetes' readiness probe and load balancers take as "not
ready") when no Celery worker recorded a heartbeat within READYZ_WORKER_MAX_AGE: syncs and
webhook deliveries would only pile up. The heartbeat is read from the database, never asked of
the workers (a broadcast per probe)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from core.services.workers import worker_heartbeat_record

# Transactional: readyz may check from a thread of its own (see core.health.readyz).
pytestmark = pytest.mark.django_db(transaction=True)


def test_it_answers_503_naming_the_workers_once_the_heartbeat_is_too_old(client: Client) -> None:
    worker_heartbeat_record(hostname="celery@worker-1")
    assert client.get("/readyz").status_code == 200

    later = timezone.now() + settings.READYZ_WORKER_MAX_AGE + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["workers"].startswith("Unavailable: No Celery worker seen")
    assert [name for name, outcome in body["checks"].items() if outcome != "ok"] == ["workers"]


def test_it_is_ready_again_when_a_worker_beats_again(client: Client) -> None:
    later = timezone.now() + settings.READYZ_WORKER_MAX_AGE * 2
    with time_machine.travel(later, tick=False):
        assert client.get("/readyz").status_code == 503
        worker_heartbeat_record(hostname="celery@worker-2")

        assert client.get("/readyz").status_code == 200

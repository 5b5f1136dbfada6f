"""`/healthz` is liveness: Kubernetes' "Configure Liveness, Readiness and Startup Probes" says a
failing liveness probe restarts the container, and that any code from 200 to 399 is success.
So it answers 200 whenever the process can answer, without asking the database (an outage must
not get every web pod restarted), to any Host (probes go to the pod's own address), without
sign-in."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from core.models import RequestLog


def test_it_answers_200_json_without_touching_the_database(client: Client) -> None:
    # No `db` fixture: pytest-django fails any database query made in this test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {}}


@override_settings(ALLOWED_HOSTS=["kombo.example.com"], SECURE_SSL_REDIRECT=True)
def test_it_answers_a_probe_to_the_pods_address_over_plain_http(client: Client) -> None:
    response = client.get("/healthz", HTTP_HOST="10.12.0.7:8000")

    assert response.status_code == 200


@override_settings(ALLOWED_HOSTS=["kombo.example.com"])
def test_it_still_refuses_other_pages_to_unknown_hosts(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_HOST="10.12.0.7:8000")

    assert response.status_code == 400


@pytest.mark.django_db
def test_it_writes_no_request_log_row(client: Client) -> None:
    for _ in range(3):
        client.get("/healthz")
        client.get("/readyz")

    assert RequestLog.objects.count() == 0

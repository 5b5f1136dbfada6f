"""The request logs: filtered by status and integration, each request's log on its own page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment, RequestLog

pytestmark = pytest.mark.django_db


def test_it_shows_request_logs(operator_client: Client, environment: Environment) -> None:
    ok = RequestLog.objects.create(
        method="GET",
        path="/api/v1/check-api-key",
        status_code=200,
        integration_id="sandbox:abc",
        latency_ms=12,
    )
    failed = RequestLog.objects.create(
        method="POST",
        path="/api/v1/force-sync",
        status_code=404,
        integration_id="sandbox:xyz",
        error_code="PLATFORM.INTEGRATION_NOT_FOUND",
        latency_ms=7,
    )

    everything = operator_client.get(reverse("dashboard:request_log_list")).content.decode()
    by_status = operator_client.get("/dashboard/logs/?status_code=404").content.decode()
    by_integration = operator_client.get("/dashboard/logs/?integration_id=sandbox:abc").content
    detail = operator_client.get(reverse("dashboard:request_log_detail", args=[failed.pk]))

    assert "/api/v1/check-api-key" in everything
    assert "/api/v1/force-sync" in everything
    assert "/api/v1/force-sync" in by_status
    assert "/api/v1/check-api-key" not in by_status
    assert b"/api/v1/check-api-key" in by_integration
    assert b"/api/v1/force-sync" not in by_integration
    assert detail.status_code == 200
    assert "PLATFORM.INTEGRATION_NOT_FOUND" in detail.content.decode()
    assert failed.pk in detail.content.decode()
    assert ok.pk not in detail.content.decode()


def test_it_shows_the_log_of_a_request_with_an_odd_integration_id(
    operator_client: Client,
) -> None:
    log = RequestLog.objects.create(
        method="GET", path="/api/v1/x", status_code=400, integration_id="a/b c", latency_ms=1
    )

    response = operator_client.get(reverse("dashboard:request_log_detail", args=[log.pk]))

    assert response.status_code == 200
    assert "a/b c" in response.content.decode()


def test_it_404s_for_an_unknown_request_log(operator_client: Client) -> None:
    response = operator_client.get(reverse("dashboard:request_log_detail", args=["missing"]))

    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()

"""Who may scrape /metrics: a Bearer token (RFC 6750: a missing or wrong token is a 401 with a
`WWW-Authenticate: Bearer` challenge), client networks, or both; nothing set means no endpoint.
A granted scrape answers in Prometheus's text exposition format, version 0.0.4 (Prometheus
docs, "Exposition formats": `Content-Type: text/plain; version=0.0.4`)."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client, override_settings

from core.models import RequestLog
from tests.support.metrics import METRICS_TOKEN, parse

pytestmark = pytest.mark.django_db

BEARER = f"Bearer {METRICS_TOKEN}"
OFFICE = [ipaddress.ip_network("10.20.0.0/16")]


def test_it_refuses_a_scrape_without_the_token(client: Client) -> None:
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        response = client.get("/metrics")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"kombo_" not in response.content


def test_it_refuses_a_wrong_token_without_saying_more(client: Client) -> None:
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-test")
        other_scheme = client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {METRICS_TOKEN}")

    assert wrong.status_code == other_scheme.status_code == 401
    assert wrong.content == other_scheme.content == b""


def test_it_answers_the_right_token_in_the_text_format(client: Client) -> None:
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        response = client.get("/metrics", HTTP_AUTHORIZATION=BEARER)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "kombo_integrations" in parse(response.content.decode()).names()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_refuses_an_address_outside_the_allow_list(client: Client) -> None:
    with override_settings(METRICS_TOKEN="", METRICS_ALLOWED_ADDRESSES=OFFICE):
        outside = client.get("/metrics", REMOTE_ADDR="192.0.2.7")
        inside = client.get("/metrics", REMOTE_ADDR="10.20.3.4")

    assert outside.status_code == 403
    assert outside.content == b""
    assert inside.status_code == 200


def test_it_matches_the_address_behind_trusted_proxies(client: Client) -> None:
    """MDN, X-Forwarded-For: the entry the outermost trusted proxy appended is the client."""
    with override_settings(
        METRICS_TOKEN="", METRICS_ALLOWED_ADDRESSES=OFFICE, TRUSTED_PROXY_COUNT=1
    ):
        forged = client.get(
            "/metrics", REMOTE_ADDR="10.20.0.1", HTTP_X_FORWARDED_FOR="10.20.9.9, 198.51.100.4"
        )
        office = client.get("/metrics", REMOTE_ADDR="10.20.0.1", HTTP_X_FORWARDED_FOR="10.20.9.9")

    assert forged.status_code == 403
    assert office.status_code == 200


def test_it_asks_for_both_when_both_are_set(client: Client) -> None:
    with override_settings(METRICS_TOKEN=METRICS_TOKEN, METRICS_ALLOWED_ADDRESSES=OFFICE):
        token_only = client.get("/metrics", REMOTE_ADDR="192.0.2.7", HTTP_AUTHORIZATION=BEARER)
        address_only = client.get("/metrics", REMOTE_ADDR="10.20.3.4")
        both = client.get("/metrics", REMOTE_ADDR="10.20.3.4", HTTP_AUTHORIZATION=BEARER)

    assert token_only.status_code == 403
    assert address_only.status_code == 401
    assert both.status_code == 200


def test_it_does_not_exist_in_production_when_nothing_protects_it(client: Client) -> None:
    with override_settings(DEBUG=False, METRICS_TOKEN="", METRICS_ALLOWED_ADDRESSES=[]):
        response = client.get("/metrics")
        unknown = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.content == unknown.content


def test_it_shows_a_local_run_its_metrics_on_loopback_only(client: Client) -> None:
    with override_settings(DEBUG=True, METRICS_TOKEN="", METRICS_ALLOWED_ADDRESSES=[]):
        loopback = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
        remote = client.get("/metrics", REMOTE_ADDR="192.0.2.7")

    assert loopback.status_code == 200
    assert remote.status_code == 404


def test_it_writes_no_request_log_per_scrape(client: Client) -> None:
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        for _ in range(3):
            assert client.get("/metrics", HTTP_AUTHORIZATION=BEARER).status_code == 200

    assert RequestLog.objects.count() == 0

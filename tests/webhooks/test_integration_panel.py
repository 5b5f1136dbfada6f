"""The "Webhooks sent" panel the integration page places: `{% integration_webhooks id %}`."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_httpserver import HTTPServer

from core.models import Environment
from webhooks.delivery import delivery_attempt
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_create, event_emit

pytestmark = pytest.mark.django_db

PANEL = Template("{% load webhook_panels %}{% integration_webhooks integration_id %}")
DELIVERY_LINK = re.compile(r'href="/dashboard/webhooks/deliveries/(\w{24})/"')


def _panel(integration_id: str) -> str:
    return PANEL.render(Context({"integration_id": integration_id}))


def _endpoint(environment: Environment, url: str, description: str = "") -> WebhookEndpoint:
    endpoint, _ = endpoint_create(environment_id=environment.pk, url=url, description=description)
    return endpoint


def _deliveries(
    endpoint: WebhookEndpoint, integration_id: str, count: int, type: str = "sync-finished"
) -> list[str]:
    return [
        event_emit(
            environment_id=endpoint.environment_id,
            type=type,
            data={"integration_id": integration_id, "n": n},
            integration_id=integration_id,
            only_endpoint=endpoint,
        )
        .deliveries.get()
        .pk
        for n in range(count)
    ]


def test_it_shows_only_the_deliveries_of_its_integration(environment: Environment) -> None:
    endpoint = _endpoint(environment, "https://receiver.example/hooks", "Backend")
    ours = _deliveries(endpoint, "sandbox:ours", 3, type="integration-state-changed")
    theirs = _deliveries(endpoint, "sandbox:theirs", 2)

    html = _panel("sandbox:ours")

    assert set(DELIVERY_LINK.findall(html)) == set(ours)
    assert not set(theirs) & set(DELIVERY_LINK.findall(html))
    assert '<h2 id="webhooks-sent-title">Webhooks sent</h2>' in html
    assert "integration-state-changed" in html
    assert "sync-finished" not in html
    assert "Backend" in html
    assert "Pending" in html
    assert "Not yet" in html


def test_it_shows_the_status_attempts_and_last_attempt_of_each_delivery(
    environment: Environment, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hooks", method="POST").respond_with_data("boom", status=500)
    endpoint = _endpoint(environment, httpserver.url_for("/hooks"))
    (delivery_id,) = _deliveries(endpoint, "sandbox:ours", 1)
    attempted_at = timezone.now() + timedelta(minutes=10)

    delivery_attempt(delivery_id=delivery_id)
    with time_machine.travel(attempted_at, tick=False):
        delivery_attempt(delivery_id=delivery_id)

    html = _panel("sandbox:ours")

    assert "Retrying" in html
    assert "<td>2</td>" in html
    assert date_format(timezone.localtime(attempted_at), "M j, H:i:s") in html


def test_it_never_shows_the_secret_parts_of_an_endpoint_url(environment: Environment) -> None:
    endpoint = _endpoint(environment, "https://receiver.example:8443/in?token=s3cret#frag")
    _deliveries(endpoint, "sandbox:ours", 1)

    html = _panel("sandbox:ours")

    assert "https://receiver.example:8443/in" in html
    for secret_part in ("s3cret", "frag"):
        assert secret_part not in html


def test_it_shows_the_newest_twenty_and_links_to_all_of_them(
    environment: Environment, operator: object, client: Client
) -> None:
    endpoint = _endpoint(environment, "https://receiver.example/hooks")
    oldest = _deliveries(endpoint, "sandbox:ours", 2)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        newest = _deliveries(endpoint, "sandbox:ours", 20)
    _deliveries(endpoint, "sandbox:theirs", 1)

    html = _panel("sandbox:ours")

    assert set(DELIVERY_LINK.findall(html)) == set(newest)
    all_url = reverse("webhooks:delivery_list") + "?integration_id=sandbox%3Aours"
    assert f'href="{all_url}"' in html
    client.force_login(operator)  # type: ignore[arg-type]
    listed = client.get(all_url).content.decode()
    assert set(DELIVERY_LINK.findall(listed)) == set(oldest + newest)


def test_it_says_when_nothing_was_sent(environment: Environment) -> None:
    assert "No webhooks sent for this integration yet." in _panel("sandbox:ours")


def test_it_renders_in_a_constant_number_of_queries(
    environment: Environment, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hooks", method="POST").respond_with_data("boom", status=500)
    endpoints = [
        _endpoint(environment, httpserver.url_for("/hooks"), f"Receiver {n}") for n in range(3)
    ]

    def deliver(count: int) -> None:
        for n in range(count):
            (delivery_id,) = _deliveries(endpoints[n % 3], "sandbox:ours", 1)
            delivery_attempt(delivery_id=delivery_id)

    deliver(2)
    with CaptureQueriesContext(connection) as few:
        assert len(DELIVERY_LINK.findall(_panel("sandbox:ours"))) == 2

    deliver(13)
    with CaptureQueriesContext(connection) as many:
        assert len(DELIVERY_LINK.findall(_panel("sandbox:ours"))) == 15

    assert len(many.captured_queries) == len(few.captured_queries) == 1

"""With LOG_FORMAT=json every line is one JSON object (python-json-logger) carrying the id of
the request it was written for: the `X-Request-ID` the client or load balancer sent when it is
a sane token (the de-facto correlation header of Heroku's router, nginx's `$request_id`
forwarding and AWS ALB setups), else one we make; the response carries it back."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.logs import json_logs

pytestmark = pytest.mark.django_db


def test_it_logs_and_echoes_the_request_id_it_was_sent(client: Client) -> None:
    with json_logs() as lines:
        response = client.get("/dashboard/no-such-page/", HTTP_X_REQUEST_ID="abc123")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "abc123"
    not_found = [line for line in lines() if line["logger"] == "django.request"]
    assert not_found, lines()
    assert not_found[0]["request_id"] == "abc123"
    assert not_found[0]["level"] == "WARNING"
    assert "/dashboard/no-such-page/" in not_found[0]["message"]


def test_it_makes_its_own_id_for_a_request_without_a_sane_one(client: Client) -> None:
    with json_logs() as lines:
        response = client.get("/dashboard/no-such-page/", HTTP_X_REQUEST_ID='a"b c\nforged')

    made = response["X-Request-ID"]
    assert made
    assert "forged" not in made
    assert [line["request_id"] for line in lines() if line["logger"] == "django.request"] == [made]


def test_it_gives_each_request_its_own_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first
    assert second
    assert first != second


def test_it_names_the_integration_of_an_api_request(client: Client) -> None:
    with json_logs() as lines:
        client.get("/api/v1/hris/employees", HTTP_X_INTEGRATION_ID="personio:abc123")

    api_lines = [line for line in lines() if line["logger"] == "django.request"]
    assert api_lines, lines()
    assert all(line["integration_id"] == "personio:abc123" for line in api_lines)

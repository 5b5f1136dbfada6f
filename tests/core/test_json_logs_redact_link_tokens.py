"""JSON logs keep link tokens out as the plain ones do (core.redaction): a hosted-form URL
(`/connect/<token>`) is a credential of sorts. python-json-logger writes a record's extra
attributes as text (its README, "Adding custom fields"), and Django's `django.request` records
carry the request, whose text is the URL: that must not leak the token either."""

from __future__ import annotations

import logging
import secrets

import pytest
from django.test import Client

from tests.support.logs import json_logs

pytestmark = pytest.mark.django_db


def test_it_redacts_the_token_of_a_hosted_form_request(client: Client) -> None:
    token = secrets.token_urlsafe(32)

    with json_logs() as lines:
        response = client.get(f"/connect/{token}", HTTP_X_REQUEST_ID="redaction-1")

    assert response.status_code >= 400
    logged = lines()
    request_lines = [line for line in logged if line.get("request_id") == "redaction-1"]
    assert any("/connect/[token]" in line["message"] for line in request_lines), logged
    assert all(token not in str(line) for line in logged)


def test_it_redacts_a_token_any_logger_writes() -> None:
    token = secrets.token_urlsafe(32)

    with json_logs() as lines:
        logging.getLogger("kombo.anywhere").warning("Customer opened /connect/%s", token)

    (line,) = [line for line in lines() if line["logger"] == "kombo.anywhere"]
    assert line["message"] == "Customer opened /connect/[token]"
    assert token not in str(line)

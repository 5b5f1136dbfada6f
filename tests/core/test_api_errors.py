"""Bad input to the API always gets Kombo's error envelope, never a 500 or an HTML page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings

from core.models import ApiKey, Environment, RequestLog
from core.services import api_key_revoke
from integrations.models import Integration
from tests.support.factories import IntegrationFactory


@pytest.fixture
def integration(environment: Environment) -> Integration:
    return IntegrationFactory(environment=environment)


@pytest.fixture
def client(api_key: tuple[ApiKey, str]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")


def assert_error(response: HttpResponse, status: int, code: str, *mentions: str) -> dict[str, Any]:
    """The envelope, with a `log_url` pointing at the request's log row; returns the error."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "error"
    error = body["error"]
    assert set(error) == {"code", "title", "message", "log_url"}
    assert error["code"] == code
    assert error["title"]
    for mention in mentions:
        assert mention in error["message"]
    prefix = f"{settings.BASE_URL}/dashboard/logs/"
    assert error["log_url"].startswith(prefix)
    assert error["log_url"].endswith("/")
    log = RequestLog.objects.get(pk=error["log_url"][len(prefix) : -1])
    assert (log.status_code, log.error_code) == (status, code)
    return error


def put_enabled(client: Client, integration: Integration, body: str, **extra: Any) -> HttpResponse:
    extra.setdefault("content_type", "application/json")
    return client.put(f"/api/v1/integrations/{integration.id}/enabled", data=body, **extra)


@pytest.mark.parametrize(
    ("body", "mention"),
    [
        ('{"value": "yes"}', "value: Must be a JSON boolean"),
        ('{"value": 1}', "value: Must be a JSON boolean"),
        ('{"value": "true"}', "value: Must be a JSON boolean"),
        ('{"value": null}', "value: This field may not be null."),
        ("{}", "value: This field is required."),
        ('{"value": true, "reason": "x"}', "reason: Unknown field."),
        ("[true]", "Expected a dictionary"),
        ('"true"', "Expected a dictionary"),
    ],
)
def test_it_accepts_only_a_json_boolean_value(
    client: Client, integration: Integration, body: str, mention: str
) -> None:
    response = put_enabled(client, integration, body)

    assert_error(response, 400, "PLATFORM.INPUT_INVALID", mention)
    integration.refresh_from_db()
    assert integration.enabled


@pytest.mark.parametrize("body", ['{"value": tru', "{'value': true}", '{"value": NaN}', "\xff\xfe"])
def test_it_refuses_malformed_json(client: Client, integration: Integration, body: str) -> None:
    response = put_enabled(client, integration, body)

    assert_error(response, 400, "PLATFORM.INPUT_INVALID", "Malformed request body")


def test_it_refuses_json_nested_too_deeply(client: Client, integration: Integration) -> None:
    response = put_enabled(client, integration, "[" * 100_000 + "]" * 100_000)

    assert_error(response, 400, "PLATFORM.INPUT_INVALID", "Malformed request body")


def test_it_refuses_an_oversized_body(
    client: Client, integration: Integration, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"value": True, "padding": "x" * 2_000})

    response = put_enabled(client, integration, body)

    assert_error(response, 413, "PLATFORM.INPUT_INVALID", "too large")


def test_it_refuses_a_body_that_is_not_json(client: Client, integration: Integration) -> None:
    response = put_enabled(client, integration, "value=true", content_type="text/plain")

    assert_error(response, 415, "PLATFORM.INPUT_INVALID", "text/plain")


def test_it_deletes_with_an_empty_body_too(client: Client, integration: Integration) -> None:
    response = client.delete(f"/api/v1/integrations/{integration.id}")

    assert response.status_code == 200
    assert response.json() == {"status": "success", "data": {}}
    integration.refresh_from_db()
    assert integration.is_deleted


def test_it_refuses_unknown_fields_when_deleting(client: Client, integration: Integration) -> None:
    response = client.delete(
        f"/api/v1/integrations/{integration.id}",
        data='{"force": true}',
        content_type="application/json",
    )

    assert_error(response, 400, "PLATFORM.INPUT_INVALID", "force: Unknown field.")
    integration.refresh_from_db()
    assert not integration.is_deleted


def test_it_names_the_allowed_tool_categories(client: Client) -> None:
    response = client.get("/api/v1/tools/crm")

    assert_error(
        response, 400, "PLATFORM.INPUT_INVALID", "category:", '"crm"', "hris, ats, assessment, lms"
    )


@pytest.mark.parametrize(
    ("query", "mention"),
    [
        ("status=BROKEN", "status:"),
        ("tool=no-such-tool", "tool:"),
        ("cursor=not-a-cursor", "cursor:"),
        ("cursor=eyJpZCI6IDF9", "cursor:"),
        ("cursor=" + "A" * 600, "cursor:"),
        ("page_size=0", "page_size:"),
        ("page_size=251", "page_size:"),
        ("page_size=ten", "page_size:"),
        ("search=" + "x" * 201, "search:"),
        ("search=%00", "search:"),
    ],
)
def test_it_names_the_bad_list_parameter(client: Client, query: str, mention: str) -> None:
    response = client.get(f"/api/v1/integrations?{query}")

    assert_error(response, 400, "PLATFORM.INPUT_INVALID", mention)


@pytest.mark.parametrize("integration_id", ["sandbox:doesnotexist", "x" * 500, "%F0%9F%92%A5"])
def test_it_does_not_find_unknown_integrations(client: Client, integration_id: str) -> None:
    response = client.get(f"/api/v1/integrations/{integration_id}")

    assert_error(response, 404, "PLATFORM.INTEGRATION_NOT_FOUND")


def test_it_does_not_find_an_integration_id_with_a_nul_byte(client: Client) -> None:
    # PostgreSQL refuses NUL in text: the id never reaches a query, the log drops the byte.
    response = client.get("/api/v1/integrations/sandbox%00x")

    assert_error(response, 404, "PLATFORM.INTEGRATION_NOT_FOUND")


def test_it_hides_integrations_of_other_environments(
    client: Client, other_environment: Environment
) -> None:
    foreign = IntegrationFactory(environment=other_environment)

    for response in (
        client.get(f"/api/v1/integrations/{foreign.id}"),
        put_enabled(client, foreign, '{"value": false}'),
        client.delete(f"/api/v1/integrations/{foreign.id}", "{}", content_type="application/json"),
    ):
        error = assert_error(response, 404, "PLATFORM.INTEGRATION_NOT_FOUND", foreign.id)
        log = RequestLog.objects.get(pk=error["log_url"].rstrip("/").rsplit("/", 1)[1])
        assert log.integration_id == foreign.id
    foreign.refresh_from_db()
    assert foreign.enabled
    assert not foreign.is_deleted


@pytest.mark.parametrize("debug", [False, True])
def test_it_answers_unknown_api_paths_with_the_envelope(client: Client, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/no-such-endpoint")

    assert_error(response, 404, "PLATFORM.INPUT_INVALID", "/api/v1/no-such-endpoint")


def test_it_refuses_a_wrong_method(client: Client, integration: Integration) -> None:
    assert_error(client.post("/api/v1/check-api-key"), 405, "PLATFORM.INPUT_INVALID", "POST")
    assert_error(
        client.patch(f"/api/v1/integrations/{integration.id}", "{}", "application/json"),
        405,
        "PLATFORM.INPUT_INVALID",
        "PATCH",
    )


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer ks_neverIssued",
        "Bearer",
        "Token ks_abc",
        "Bearer a b",
        # What a WSGI server hands Django for UTF-8 bytes in a header: their latin-1 decoding.
        "Bearer ks_ключ".encode().decode("latin-1"),
    ],
)
def test_it_refuses_requests_without_a_valid_key(
    integration: Integration, authorization: str | None
) -> None:
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    client = Client(**headers)

    for response in (
        client.get("/api/v1/check-api-key"),
        client.get(f"/api/v1/integrations/{integration.id}"),
        client.get("/api/v1/integrations"),
        client.get("/api/v1/tools/hris"),
        put_enabled(client, integration, '{"value": false}'),
        client.delete(f"/api/v1/integrations/{integration.id}"),
    ):
        assert_error(response, 401, "PLATFORM.AUTHENTICATION_INVALID")
        assert response["WWW-Authenticate"].startswith("Bearer")
    integration.refresh_from_db()
    assert integration.enabled
    assert not integration.is_deleted


def test_it_refuses_a_revoked_key(
    client: Client, api_key: tuple[ApiKey, str], integration: Integration
) -> None:
    assert client.get("/api/v1/check-api-key").status_code == 200
    api_key_revoke(api_key=api_key[0])

    response = client.get(f"/api/v1/integrations/{integration.id}")

    assert_error(response, 401, "PLATFORM.AUTHENTICATION_INVALID", "revoked")


def _cursor(payload: dict[str, Any]) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor({"created_at": "2026-01-01T00:00:00+00:00", "id": "abc\u0000def"}),
        _cursor({"created_at": "0001-01-01T00:00:00+14:00", "id": "abc"}),
        _cursor({"created_at": "2026-01-01T00:00:00", "id": "abc"}),
    ],
    ids=["nul-in-id", "out-of-range-instant", "naive-instant"],
)
def test_it_refuses_a_forged_cursor(client: Client, cursor: str) -> None:
    for path in ("/api/v1/integrations", "/api/v1/webhooks/deliveries"):
        response = client.get(f"{path}?cursor={cursor}")

        assert_error(response, 400, "PLATFORM.INPUT_INVALID", "cursor")


def test_it_does_not_find_a_sync_id_with_a_nul_byte(client: Client) -> None:
    response = client.get("/api/v1/syncs/abc%00def")

    assert response.status_code == 404
    assert response.json()["status"] == "error"

"""`/api/v1/webhooks/...`: endpoints CRUD, one-time secrets, the URL guard, environment
isolation, the delivery log (filters, cursor, redeliver) and its query count."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_httpserver import HTTPServer

from core.models import ApiKey, Environment
from core.services import api_key_create
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.secrets import secret_decrypt
from webhooks.services import endpoint_create, event_emit

ENDPOINTS = "/api/v1/webhooks/endpoints"
DELIVERIES = "/api/v1/webhooks/deliveries"


@pytest.fixture
def client(api_key: tuple[ApiKey, str]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key[1]}")


@pytest.fixture
def other_client(other_environment: Environment) -> Client:
    _, raw_key = api_key_create(environment=other_environment, name="other")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw_key}")


def call(
    client: Client, method: str, path: str, body: dict[str, Any] | None = None, status: int = 200
) -> dict[str, Any]:
    response = getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    payload: dict[str, Any] = response.json()
    return payload


def ok(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    payload = call(client, method, path, body)
    assert payload["status"] == "success"
    return payload["data"]


def assert_input_invalid(payload: dict[str, Any], field: str) -> None:
    assert payload["status"] == "error"
    assert payload["error"]["code"] == "PLATFORM.INPUT_INVALID"
    # "url: ...", or "event_types.1: ..." for an item of a list.
    named = payload["error"]["message"].split(":")[0].split(".")[0]
    assert named == field, payload


def assert_not_found(payload: dict[str, Any]) -> None:
    assert payload["status"] == "error"
    assert payload["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert payload["error"]["title"] == "Not found"


def emit(environment_id: str, count: int, **kwargs: Any) -> list[WebhookEvent]:
    kwargs.setdefault("type", "integration-created")
    return [
        event_emit(environment_id=environment_id, data={"n": n}, **kwargs) for n in range(count)
    ]


@pytest.mark.django_db
def test_it_creates_reads_updates_and_deletes_an_endpoint(client: Client) -> None:
    created = ok(
        client,
        "post",
        ENDPOINTS,
        {
            "url": "https://hooks.example.com/kombo",
            "description": "Production receiver",
            "event_types": ["sync-finished", "integration-state-changed"],
        },
    )
    endpoint_id = created["id"]
    assert created["url"] == "https://hooks.example.com/kombo"
    assert created["description"] == "Production receiver"
    assert created["event_types"] == ["integration-state-changed", "sync-finished"]
    assert created["enabled"] is True
    assert created["disabled_reason"] is None
    assert created["secret"].startswith("whsec_")

    listed = ok(client, "get", ENDPOINTS)
    assert listed["next"] is None
    assert [e["id"] for e in listed["results"]] == [endpoint_id]
    detail = ok(client, "get", f"{ENDPOINTS}/{endpoint_id}")
    assert listed["results"][0] == detail
    assert {key: value for key, value in created.items() if key != "secret"} == detail

    updated = ok(
        client,
        "patch",
        f"{ENDPOINTS}/{endpoint_id}",
        {"description": "Old receiver", "event_types": [], "enabled": False},
    )
    assert updated["url"] == "https://hooks.example.com/kombo"
    assert updated["description"] == "Old receiver"
    assert updated["event_types"] == []
    assert updated["enabled"] is False
    assert updated["disabled_reason"] == "Disabled by an operator."
    assert updated["disabled_at"] is not None
    assert ok(client, "get", f"{ENDPOINTS}/{endpoint_id}") == updated

    enabled = ok(
        client,
        "patch",
        f"{ENDPOINTS}/{endpoint_id}",
        {"enabled": True, "url": "https://hooks.example.com/v2"},
    )
    assert enabled["enabled"] is True
    assert enabled["disabled_reason"] is None
    assert enabled["url"] == "https://hooks.example.com/v2"

    assert ok(client, "delete", f"{ENDPOINTS}/{endpoint_id}") == {}
    assert_not_found(call(client, "get", f"{ENDPOINTS}/{endpoint_id}", status=404))
    assert ok(client, "get", ENDPOINTS)["results"] == []


@pytest.mark.django_db
def test_it_sends_a_test_event_to_that_endpoint_only(
    client: Client, environment: Environment, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = ok(client, "post", ENDPOINTS, {"url": "https://a.example.com/hook"})
    ok(client, "post", ENDPOINTS, {"url": "https://b.example.com/hook"})

    with django_capture_on_commit_callbacks() as callbacks:
        sent = ok(client, "post", f"{ENDPOINTS}/{endpoint['id']}/test")

    event = WebhookEvent.objects.get(pk=sent["event_id"])
    assert event.type == "test"
    assert event.payload["data"]["endpoint_id"] == endpoint["id"]
    assert [(d.pk, d.endpoint_id) for d in event.deliveries.all()] == [
        (sent["delivery_id"], endpoint["id"])
    ]
    assert len(callbacks) == 1


@pytest.mark.django_db
@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=True)
def test_it_shows_the_secret_only_on_creation_and_rotation(
    client: Client, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("thanks")
    response = client.post(
        ENDPOINTS, {"url": httpserver.url_for("/hook")}, content_type="application/json"
    )
    assert response["Cache-Control"] == "no-store"
    created = response.json()["data"]
    first_secret = created["secret"]
    endpoint_id = created["id"]
    sent = ok(client, "post", f"{ENDPOINTS}/{endpoint_id}/test")
    delivery_attempt(delivery_id=sent["delivery_id"])

    def other_bodies() -> list[str]:
        return [
            json.dumps(call(client, method, path, body))
            for method, path, body in (
                ("get", ENDPOINTS, None),
                ("get", f"{ENDPOINTS}/{endpoint_id}", None),
                ("patch", f"{ENDPOINTS}/{endpoint_id}", {"description": "Receiver"}),
                ("get", DELIVERIES, None),
                ("get", f"{DELIVERIES}/{sent['delivery_id']}", None),
                ("post", f"{DELIVERIES}/{sent['delivery_id']}/redeliver", None),
                ("post", f"{ENDPOINTS}/{endpoint_id}/test", None),
            )
        ]

    bodies = other_bodies()
    assert all(first_secret not in body for body in bodies)
    assert "webhook-signature" in bodies[4]

    response = client.post(f"{ENDPOINTS}/{endpoint_id}/rotate-secret")
    assert response["Cache-Control"] == "no-store"
    rotated = response.json()["data"]
    second_secret = rotated["secret"]
    assert second_secret.startswith("whsec_")
    assert second_secret != first_secret
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    assert secret_decrypt(endpoint.secret_encrypted) == second_secret
    assert secret_decrypt(endpoint.secret_previous_encrypted) == first_secret
    expires_in = endpoint.secret_previous_expires_at - timezone.now()  # type: ignore[operator]
    assert timedelta(hours=23) < expires_in <= timedelta(hours=24)
    detail = ok(client, "get", f"{ENDPOINTS}/{endpoint_id}")
    assert detail["previous_secret_expires_at"] == rotated["previous_secret_expires_at"]

    bodies = other_bodies()
    assert all(first_secret not in body and second_secret not in body for body in bodies)


@pytest.mark.django_db
@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
        "ftp://example.com/x",
        "http://10.0.0.7/x",
        "http://localhost/x",
    ],
)
def test_it_refuses_unsafe_urls(client: Client, environment: Environment, url: str) -> None:
    assert_input_invalid(call(client, "post", ENDPOINTS, {"url": url}, status=400), "url")
    assert not WebhookEndpoint.objects.exists()

    endpoint, _ = endpoint_create(environment_id=environment.pk, url="https://93.184.215.14/hook")
    path = f"{ENDPOINTS}/{endpoint.pk}"
    assert_input_invalid(call(client, "patch", path, {"url": url}, status=400), "url")
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/hook"


@pytest.mark.django_db
def test_it_refuses_unknown_event_types_and_fields(client: Client) -> None:
    bad_type = {"url": "https://hooks.example.com/x", "event_types": ["employee-exploded"]}
    assert_input_invalid(call(client, "post", ENDPOINTS, bad_type, status=400), "event_types")
    unknown_field = {"url": "https://hooks.example.com/x", "secret": "whsec_mine"}
    assert_input_invalid(call(client, "post", ENDPOINTS, unknown_field, status=400), "secret")
    assert not WebhookEndpoint.objects.exists()

    endpoint = ok(client, "post", ENDPOINTS, {"url": "https://hooks.example.com/x"})
    path = f"{ENDPOINTS}/{endpoint['id']}"
    payload = call(client, "patch", path, {"event_types": ["sync-finished", "nope"]}, status=400)
    assert_input_invalid(payload, "event_types")
    assert ok(client, "get", path)["event_types"] == []


@pytest.mark.django_db
def test_it_keeps_environments_apart(
    client: Client, other_client: Client, other_environment: Environment
) -> None:
    theirs = ok(other_client, "post", ENDPOINTS, {"url": "https://theirs.example.com/hook"})
    [their_event] = emit(other_environment.pk, 1)
    their_delivery = their_event.deliveries.get()
    before = WebhookEndpoint.objects.get(pk=theirs["id"])

    assert ok(client, "get", ENDPOINTS)["results"] == []
    assert ok(client, "get", DELIVERIES)["results"] == []
    assert ok(client, "get", f"{DELIVERIES}?endpoint_id={theirs['id']}")["results"] == []
    for method, path, body in (
        ("get", f"{ENDPOINTS}/{theirs['id']}", None),
        ("patch", f"{ENDPOINTS}/{theirs['id']}", {"description": "mine now"}),
        ("delete", f"{ENDPOINTS}/{theirs['id']}", None),
        ("post", f"{ENDPOINTS}/{theirs['id']}/rotate-secret", None),
        ("post", f"{ENDPOINTS}/{theirs['id']}/test", None),
        ("get", f"{DELIVERIES}/{their_delivery.pk}", None),
        ("post", f"{DELIVERIES}/{their_delivery.pk}/redeliver", None),
    ):
        assert_not_found(call(client, method, path, body, status=404))

    after = WebhookEndpoint.objects.get(pk=theirs["id"])
    assert after.description == before.description
    assert after.secret_encrypted == before.secret_encrypted
    assert after.secret_previous_encrypted == ""
    assert WebhookEvent.objects.filter(type="test").count() == 0
    assert ok(other_client, "get", f"{ENDPOINTS}/{theirs['id']}")["description"] == ""
    assert [d["id"] for d in ok(other_client, "get", DELIVERIES)["results"]] == [their_delivery.pk]


@pytest.mark.django_db
def test_it_answers_not_found_for_ids_that_cannot_exist(client: Client) -> None:
    for path in (f"{ENDPOINTS}/{'x' * 200}", f"{DELIVERIES}/%00abc"):
        assert_not_found(call(client, "get", path, status=404))


@pytest.mark.django_db
def test_it_filters_deliveries_and_walks_the_cursor(
    client: Client, environment: Environment
) -> None:
    every = ok(client, "post", ENDPOINTS, {"url": "https://every.example.com/hook"})
    syncs_only = ok(
        client,
        "post",
        ENDPOINTS,
        {"url": "https://syncs.example.com/hook", "event_types": ["sync-finished"]},
    )
    emit(environment.pk, 5, integration_id="personio:one")
    emit(environment.pk, 3, type="sync-finished", integration_id="hibob:two")
    failed = list(WebhookDelivery.objects.filter(endpoint_id=syncs_only["id"])[:2])
    WebhookDelivery.objects.filter(pk__in=[d.pk for d in failed]).update(
        status=DeliveryStatus.FAILED
    )

    def listed(query: str) -> list[dict[str, Any]]:
        page = ok(client, "get", f"{DELIVERIES}?{query}")
        assert page["next"] is None
        return list(page["results"])

    assert len(listed("")) == 11
    assert len(listed("endpoint_id=&event_type=&status=&integration_id=")) == 11
    assert {d["endpoint_id"] for d in listed(f"endpoint_id={syncs_only['id']}")} == {
        syncs_only["id"]
    }
    assert len(listed(f"endpoint_id={syncs_only['id']}")) == 3
    assert len(listed("event_type=sync-finished")) == 6
    by_integration = listed("integration_id=personio:one")
    assert len(by_integration) == 5
    assert {(d["endpoint_id"], d["event_type"]) for d in by_integration} == {
        (every["id"], "integration-created")
    }
    assert {d["id"] for d in listed("status=FAILED")} == {d.pk for d in failed}
    assert listed(f"status=FAILED&endpoint_id={every['id']}") == []

    first = listed("")[0]
    delivery = WebhookDelivery.objects.get(pk=first["id"])
    assert first == {
        "id": delivery.pk,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "endpoint_id": delivery.endpoint_id,
        "integration_id": delivery.integration_id,
        "status": "PENDING",
        "attempt_count": 0,
        "next_attempt_at": first["next_attempt_at"],
        "last_status_code": None,
        "last_error": None,
        "delivered_at": None,
        "created_at": first["created_at"],
    }
    assert first["next_attempt_at"] is not None

    pages: list[list[str]] = []
    cursor = ""
    while True:
        page = ok(client, "get", f"{DELIVERIES}?endpoint_id={every['id']}&page_size=3{cursor}")
        pages.append([d["id"] for d in page["results"]])
        if page["next"] is None:
            break
        cursor = f"&cursor={page['next']}"
    assert [len(p) for p in pages] == [3, 3, 2]
    newest_first = WebhookDelivery.objects.filter(endpoint_id=every["id"]).order_by(
        "-created_at", "-pk"
    )
    assert [d for p in pages for d in p] == [d.pk for d in newest_first]

    for query in ("cursor=not-a-cursor", "status=LOST", "event_type=nope", "page_size=0"):
        field = query.split("=")[0]
        assert_input_invalid(call(client, "get", f"{DELIVERIES}?{query}", status=400), field)


@pytest.mark.django_db
@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=True)
def test_it_shows_attempts_and_redelivers(
    client: Client,
    environment: Environment,
    httpserver: HTTPServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("received", status=202)
    ok(client, "post", ENDPOINTS, {"url": httpserver.url_for("/hook")})
    [event] = emit(environment.pk, 1, integration_id="personio:one")
    delivery = event.deliveries.get()
    delivery_attempt(delivery_id=delivery.pk)

    detail = ok(client, "get", f"{DELIVERIES}/{delivery.pk}")
    assert detail["delivery"]["status"] == "DELIVERED"
    assert detail["delivery"]["attempt_count"] == 1
    assert detail["delivery"]["last_status_code"] == 202
    assert detail["delivery"]["next_attempt_at"] is None
    assert detail["delivery"]["delivered_at"] is not None
    assert detail["payload"] == event.payload
    [attempt] = detail["attempts"]
    assert attempt["number"] == 1
    assert attempt["succeeded"] is True
    assert attempt["status_code"] == 202
    assert attempt["response_excerpt"] == "received"
    assert attempt["error_message"] is None
    assert attempt["request_headers"]["webhook-id"] == event.pk
    assert attempt["request_headers"]["webhook-signature"].startswith("v1,")

    with django_capture_on_commit_callbacks() as callbacks:
        again = ok(client, "post", f"{DELIVERIES}/{delivery.pk}/redeliver")
    assert again == {"redelivered": True}
    assert len(callbacks) == 1
    assert ok(client, "get", f"{DELIVERIES}/{delivery.pk}")["delivery"]["status"] == "PENDING"

    with django_capture_on_commit_callbacks() as callbacks:
        twice = ok(client, "post", f"{DELIVERIES}/{delivery.pk}/redeliver")
    assert twice == {"redelivered": False}
    assert callbacks == []

    delivery_attempt(delivery_id=delivery.pk)
    attempts = ok(client, "get", f"{DELIVERIES}/{delivery.pk}")["attempts"]
    assert [a["number"] for a in attempts] == [1, 2]


@pytest.mark.django_db
def test_it_lists_deliveries_and_endpoints_with_a_constant_number_of_queries(
    client: Client, environment: Environment
) -> None:
    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            ok(client, "get", path)
        return len(captured)

    for n in range(2):
        endpoint_create(environment_id=environment.pk, url=f"https://h{n}.example.com/")
    emit(environment.pk, 1)
    # The key's first use records its last-used time: a query the later requests skip.
    ok(client, "get", ENDPOINTS)
    few_deliveries, few_endpoints = queries(DELIVERIES), queries(ENDPOINTS)
    assert len(ok(client, "get", DELIVERIES)["results"]) == 2

    for n in range(2, 19):
        endpoint_create(environment_id=environment.pk, url=f"https://h{n}.example.com/")
    emit(environment.pk, 2)

    assert len(ok(client, "get", DELIVERIES)["results"]) == 40
    assert queries(DELIVERIES) == few_deliveries
    assert queries(ENDPOINTS) == few_endpoints
    assert len(ok(client, "get", ENDPOINTS)["results"]) == 19

"""The built-in request inspector: it stores what arrives and checks the signatures."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from webhooks.demo import demo_webhook_endpoint_seed
from webhooks.inspector import BODY_LIMIT_BYTES, REQUESTS_PER_BIN
from webhooks.models import InspectorRequest
from webhooks.services import endpoint_create, endpoint_rotate_secret
from webhooks.signing import signature_headers

pytestmark = pytest.mark.django_db

BIN_URL = "/inspector/bin-1/"
PAGE_URL = reverse("webhooks:inspector", args=["bin-1"])
BODY = json.dumps({"id": "evt_1", "type": "test", "data": {"message": "hello"}})


@pytest.fixture
def operator_client(operator: object) -> Client:
    client = Client()
    client.force_login(operator)  # type: ignore[arg-type]
    return client


@pytest.fixture
def sender() -> Client:
    # A webhook sender has no CSRF token: the receiver must not ask for one.
    return Client(enforce_csrf_checks=True)


def _signed_post(sender: Client, secret: str, body: str, signed_body: str | None = None) -> None:
    headers = signature_headers(
        secrets=[secret],
        message_id="evt_1",
        timestamp=timezone.now(),
        body=signed_body if signed_body is not None else body,
    )
    response = sender.post(BIN_URL, body, content_type="application/json", headers=headers)
    assert response.status_code == 200


def test_it_stores_a_request_and_lists_it(sender: Client, operator_client: Client) -> None:
    response = sender.post(
        f"{BIN_URL}?source=tests",
        BODY,
        content_type="application/json",
        headers={"X-Custom": "custom-value", "Cookie": "sessionid=stolen"},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "received"
    received = InspectorRequest.objects.get()
    assert received.bin_id == "bin-1"
    assert received.method == "POST"
    assert received.query_string == "source=tests"
    assert bytes(received.body) == BODY.encode()
    assert "Cookie" not in received.headers
    html = operator_client.get(PAGE_URL).content.decode()
    assert "custom-value" in html
    assert "sessionid=stolen" not in html
    # Pretty-printed: one key per line.
    assert "&quot;message&quot;: &quot;hello&quot;" in html
    assert '\n  "type"' in html.replace("&quot;", '"')
    assert "http://testserver/inspector/bin-1/" in html
    assert "unsigned" in html


def test_it_verifies_a_correctly_signed_request(
    sender: Client, operator_client: Client, environment: Environment
) -> None:
    _, secret = endpoint_create(
        environment_id=environment.pk, url=f"https://hooks.example{BIN_URL}", description="Mine"
    )

    _signed_post(sender, secret, BODY)

    html = operator_client.get(PAGE_URL).content.decode()
    assert 'data-signature="standard-webhooks">Standard Webhooks signature verified<' in html
    assert 'data-signature="kombo">X-Kombo-Signature verified<' in html


def test_it_flags_a_tampered_body(
    sender: Client, operator_client: Client, environment: Environment
) -> None:
    _, secret = endpoint_create(environment_id=environment.pk, url=f"https://h.example{BIN_URL}")

    _signed_post(sender, secret, BODY.replace("hello", "pwned"), signed_body=BODY)

    html = operator_client.get(PAGE_URL).content.decode()
    assert 'data-signature="standard-webhooks">Standard Webhooks signature invalid<' in html
    assert 'data-signature="kombo">X-Kombo-Signature invalid<' in html
    assert "verified" not in html


def test_it_flags_a_request_signed_with_another_secret(
    sender: Client, operator_client: Client, environment: Environment
) -> None:
    endpoint_create(environment_id=environment.pk, url=f"https://h.example{BIN_URL}")
    _, stranger = endpoint_create(environment_id=environment.pk, url="https://h.example/other/")

    _signed_post(sender, stranger, BODY)

    assert "Standard Webhooks signature invalid" in operator_client.get(PAGE_URL).content.decode()


def test_it_verifies_with_the_previous_secret_after_a_rotation(
    sender: Client, operator_client: Client, environment: Environment
) -> None:
    endpoint, old_secret = endpoint_create(
        environment_id=environment.pk, url=f"https://h.example{BIN_URL}"
    )
    _signed_post(sender, old_secret, BODY)

    endpoint_rotate_secret(endpoint=endpoint)

    html = operator_client.get(PAGE_URL).content.decode()
    assert "Standard Webhooks signature verified with the previous secret" in html


def test_it_says_when_no_endpoint_points_at_the_bin(
    sender: Client, operator_client: Client, environment: Environment
) -> None:
    _, secret = endpoint_create(environment_id=environment.pk, url="https://h.example/elsewhere/")

    _signed_post(sender, secret, BODY)

    html = operator_client.get(PAGE_URL).content.decode()
    assert "Standard Webhooks signature not checked" in html
    assert "No endpoint points at this URL" in html


def test_it_cuts_the_body_at_64_kb(sender: Client, operator_client: Client) -> None:
    sender.post(BIN_URL, b"x" * (BODY_LIMIT_BYTES + 5000), content_type="text/plain")

    received = InspectorRequest.objects.get()
    assert len(bytes(received.body)) == BODY_LIMIT_BYTES
    assert received.body_truncated
    assert "cut at 64 KB" in operator_client.get(PAGE_URL).content.decode()


def test_it_keeps_the_newest_requests_of_a_bin(sender: Client) -> None:
    for n in range(REQUESTS_PER_BIN + 3):
        sender.post(BIN_URL, json.dumps({"n": n}), content_type="application/json")
    sender.post("/inspector/bin-2/", "{}", content_type="application/json")

    kept = InspectorRequest.objects.filter(bin_id="bin-1")
    assert kept.count() == REQUESTS_PER_BIN
    assert b'{"n": 3}' in {bytes(r.body) for r in kept}
    assert b'{"n": 2}' not in {bytes(r.body) for r in kept}
    assert InspectorRequest.objects.filter(bin_id="bin-2").count() == 1


def test_it_accepts_any_method(sender: Client) -> None:
    assert sender.put(BIN_URL, "a=1", content_type="text/plain").status_code == 200
    assert sender.delete(BIN_URL).status_code == 200

    assert sorted(InspectorRequest.objects.values_list("method", flat=True)) == ["DELETE", "PUT"]


def test_it_refuses_bin_ids_that_are_not_slugs(sender: Client) -> None:
    assert sender.post("/inspector/a.b/", "{}", content_type="application/json").status_code == 404
    assert (
        sender.post(f"/inspector/{'x' * 65}/", "{}", content_type="text/plain").status_code == 404
    )
    assert not InspectorRequest.objects.exists()


def test_it_seeds_a_demo_endpoint_for_every_event_type(environment: Environment) -> None:
    endpoint = demo_webhook_endpoint_seed(environment.pk)

    assert endpoint is not None
    assert endpoint.url == f"{settings.BASE_URL}/inspector/demo/"
    assert endpoint.event_types == []
    assert endpoint.environment_id == environment.pk


@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False, BASE_URL="http://127.0.0.1:8000")
def test_it_skips_the_demo_endpoint_when_private_addresses_are_refused(
    environment: Environment,
) -> None:
    assert demo_webhook_endpoint_seed(environment.pk) is None

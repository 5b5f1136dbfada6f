"""The webhooks pages: endpoints (create, edit, rotate, test, enable, delete), deliveries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_httpserver import HTTPServer

from core.models import Environment
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt
from webhooks.services import endpoint_create, event_emit

pytestmark = pytest.mark.django_db

SECRET_PATTERN = re.compile(r"whsec_[A-Za-z0-9+/=]{40,}")
LIST_URL = reverse("webhooks:endpoint_list")
DELIVERIES_URL = reverse("webhooks:delivery_list")


def _endpoint(
    environment: Environment, url: str = "https://receiver.example/hooks", **fields: object
) -> tuple[WebhookEndpoint, str]:
    return endpoint_create(environment_id=environment.pk, url=url, **fields)  # type: ignore[arg-type]


def _deliveries(
    endpoint: WebhookEndpoint,
    count: int,
    *,
    type: str = "sync-finished",
    integration_id: str = "sandbox:abc",
    status: str = DeliveryStatus.PENDING,
    **fields: object,
) -> list[WebhookDelivery]:
    ids = [
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
    WebhookDelivery.objects.filter(pk__in=ids).update(status=status, **fields)
    return list(WebhookDelivery.objects.filter(pk__in=ids))


def _create(client: Client, environment: Environment, **data: object) -> str:
    response = client.post(
        LIST_URL,
        {
            "url": "https://receiver.example/hooks",
            "description": "Backend",
            "environment": environment.pk,
            **data,
        },
    )
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        DELIVERIES_URL,
        "/dashboard/webhooks/deliveries/abc/",
        "/dashboard/webhooks/endpoints/abc/edit/",
        "/dashboard/webhooks/inspector/demo/",
    ],
)
def test_it_requires_a_signed_in_operator(
    client: Client, django_user_model: type, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

    customer = django_user_model.objects.create_user(username="customer", password="x")  # type: ignore[attr-defined]
    client.force_login(customer)
    assert client.get(url).status_code == 403


def test_it_creates_an_endpoint_and_shows_its_secret_once(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        LIST_URL,
        {
            "url": "https://receiver.example/hooks",
            "description": "Backend production",
            "environment": environment.pk,
            "event_types": ["integration-created", "integration-state-changed"],
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = SECRET_PATTERN.findall(html)
    assert len(shown) == 1
    assert "will not be shown again" in html
    endpoint = WebhookEndpoint.objects.get()
    assert secret_decrypt(endpoint.secret_encrypted) == shown[0]
    assert endpoint.url == "https://receiver.example/hooks"
    assert endpoint.environment_id == environment.pk
    assert endpoint.event_types == ["integration-created", "integration-state-changed"]

    again = operator_client.get(LIST_URL).content.decode()

    assert "Backend production" in again
    assert "whsec_" not in again
    assert "integration-state-changed" in again


def test_it_subscribes_to_all_types_when_none_is_checked(
    operator_client: Client, environment: Environment
) -> None:
    _create(operator_client, environment)

    assert WebhookEndpoint.objects.get().event_types == []
    html = operator_client.get(LIST_URL).content.decode()
    assert '<span class="muted">All</span>' in html


@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/x", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.5:8080/hooks", "private"),
        ("ftp://receiver.example/hooks", "Only http:// and https://"),
    ],
)
def test_it_refuses_unsafe_urls_and_creates_nothing(
    operator_client: Client, environment: Environment, url: str, reason: str
) -> None:
    response = operator_client.post(
        LIST_URL, {"url": url, "description": "Sneaky", "environment": environment.pk}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert reason in html
    assert 'class="field__error"' in html
    assert "whsec_" not in html
    assert not WebhookEndpoint.objects.exists()


def test_it_rejects_an_unknown_environment(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        LIST_URL, {"url": "https://receiver.example/hooks", "environment": "nope"}
    )

    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_it_rotates_the_secret_and_shows_the_new_one_once(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, old_secret = _endpoint(environment, description="Backend")

    response = operator_client.post(reverse("webhooks:endpoint_rotate_secret", args=[endpoint.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = SECRET_PATTERN.findall(html)
    assert len(shown) == 1
    assert old_secret not in html
    assert "The old secret keeps signing too for 24 hours" in html
    endpoint.refresh_from_db()
    assert secret_decrypt(endpoint.secret_encrypted) == shown[0]
    assert secret_decrypt(endpoint.secret_previous_encrypted) == old_secret
    assert "whsec_" not in operator_client.get(LIST_URL).content.decode()


def test_it_refuses_to_rotate_on_get(operator_client: Client, environment: Environment) -> None:
    endpoint, _ = _endpoint(environment)

    response = operator_client.get(reverse("webhooks:endpoint_rotate_secret", args=[endpoint.pk]))

    assert response.status_code == 405


def test_it_sends_a_test_event_to_that_endpoint_only(
    operator_client: Client, environment: Environment
) -> None:
    target, _ = _endpoint(environment, url="https://one.example/hooks")
    _endpoint(environment, url="https://two.example/hooks")

    response = operator_client.post(reverse("webhooks:endpoint_send_test", args=[target.pk]))

    delivery = WebhookDelivery.objects.select_related("event").get()
    assert delivery.endpoint_id == target.pk
    assert delivery.event_type == "test"
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.event.payload["data"]["endpoint_id"] == target.pk
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:delivery_detail", args=[delivery.pk])
    page = operator_client.get(response["Location"]).content.decode()
    assert "Test event sent" in page
    assert "No attempt yet" in page


def test_it_edits_an_endpoint(operator_client: Client, environment: Environment) -> None:
    endpoint, secret = _endpoint(environment, description="Old name")
    edit_url = reverse("webhooks:endpoint_edit", args=[endpoint.pk])

    form = operator_client.get(edit_url).content.decode()
    response = operator_client.post(
        edit_url,
        {
            "url": "https://new.example/hooks",
            "description": "New name",
            "event_types": ["sync-finished"],
        },
    )

    assert "Old name" in form
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://new.example/hooks"
    assert endpoint.description == "New name"
    assert endpoint.event_types == ["sync-finished"]
    assert secret_decrypt(endpoint.secret_encrypted) == secret


@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
def test_it_refuses_an_unsafe_url_on_edit(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = endpoint_create(
        environment_id=environment.pk, url="https://93.184.215.14/hooks", description="Public"
    )

    response = operator_client.post(
        reverse("webhooks:endpoint_edit", args=[endpoint.pk]),
        {"url": "http://169.254.169.254/", "description": "Changed"},
    )

    assert response.status_code == 400
    assert "link-local" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/hooks"
    assert endpoint.description == "Public"


def test_it_disables_and_enables_an_endpoint(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment, description="Backend")
    url = reverse("webhooks:endpoint_enabled_update", args=[endpoint.pk])

    operator_client.post(url, {"enabled": "false"})
    endpoint.refresh_from_db()
    page = operator_client.get(LIST_URL).content.decode()

    assert not endpoint.enabled
    assert "Backend is disabled since" in page
    assert "Disabled by an operator." in page

    operator_client.post(url, {"enabled": "true"})
    endpoint.refresh_from_db()

    assert endpoint.enabled
    assert endpoint.disabled_reason == ""


def test_it_shows_an_automatically_disabled_endpoint_prominently(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment, description="Flaky receiver")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        enabled=False,
        disabled_reason="Every delivery failed for 5 days.",
        disabled_at=timezone.now(),
    )

    html = operator_client.get(LIST_URL).content.decode()

    assert 'class="alert alert--error"' in html
    assert "Flaky receiver is disabled since" in html
    assert "Every delivery failed for 5 days." in html
    assert f"?endpoint={endpoint.pk}&amp;status=FAILED" in html


def test_it_shows_the_success_rate_and_last_error_of_the_last_24_hours(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment)
    _deliveries(endpoint, 3, status=DeliveryStatus.DELIVERED, attempt_count=1)
    (failed,) = _deliveries(
        endpoint, 1, status=DeliveryStatus.FAILED, attempt_count=11, last_error="HTTP 503"
    )
    _deliveries(endpoint, 2, status=DeliveryStatus.PENDING)
    old = _deliveries(endpoint, 5, status=DeliveryStatus.FAILED, attempt_count=11)
    WebhookDelivery.objects.filter(pk__in=[d.pk for d in old]).update(
        created_at=timezone.now() - timedelta(days=2)
    )

    html = operator_client.get(LIST_URL).content.decode()

    assert "75% delivered" in html
    assert "(3 of 4)" in html
    assert "HTTP 503" in html
    assert reverse("webhooks:delivery_detail", args=[failed.pk]) in html


def test_it_deletes_an_endpoint_after_confirmation(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment, description="Old backend")
    _deliveries(endpoint, 2)
    url = reverse("webhooks:endpoint_delete", args=[endpoint.pk])

    confirm = operator_client.get(url).content.decode()
    response = operator_client.post(url)

    assert "Delete this webhook endpoint?" in confirm
    assert "its 2 deliveries" in confirm
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert "Old backend” and its deliveries were deleted" in (
        operator_client.get(LIST_URL).content.decode()
    )


def test_it_filters_the_delivery_log(operator_client: Client, environment: Environment) -> None:
    one, _ = _endpoint(environment, url="https://one.example/hooks")
    two, _ = _endpoint(environment, url="https://two.example/hooks")
    (wanted,) = _deliveries(
        one, 1, type="data-changed", integration_id="sandbox:wanted", status=DeliveryStatus.FAILED
    )
    _deliveries(one, 1, type="data-changed", integration_id="sandbox:other")
    _deliveries(one, 1, type="sync-finished", integration_id="sandbox:wanted")
    _deliveries(two, 1, type="data-changed", integration_id="sandbox:wanted")

    def listed(**params: str) -> set[str]:
        html = operator_client.get(DELIVERIES_URL, params).content.decode()
        return set(re.findall(r"/dashboard/webhooks/deliveries/(\w{24})/", html))

    assert len(listed()) == 4
    assert len(listed(endpoint=one.pk)) == 3
    assert len(listed(event_type="data-changed")) == 3
    assert len(listed(integration_id="sandbox:wanted")) == 3
    assert listed(status="FAILED") == {wanted.pk}
    assert listed(endpoint=one.pk, event_type="data-changed", integration_id="sandbox:wanted") == {
        wanted.pk
    }
    assert len(listed(endpoint="unknown", status="BOGUS")) == 4


def test_it_lists_deliveries_newest_first_50_per_page(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment)
    deliveries = _deliveries(endpoint, 55)
    base = timezone.now()
    for age, delivery in enumerate(deliveries):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            created_at=base - timedelta(minutes=age)
        )

    first = operator_client.get(DELIVERIES_URL).content.decode()
    second = operator_client.get(DELIVERIES_URL, {"page": "2"}).content.decode()

    first_ids = re.findall(r'href="/dashboard/webhooks/deliveries/(\w{24})/"', first)
    assert first_ids[0] == deliveries[0].pk
    assert len(first_ids) == 50
    assert "Page 1 of 2" in first
    assert len(re.findall(r'href="/dashboard/webhooks/deliveries/(\w{24})/"', second)) == 5


def test_it_shows_the_attempts_of_a_delivery(
    operator_client: Client, environment: Environment, httpserver: HTTPServer
) -> None:
    httpserver.expect_ordered_request("/hooks", method="POST").respond_with_data(
        "receiver exploded", status=500
    )
    httpserver.expect_ordered_request("/hooks", method="POST").respond_with_json({"ok": True})
    endpoint, _ = _endpoint(environment, url=httpserver.url_for("/hooks"))
    (delivery,) = _deliveries(endpoint, 1, type="integration-created")

    delivery_attempt(delivery_id=delivery.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        delivery_attempt(delivery_id=delivery.pk)

    response = operator_client.get(reverse("webhooks:delivery_detail", args=[delivery.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Attempt 1" in html
    assert "Attempt 2" in html
    assert ">500<" in html
    assert ">200<" in html
    assert "receiver exploded" in html
    assert "webhook-signature" in html
    assert "X-Kombo-Signature" in html
    assert "&quot;integration_id&quot;: &quot;sandbox:abc&quot;" in html
    assert "Delivered" in html
    assert "Redeliver" in html


def test_it_shows_the_error_of_an_attempt_without_response(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment, url="http://127.0.0.1:9/closed")
    (delivery,) = _deliveries(endpoint, 1)

    delivery_attempt(delivery_id=delivery.pk)
    html = operator_client.get(reverse("webhooks:delivery_detail", args=[delivery.pk])).content

    assert b"No response" in html
    assert b"ConnectionError" in html
    assert b"Could not connect to the endpoint." in html


def test_it_redelivers_one_delivery(operator_client: Client, environment: Environment) -> None:
    endpoint, _ = _endpoint(environment)
    (delivery,) = _deliveries(endpoint, 1, status=DeliveryStatus.FAILED, attempt_count=11)
    url = reverse("webhooks:delivery_redeliver", args=[delivery.pk])

    response = operator_client.post(url)
    again = operator_client.post(url, follow=True)

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert delivery.status == DeliveryStatus.PENDING
    assert "already under way" in again.content.decode()


def test_it_redelivers_all_failed_deliveries_of_an_endpoint_since_a_time(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment, url="https://one.example/hooks")
    other, _ = _endpoint(environment, url="https://two.example/hooks")
    recent = _deliveries(endpoint, 2, status=DeliveryStatus.FAILED)
    (old,) = _deliveries(endpoint, 1, status=DeliveryStatus.FAILED)
    WebhookDelivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    (delivered,) = _deliveries(endpoint, 1, status=DeliveryStatus.DELIVERED)
    (elsewhere,) = _deliveries(other, 1, status=DeliveryStatus.FAILED)
    since = timezone.localtime() - timedelta(days=1)

    response = operator_client.post(
        reverse("webhooks:deliveries_redeliver_failed"),
        {"redeliver-since": since.strftime("%Y-%m-%dT%H:%M"), "redeliver-endpoint": endpoint.pk},
        follow=True,
    )

    status = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert [status[d.pk] for d in recent] == [DeliveryStatus.PENDING] * 2
    assert status[old.pk] == DeliveryStatus.FAILED
    assert status[delivered.pk] == DeliveryStatus.DELIVERED
    assert status[elsewhere.pk] == DeliveryStatus.FAILED
    assert "2 failed deliveries since" in response.content.decode()


def test_it_redelivers_all_failed_deliveries_in_every_environment(
    operator_client: Client, environment: Environment, other_environment: Environment
) -> None:
    production, _ = _endpoint(environment)
    sandbox, _ = _endpoint(other_environment)
    failed = [
        *_deliveries(production, 1, status=DeliveryStatus.FAILED),
        *_deliveries(sandbox, 1, status=DeliveryStatus.FAILED),
    ]

    operator_client.post(
        reverse("webhooks:deliveries_redeliver_failed"),
        {"redeliver-since": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
    )

    assert set(
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in failed]).values_list(
            "status", flat=True
        )
    ) == {DeliveryStatus.PENDING}


def test_it_refuses_a_redelivery_without_a_time(
    operator_client: Client, environment: Environment
) -> None:
    endpoint, _ = _endpoint(environment)
    (failed,) = _deliveries(endpoint, 1, status=DeliveryStatus.FAILED)

    response = operator_client.post(
        reverse("webhooks:deliveries_redeliver_failed"), {"redeliver-since": ""}, follow=True
    )

    assert "Choose a valid date and time" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


def _query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_renders_the_pages_with_a_constant_number_of_queries(
    operator_client: Client, environment: Environment
) -> None:
    def seed(count: int) -> WebhookDelivery:
        endpoint, _ = _endpoint(environment, url=f"https://r{count}.example/hooks")
        deliveries = _deliveries(endpoint, count, status=DeliveryStatus.FAILED, attempt_count=1)
        for delivery in deliveries:
            delivery.attempts.create(number=1, started_at=timezone.now(), latency_ms=5)
        for number in range(2, count + 1):
            deliveries[0].attempts.create(
                number=number, started_at=timezone.now(), status_code=500, latency_ms=5
            )
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            last_error="HTTP 500"
        )
        return deliveries[0]

    few_delivery = seed(2)
    few = [
        _query_count(operator_client, LIST_URL),
        _query_count(operator_client, DELIVERIES_URL),
        _query_count(operator_client, reverse("webhooks:delivery_detail", args=[few_delivery.pk])),
    ]
    many_delivery = seed(40)
    many = [
        _query_count(operator_client, LIST_URL),
        _query_count(operator_client, DELIVERIES_URL),
        _query_count(operator_client, reverse("webhooks:delivery_detail", args=[many_delivery.pk])),
    ]

    assert few == many


def test_it_never_shows_a_secret_after_creation(
    operator_client: Client, environment: Environment, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inspector/demo/").respond_with_json({"ok": True})
    endpoint, secret = _endpoint(environment, url=httpserver.url_for("/inspector/demo/"))
    (delivery,) = _deliveries(endpoint, 1)
    delivery_attempt(delivery_id=delivery.pk)
    raw_key = secret.removeprefix("whsec_")

    for url in (
        LIST_URL,
        reverse("webhooks:endpoint_edit", args=[endpoint.pk]),
        reverse("webhooks:endpoint_delete", args=[endpoint.pk]),
        DELIVERIES_URL,
        reverse("webhooks:delivery_detail", args=[delivery.pk]),
        reverse("webhooks:inspector", args=["demo"]),
    ):
        html = operator_client.get(url).content.decode()
        assert raw_key not in html, url
        assert "whsec_" not in html, url

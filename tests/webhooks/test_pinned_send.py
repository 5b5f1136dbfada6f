"""A send connects to the address that was checked, while the receiver still sees its own
host name (Host header, and SNI/certificate checks for https)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.support.receivers import delivery_of_new_event, endpoint_to, receiving
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookEndpoint
from webhooks.urlsafety import UnsafeUrlError, url_resolve

pytestmark = pytest.mark.django_db


def test_it_sends_to_the_resolved_address_with_the_urls_host_name() -> None:
    with receiving() as receiver:
        endpoint, _ = endpoint_to(receiver)
        by_name = receiver.url.replace("127.0.0.1", "localhost") + "?token=abc"
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=by_name)

        delivery = delivery_of_new_event(endpoint)
        attempt = delivery_attempt(delivery_id=delivery.pk)

        assert attempt is not None
        assert attempt.status_code == 200
        [received] = receiver.wait_for(1)
        assert received.headers["Host"] == f"localhost:{by_name.split(':')[2].split('/')[0]}"
        assert received.accepted
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED


def test_it_keeps_the_query_string_and_resolves_once() -> None:
    target = url_resolve("http://localhost:8080/hooks/in?token=abc&x=1")

    assert target.path == "/hooks/in?token=abc&x=1"
    assert target.address in {"127.0.0.1", "::1"}
    assert target.host_header == "localhost:8080"


@override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)
def test_it_refuses_at_send_time_what_resolves_privately() -> None:
    with pytest.raises(UnsafeUrlError, match="private"):
        url_resolve("http://localhost:8080/hooks")

"""With private addresses off (production), webhooks never reach internal services: not when
the endpoint is saved, not when it is called, and not through a redirect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.support.receivers import (
    ENVIRONMENT_ID,
    Receiver,
    Reply,
    delivery_of_new_event,
    endpoint_to,
    receiving,
)
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookEndpoint
from webhooks.services import endpoint_create
from webhooks.urlsafety import UnsafeUrlError

pytestmark = pytest.mark.django_db

PUBLIC_ONLY = override_settings(WEBHOOKS_ALLOW_PRIVATE_IPS=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


@PUBLIC_ONLY
@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1/x", "127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://[::1]/x", "::1"),
        ("http://10.1.2.3/x", "10.1.2.3"),
        ("http://localhost/x", "127.0.0.1"),
        ("https://[::ffff:127.0.0.1]/x", "127.0.0.1"),
    ],
)
def test_it_refuses_an_endpoint_on_an_internal_address(url: str, address: str) -> None:
    with pytest.raises(UnsafeUrlError) as refused:
        endpoint_create(environment_id=ENVIRONMENT_ID, url=url)

    message = str(refused.value)
    assert "private, loopback, link-local or multicast address" in message
    assert address in message
    assert message.endswith("webhooks only go to public addresses.")
    assert not WebhookEndpoint.objects.exists()


@PUBLIC_ONLY
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://93.184.216.34/x", "Only http:// and https:// URLs can receive webhooks."),
        ("http://user:pw@93.184.216.34/x", "Credentials in the URL are not allowed"),
    ],
)
def test_it_refuses_other_schemes_and_credentials_in_the_url(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrlError, match=reason):
        endpoint_create(environment_id=ENVIRONMENT_ID, url=url)


@PUBLIC_ONLY
def test_it_accepts_an_endpoint_on_a_public_address() -> None:
    endpoint, _ = endpoint_create(environment_id=ENVIRONMENT_ID, url="https://93.184.216.34/hooks")

    assert endpoint.url == "https://93.184.216.34/hooks"


def test_it_refuses_at_send_time_an_endpoint_saved_while_private_ips_were_allowed(
    receiver: Receiver,
) -> None:
    endpoint, _ = endpoint_to(receiver)
    delivery = delivery_of_new_event(endpoint)

    with PUBLIC_ONLY:
        attempt = delivery_attempt(delivery_id=delivery.pk)

    assert attempt is not None
    assert attempt.status_code is None
    assert attempt.error_class == "UnsafeUrlError"
    assert "127.0.0.1" in attempt.error_message
    assert "webhooks only go to public addresses" in attempt.error_message
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == attempt.error_message
    assert receiver.received == []


def test_it_does_not_follow_a_redirect(receiver: Receiver) -> None:
    with receiving("/internal") as elsewhere:
        endpoint, _ = endpoint_to(receiver)
        receiver.answer(Reply(302, headers={"Location": elsewhere.url}))
        delivery = delivery_of_new_event(endpoint)

        attempt = delivery_attempt(delivery_id=delivery.pk)

    assert attempt is not None
    assert attempt.status_code == 302
    assert not attempt.succeeded
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "HTTP 302"
    assert len(receiver.received) == 1
    assert elsewhere.received == []

"""Every delivery is signed so that a receiver using the Standard Webhooks library (or Kombo's
X-Kombo-Signature) can trust it, and a secret rotation never breaks a receiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.support.receivers import (
    Received,
    Receiver,
    delivery_of_new_event,
    endpoint_to,
    kombo_signature,
    receiving,
)
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.services import endpoint_rotate_secret

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


def _deliver(receiver: Receiver, endpoint: WebhookEndpoint, **data: Any) -> Received:
    delivery = delivery_of_new_event(endpoint, **data)
    attempt = delivery_attempt(delivery_id=delivery.pk)
    assert attempt is not None
    assert attempt.status_code == 200, attempt.response_excerpt
    return receiver.received[-1]


def _replay(receiver: Receiver, body: bytes, headers: dict[str, str]) -> requests.Response:
    """Send a captured delivery again, as an attacker who recorded it could."""
    return requests.post(receiver.url, data=body, headers=headers, timeout=5)


def test_it_signs_every_delivery_so_the_receiver_accepts_it(receiver: Receiver) -> None:
    endpoint, secret = endpoint_to(receiver)

    for event_type in ("integration-created", "integration-state-changed", "sync-finished"):
        delivery = delivery_of_new_event(endpoint, type=event_type, note="Grüße, 👋")
        attempt = delivery_attempt(delivery_id=delivery.pk)
        assert attempt is not None
        assert attempt.status_code == 200

    assert len(receiver.received) == 3
    for received in receiver.received:
        assert received.accepted, received.verify_error
        assert received.verified_with == (secret,)
        event = Webhook(secret).verify(received.body, received.headers)
        assert received.webhook_id == event["id"]
        assert set(event) == {"id", "type", "data"}
        assert event["data"]["note"] == "Grüße, 👋"
    assert {r.event["type"] for r in receiver.received} == {
        "integration-created",
        "integration-state-changed",
        "sync-finished",
    }
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 3


def test_it_sends_an_x_kombo_signature_of_the_raw_body(receiver: Receiver) -> None:
    endpoint, secret = endpoint_to(receiver)

    received = _deliver(receiver, endpoint)

    assert received.headers["X-Kombo-Signature"] == kombo_signature(secret, received.body)
    # The body is exactly the envelope, so receivers can hash what they read off the wire.
    assert json.loads(received.body) == received.event


def test_it_lets_the_library_reject_a_tampered_body(receiver: Receiver) -> None:
    endpoint, secret = endpoint_to(receiver)
    received = _deliver(receiver, endpoint, id="acme:personio:1")
    tampered = received.body.replace(b"acme:personio:1", b"evil:personio:1")

    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        Webhook(secret).verify(tampered, received.headers)
    response = _replay(receiver, tampered, received.headers)

    assert response.status_code == 401
    assert response.text == "No matching signature found"
    assert receiver.received[-1].kombo_signed_with == ()


def test_it_lets_the_library_reject_a_delivery_replayed_after_five_minutes(
    receiver: Receiver,
) -> None:
    endpoint, secret = endpoint_to(receiver)
    received = _deliver(receiver, endpoint)

    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=5), tick=False):
        with pytest.raises(WebhookVerificationError, match="Message timestamp too old"):
            Webhook(secret).verify(received.body, received.headers)
        response = _replay(receiver, received.body, received.headers)

    assert response.status_code == 401
    assert response.text == "Message timestamp too old"


def test_it_signs_with_both_secrets_for_24_hours_after_a_rotation(receiver: Receiver) -> None:
    endpoint, old_secret = endpoint_to(receiver)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        new_secret = endpoint_rotate_secret(endpoint=endpoint)
        receiver.secrets.append(new_secret)
        during = _deliver(receiver, endpoint)
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        late_in_overlap = _deliver(receiver, endpoint)
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        after = _deliver(receiver, endpoint)
        with pytest.raises(WebhookVerificationError, match="No matching signature found"):
            Webhook(old_secret).verify(after.body, after.headers)

    assert new_secret != old_secret
    for received in (during, late_in_overlap):
        assert received.verified_with == (old_secret, new_secret)
        # Kombo's header has room for one value: the current (new) secret's.
        assert received.kombo_signed_with == (new_secret,)
        assert len(received.headers["Webhook-Signature"].split()) == 2
    assert after.verified_with == (new_secret,)
    assert after.kombo_signed_with == (new_secret,)
    assert after.headers["X-Kombo-Signature"] == kombo_signature(new_secret, after.body)

"""`X-Kombo-Signature` is accepted by a receiver written the way Kombo's webhooks page tells
customers to write one: a few lines of Node (`crypto.createHmac('sha256', secret)
.update(body).digest('base64url') === header`, see `tests/support/kombo_receiver.mjs`), run with
`node` on the exact bytes and headers our delivery put on the wire."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from tests.support.receivers import (
    Received,
    Receiver,
    delivery_of_new_event,
    endpoint_to,
    receiving,
)
from tests.support.services import require_service
from webhooks.delivery import delivery_attempt
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_rotate_secret

pytestmark = pytest.mark.django_db

KOMBO_RECEIVER = Path(__file__).parents[1] / "support" / "kombo_receiver.mjs"


@pytest.fixture
def node() -> str:
    path = shutil.which("node")
    require_service("Node.js", path is not None, "install Node.js (Debian's nodejs package)")
    assert path is not None
    return path


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


def _deliver(receiver: Receiver, endpoint: WebhookEndpoint, **data: object) -> Received:
    delivery = delivery_of_new_event(endpoint, **data)
    attempt = delivery_attempt(delivery_id=delivery.pk)
    assert attempt is not None
    return receiver.received[-1]


def _node_accepts(node: str, secret: str, header: str, body: bytes) -> bool:
    finished = subprocess.run(
        [node, str(KOMBO_RECEIVER), secret, header],
        input=body,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert finished.returncode in (0, 1), finished.stderr.decode()
    return finished.returncode == 0


def test_it_signs_deliveries_so_a_node_receiver_comparing_strings_accepts_them(
    node: str, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_to(receiver)

    # Many bodies, so that every padding length of a padded digest would have shown up.
    received = [_deliver(receiver, endpoint, note=f"Grüße {n} 👋") for n in range(6)]

    for delivery in received:
        header = delivery.headers["X-Kombo-Signature"]
        assert "=" not in header
        assert " " not in header
        assert _node_accepts(node, secret, header, delivery.body)


def test_it_makes_the_node_receiver_reject_a_tampered_body(node: str, receiver: Receiver) -> None:
    endpoint, secret = endpoint_to(receiver)
    delivery = _deliver(receiver, endpoint, id="acme:personio:1")
    tampered = delivery.body.replace(b"acme:personio:1", b"evil:personio:1")

    assert not _node_accepts(node, secret, delivery.headers["X-Kombo-Signature"], tampered)


def test_it_signs_with_the_new_secret_only_once_the_secret_is_rotated(
    node: str, receiver: Receiver
) -> None:
    endpoint, old_secret = endpoint_to(receiver)
    with time_machine.travel(timezone.now(), tick=False):
        new_secret = endpoint_rotate_secret(endpoint=endpoint)
        receiver.secrets.append(new_secret)
        delivery = _deliver(receiver, endpoint)

    header = delivery.headers["X-Kombo-Signature"]
    assert _node_accepts(node, new_secret, header, delivery.body)
    assert not _node_accepts(node, old_secret, header, delivery.body)

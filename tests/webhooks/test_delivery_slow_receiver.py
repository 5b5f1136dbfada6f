"""A slow receiver holds one place of a worker's batch, not the worker: while one endpoint
drips its answer until the attempt's deadline, the deliveries to another endpoint (some due
later than the slow one) all arrive.

Outside source: issue 18 ("never hold a worker on a slow receiver"); Standard Webhooks' spec
(a receiver that does not answer in time is a failed attempt, retried later).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.support.processes import wait_for
from tests.support.receivers import (
    ENVIRONMENT_ID,
    Receiver,
    SlowReceiver,
    endpoint_to,
    receiving,
)
from webhooks.delivery import deliveries_send
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import endpoint_create, event_emit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


@override_settings(WEBHOOK_TIMEOUT_SECONDS=8.0, WEBHOOK_BATCH_SIZE=2)
def test_it_delivers_to_other_endpoints_while_one_receiver_drips(
    dripping: SlowReceiver, receiver: Receiver
) -> None:
    slow, _ = endpoint_create(
        environment_id=ENVIRONMENT_ID, url=dripping.url, event_types=["integration-created"]
    )
    fast, _ = endpoint_to(receiver)
    # Due first: the slow delivery is in the first batch, with one to the fast endpoint.
    first = event_emit(
        environment_id=ENVIRONMENT_ID, type="integration-created", data={"id": "acme:1"}
    )
    later = [
        event_emit(environment_id=ENVIRONMENT_ID, type="sync-finished", data={"sequence": n})
        for n in range(4)
    ]
    slow_connections_when_all_arrived: list[int] = []

    def watch() -> None:
        wait_for("the fast receiver's five events", lambda: len(receiver.received) == 5, timeout=30)
        slow_connections_when_all_arrived.append(dripping.open_connections)

    watcher = threading.Thread(target=watch)
    watcher.start()
    deliveries_send()
    watcher.join(timeout=30)

    # Every delivery to the fast endpoint arrived while the slow attempt was still open.
    assert slow_connections_when_all_arrived == [1]
    assert sorted(r.webhook_id for r in receiver.received) == sorted(e.pk for e in [first, *later])
    assert set(WebhookDelivery.objects.filter(endpoint=fast).values_list("status", flat=True)) == {
        DeliveryStatus.DELIVERED
    }
    slow_delivery = WebhookDelivery.objects.get(endpoint=slow)
    assert slow_delivery.status == DeliveryStatus.PENDING
    assert list(
        WebhookAttempt.objects.filter(delivery=slow_delivery).values_list("number", "error_class")
    ) == [(1, "Timeout")]
    assert dripping.by_webhook_id == {first.pk: 1}

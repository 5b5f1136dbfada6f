"""Workers claim due deliveries in batches, and a batch never takes a delivery another worker
holds: two workers draining one backlog send every delivery once, each attempt one row.

Outside sources: PostgreSQL's documentation of SELECT ... FOR UPDATE SKIP LOCKED ("any rows
that cannot be immediately locked are skipped", the queue-consumer use it names); Standard
Webhooks' spec (at-least-once, so a duplicate is allowed only after a failure, never from two
workers taking the same message); issue 18 ("claim due deliveries in batches ... keep every
guarantee: the outbox, order of the claim, at-least-once delivery").
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.test import override_settings

from tests.support.receivers import Receiver, delivery_of_new_event, endpoint_to, receiving
from tests.support.services import require_service
from webhooks.delivery import deliveries_send
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)

BACKLOG = 60


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (row locks between two connections)",
    )
    with receiving() as receiver:
        yield receiver


@override_settings(WEBHOOK_BATCH_SIZE=4)
def test_it_sends_each_delivery_once_when_two_workers_drain_one_backlog(
    receiver: Receiver,
) -> None:
    endpoint, _ = endpoint_to(receiver)
    deliveries = [delivery_of_new_event(endpoint, sequence=n) for n in range(BACKLOG)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            deliveries_send()
        except BaseException as error:  # reported by the test thread below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for work in workers:
        work.start()
    for work in workers:
        work.join(timeout=120)

    assert errors == []
    assert Counter(r.webhook_id for r in receiver.received) == Counter(
        {d.event_id: 1 for d in deliveries}
    )
    assert all(r.accepted for r in receiver.received)
    assert set(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)
    ) == {DeliveryStatus.DELIVERED}
    attempts = WebhookAttempt.objects.filter(delivery__endpoint=endpoint)
    assert sorted(attempts.values_list("delivery_id", "number", "status_code")) == sorted(
        (d.pk, 1, 200) for d in deliveries
    )


def test_it_leaves_deliveries_another_worker_holds_to_that_worker(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    deliveries = [delivery_of_new_event(endpoint, sequence=n) for n in range(6)]
    held = {d.pk for d in deliveries[:3]}
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        # Holds the oldest three, as a worker does between its claim and its commit.
        try:
            with transaction.atomic():
                list(WebhookDelivery.objects.select_for_update().filter(pk__in=held))
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=other_worker)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        sent = deliveries_send()
    finally:
        release.set()
        holder.join(timeout=30)

    assert sent == 3
    assert sorted(r.webhook_id for r in receiver.received) == sorted(
        d.event_id for d in deliveries[3:]
    )
    statuses = dict(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("pk", "status"))
    assert {pk for pk, status in statuses.items() if status == DeliveryStatus.PENDING} == held
    assert not WebhookAttempt.objects.filter(delivery_id__in=held).exists()

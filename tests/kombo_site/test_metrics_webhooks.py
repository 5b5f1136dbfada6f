"""Webhook deliveries on /metrics: every attempt counted by outcome and timed, the end-to-end
latency of each accepted delivery observed once (a histogram's `_count` grows by one per
observation, Prometheus docs "Histograms and summaries"), and the backlog of deliveries neither
delivered nor given up on (Standard Webhooks: retries until the receiver answers 2xx)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.metrics import metrics_token, scrape
from tests.support.receivers import Receiver, Reply, delivery_of_new_event, endpoint_to, receiving
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


def test_it_counts_a_delivery_to_a_real_receiver(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    with metrics_token():
        before = scrape()
        delivery = delivery_of_new_event(endpoint)
        queued = scrape()
        attempt = delivery_attempt(delivery_id=delivery.pk)
        after = scrape()

    assert attempt is not None
    assert attempt.status_code == 200
    assert len(receiver.received) == 1
    assert queued.moved_since(before, "kombo_webhook_backlog", status="PENDING") == 1
    assert after.value("kombo_webhook_backlog", status="PENDING") == before.value(
        "kombo_webhook_backlog", status="PENDING"
    )
    assert after.moved_since(before, "kombo_webhook_attempts_total", outcome="success") == 1
    assert (
        after.moved_since(before, "kombo_webhook_attempt_duration_seconds_count", outcome="success")
        == 1
    )
    assert after.moved_since(before, "kombo_webhook_delivery_latency_seconds_count") == 1


def test_it_counts_a_refused_attempt_and_keeps_the_delivery_in_the_backlog(
    receiver: Receiver,
) -> None:
    receiver.answer(Reply(status=503))
    endpoint, _ = endpoint_to(receiver)
    with metrics_token():
        before = scrape()
        delivery = delivery_of_new_event(endpoint)
        attempt = delivery_attempt(delivery_id=delivery.pk)
        after = scrape()

    assert attempt is not None
    assert attempt.status_code == 503
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert after.moved_since(before, "kombo_webhook_attempts_total", outcome="http_error") == 1
    assert after.moved_since(before, "kombo_webhook_attempts_total", outcome="success") == 0
    assert after.moved_since(before, "kombo_webhook_delivery_latency_seconds_count") == 0
    assert after.moved_since(before, "kombo_webhook_backlog", status="PENDING") == 1

"""Deliveries are claimed oldest due first, batch after batch, as the sweeper hands them out;
a batch changes how many are taken at once, not which come first.

Outside source: DESIGN.md's outbox and retry schedule (a delivery is attempted once its
`next_attempt_at` is due; the sweeper re-sends due deliveries in that order); issue 18 ("keep
every guarantee: ... order of the claim").
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.support.receivers import Receiver, delivery_of_new_event, endpoint_to, receiving
from webhooks.delivery import deliveries_send
from webhooks.models import WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


def _backlog_due_in_shuffled_order(receiver: Receiver, count: int) -> list[str]:
    """Deliveries emitted in one order and due in another; returns their ids by due time."""
    endpoint, _ = endpoint_to(receiver)
    deliveries = [delivery_of_new_event(endpoint, sequence=n) for n in range(count)]
    random.Random(18).shuffle(deliveries)
    now = timezone.now()
    for minutes_ago, delivery in zip(range(count, 0, -1), deliveries, strict=True):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=now - timedelta(minutes=minutes_ago)
        )
    return [d.pk for d in deliveries]


@override_settings(WEBHOOK_BATCH_SIZE=1)
def test_it_sends_one_at_a_time_oldest_due_first(receiver: Receiver) -> None:
    by_due = _backlog_due_in_shuffled_order(receiver, 6)
    event_of = dict(WebhookDelivery.objects.values_list("pk", "event_id"))

    deliveries_send()

    assert [r.webhook_id for r in receiver.received] == [event_of[pk] for pk in by_due]


@override_settings(WEBHOOK_BATCH_SIZE=3)
def test_it_claims_each_batch_after_the_older_ones(receiver: Receiver) -> None:
    by_due = _backlog_due_in_shuffled_order(receiver, 9)

    deliveries_send()

    started = dict(WebhookAttempt.objects.values_list("delivery_id", "started_at"))
    assert sorted(started) == sorted(by_due)
    # A delivery due later never started before one due earlier.
    starts_by_due = [started[pk] for pk in by_due]
    assert starts_by_due == sorted(starts_by_due)
    assert WebhookAttempt.objects.count() == 9

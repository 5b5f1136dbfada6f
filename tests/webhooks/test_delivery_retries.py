"""Failed deliveries are retried on the schedule, every attempt is a row, and a receiver's
answer decides what happens next (2xx done, 410 gone, Retry-After honoured)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.support.receivers import (
    ENVIRONMENT_ID,
    Receiver,
    Reply,
    delivery_of_new_event,
    endpoint_to,
    receiving,
)
from tests.support.services import require_service
from webhooks.delivery import MAX_ATTEMPTS, RETRY_SCHEDULE, delivery_attempt
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import event_emit

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


def _attempts(delivery: WebhookDelivery) -> list[tuple[int, int | None, str]]:
    return [
        (a.number, a.status_code, a.error_class)
        for a in WebhookAttempt.objects.filter(delivery=delivery).order_by("number")
    ]


def _past_next_attempt(traveller: time_machine.Coordinates, delivery: WebhookDelivery) -> None:
    traveller.move_to(delivery.next_attempt_at + timedelta(seconds=1))


@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.5)
def test_it_retries_errors_and_a_timeout_and_delivers_on_the_fourth_attempt(
    receiver: Receiver,
) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(Reply(500), Reply(502), Reply(delay=2.0), Reply(200))

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        delivery = delivery_of_new_event(endpoint)
        for _ in range(3):
            assert delivery_attempt(delivery_id=delivery.pk) is not None
            delivery.refresh_from_db()
            assert delivery.status == DeliveryStatus.PENDING
            # Not due yet: nothing is sent before the backoff is over.
            assert delivery_attempt(delivery_id=delivery.pk) is None
            _past_next_attempt(traveller, delivery)
        last = delivery_attempt(delivery_id=delivery.pk)

    assert last is not None
    assert last.number == 4
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempt_count == 4
    assert _attempts(delivery) == [
        (1, 500, ""),
        (2, 502, ""),
        (3, None, "Timeout"),
        (4, 200, ""),
    ]
    timed_out = WebhookAttempt.objects.get(delivery=delivery, number=3)
    assert timed_out.error_message == "Timed out after 0.5 s."
    assert timed_out.latency_ms >= 500
    assert len(receiver.received) == 4
    assert {r.webhook_id for r in receiver.received} == {delivery.event_id}
    assert all(r.accepted for r in receiver.received)


@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.5)
def test_it_records_a_receiver_that_stalls_after_its_headers_as_a_timeout(
    receiver: Receiver,
) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(Reply(200, body_delay=2.0))
    delivery = delivery_of_new_event(endpoint)

    attempt = delivery_attempt(delivery_id=delivery.pk)

    assert attempt is not None
    assert (attempt.status_code, attempt.error_class) == (None, "Timeout")
    assert attempt.error_message == "Timed out after 0.5 s."
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempt_count == 1


def test_it_waits_at_least_as_long_as_retry_after_asks(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(Reply(503, retry_after="120"))
    now = timezone.now()

    with time_machine.travel(now, tick=False) as traveller:
        delivery = delivery_of_new_event(endpoint)
        delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        # The schedule alone would retry after about 5 s.
        traveller.move_to(now + timedelta(seconds=119))
        too_early = delivery_attempt(delivery_id=delivery.pk)
        traveller.move_to(now + timedelta(seconds=121))
        retried = delivery_attempt(delivery_id=delivery.pk)

    assert delivery.next_attempt_at >= now + timedelta(seconds=120)
    assert delivery.last_status_code == 503
    assert too_early is None
    assert retried is not None
    assert retried.status_code == 200


def test_it_disables_the_endpoint_when_it_answers_410(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(Reply(410))
    delivery = delivery_of_new_event(endpoint)

    delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code == 410
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "The endpoint answered 410 Gone."
    assert endpoint.disabled_at is not None
    later = event_emit(environment_id=ENVIRONMENT_ID, type="integration-deleted", data={})
    assert not later.deliveries.exists()
    assert len(receiver.received) == 1


def test_it_retries_a_400_and_records_what_the_receiver_said(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(Reply(400, body=b'{"error":"unknown field tool"}'))

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        delivery = delivery_of_new_event(endpoint)
        first = delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        pending_after_400 = delivery.status
        _past_next_attempt(traveller, delivery)
        second = delivery_attempt(delivery_id=delivery.pk)

    assert first is not None
    assert first.status_code == 400
    assert first.response_excerpt == '{"error":"unknown field tool"}'
    assert pending_after_400 == DeliveryStatus.PENDING
    assert second is not None
    assert second.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert _attempts(delivery) == [(1, 400, ""), (2, 200, "")]


def test_it_fails_the_delivery_after_the_last_scheduled_attempt(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.default = Reply(500)

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        delivery = delivery_of_new_event(endpoint)
        for _ in range(MAX_ATTEMPTS):
            assert delivery_attempt(delivery_id=delivery.pk) is not None
            delivery.refresh_from_db()
            if delivery.status == DeliveryStatus.PENDING:
                _past_next_attempt(traveller, delivery)
        traveller.shift(timedelta(days=30))
        after_the_end = delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_count == MAX_ATTEMPTS == len(RETRY_SCHEDULE)
    assert delivery.last_error == "HTTP 500"
    assert after_the_end is None
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [a.status_code for a in attempts] == [500] * MAX_ATTEMPTS
    gaps = [b.started_at - a.started_at for a, b in itertools.pairwise(attempts)]
    for gap, scheduled in zip(gaps, RETRY_SCHEDULE[1:], strict=True):
        assert scheduled * 0.9 <= gap <= scheduled * 1.1 + timedelta(seconds=1)
    assert len(receiver.received) == MAX_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_attempt_when_two_workers_race_for_a_delivery(receiver: Receiver) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to a PostgreSQL database (row locks make the race real)",
    )
    endpoint, _ = endpoint_to(receiver)
    # A slow answer keeps the first claim open while the second worker tries.
    receiver.answer(Reply(200, delay=0.5))
    delivery = delivery_of_new_event(endpoint)
    start = threading.Barrier(2)
    results: list[object] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            results.append(delivery_attempt(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert len(results) == 2
    assert sum(result is None for result in results) == 1
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 1
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED

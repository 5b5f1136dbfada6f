"""Events are written with the change that caused them: a rolled-back change sends nothing,
a committed one is delivered after the commit, by a real worker."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from kombo_site.celery import app
from tests.support.receivers import ENVIRONMENT_ID, Receiver, endpoint_to, receiving
from tests.support.services import require_service
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from webhooks.services import event_emit


class Rollback(Exception):
    """Raised to undo the change an event was emitted with."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


def _queued_messages() -> int:
    with app.connection_for_write() as conn:
        declared = conn.default_channel.queue_declare(settings.CELERY_WEBHOOKS_QUEUE)
        return int(declared.message_count)


def _wait_for(predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


def _emit_and_roll_back() -> None:
    with contextlib.suppress(Rollback), transaction.atomic():
        event_emit(
            environment_id=ENVIRONMENT_ID,
            type="integration-created",
            data={"id": "acme:personio:rolled-back"},
        )
        raise Rollback


@pytest.mark.django_db
def test_it_sends_nothing_for_a_change_that_rolls_back(
    receiver: Receiver, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    endpoint_to(receiver)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _emit_and_roll_back()

    assert callbacks == []
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


@pytest.mark.django_db(transaction=True)
def test_it_delivers_a_committed_event_after_the_commit_on_a_real_worker(
    receiver: Receiver, redis_url: str
) -> None:
    require_service(
        "Redis as the Celery broker",
        settings.CELERY_BROKER_URL.startswith("redis"),
        "set REDIS_URL so the test settings use Redis",
    )
    endpoint, _ = endpoint_to(receiver)
    app.control.purge()

    _emit_and_roll_back()
    with transaction.atomic():
        event = event_emit(
            environment_id=ENVIRONMENT_ID,
            type="integration-created",
            data={"id": "acme:personio:committed"},
        )
        queued_before_commit = _queued_messages()
    queued_after_commit = _queued_messages()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        _wait_for(
            lambda: WebhookDelivery.objects.filter(
                event=event, status=DeliveryStatus.DELIVERED
            ).exists()
        )

    assert (queued_before_commit, queued_after_commit) == (0, 1)
    assert [r.event["id"] for r in receiver.received] == [event.id]
    assert receiver.received[0].accepted
    assert list(WebhookEvent.objects.values_list("id", flat=True)) == [event.id]
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    assert delivery.attempt_count == 1

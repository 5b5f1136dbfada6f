"""A lost broker message or a worker killed mid-send delays a delivery but never loses it:
the sweeper hands it out again once its lease is over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kombo_site.celery import app
from tests.support.receivers import Receiver, delivery_of_new_event, endpoint_to, hang, receiving
from tests.support.services import require_service
from webhooks.delivery import MAX_ATTEMPTS, WORKER_LOST, deliveries_sweep
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


@pytest.fixture
def redis_broker(redis_url: str) -> str:
    require_service(
        "Redis as the Celery broker",
        settings.CELERY_BROKER_URL.startswith("redis"),
        "set REDIS_URL so the test settings use Redis",
    )
    return redis_url


def _wait_for(what: str, predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _status(delivery: WebhookDelivery) -> str:
    delivery.refresh_from_db()
    return delivery.status


def _after_the_lease() -> time_machine.travel:
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    return time_machine.travel(timezone.now() + lease + timedelta(seconds=1), tick=False)


def _database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


def test_it_delivers_once_the_sweeper_finds_a_dropped_broker_message(
    receiver: Receiver, redis_broker: str
) -> None:
    endpoint, _ = endpoint_to(receiver)
    delivery = delivery_of_new_event(endpoint)
    # The message sent on commit is lost before any worker sees it (a Redis restart).
    app.control.purge()

    too_early = deliveries_sweep()
    with _after_the_lease():
        swept = deliveries_sweep()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        _wait_for("the delivery", lambda: _status(delivery) == DeliveryStatus.DELIVERED)

    assert too_early.resent == 0
    assert swept.resent == 1
    assert len(receiver.received) >= 1
    assert {r.webhook_id for r in receiver.received} == {delivery.event_id}
    assert all(r.accepted for r in receiver.received)
    assert WebhookAttempt.objects.get(delivery=delivery).status_code == 200


def test_it_delivers_after_the_worker_is_killed_mid_send(
    receiver: Receiver, redis_broker: str, tmp_path: Path
) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (a worker process cannot open the in-memory test DB)",
    )
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(hang())
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "kombo_site", "worker"),
                *("--pool", "solo", "--queues", settings.CELERY_WEBHOOKS_QUEUE),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                *("--hostname", f"killed-{os.getpid()}@%h", "--loglevel", "INFO"),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "kombo_site.test_settings",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": redis_broker,
                "WEBHOOK_TIMEOUT_SECONDS": "30",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        delivery = delivery_of_new_event(endpoint)
        _wait_for(
            f"the worker to send (log: {log.read_text()[-2000:]!r})",
            lambda: len(receiver.received) == 1,
            timeout=30,
        )
        in_flight_while_sending = _status(delivery)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    receiver.release()

    within_the_lease = deliveries_sweep()
    with _after_the_lease():
        swept = deliveries_sweep()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        _wait_for("the redelivery", lambda: _status(delivery) == DeliveryStatus.DELIVERED)

    assert in_flight_while_sending == DeliveryStatus.IN_FLIGHT
    assert worker.returncode == -signal.SIGKILL
    assert (within_the_lease.reclaimed, swept.reclaimed, swept.resent) == (0, 1, 1)
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code, a.error_class) for a in attempts] == [
        (1, None, "WorkerLost"),
        (2, 200, ""),
    ]
    assert attempts[0].error_message == WORKER_LOST
    assert delivery.attempt_count == 2
    # At least once: the receiver saw the same message twice and can deduplicate on its id.
    assert [r.webhook_id for r in receiver.received] == [delivery.event_id] * 2
    assert all(r.accepted for r in receiver.received)


def test_it_fails_a_delivery_that_loses_its_worker_on_every_attempt(receiver: Receiver) -> None:
    endpoint, _ = endpoint_to(receiver)
    delivery = delivery_of_new_event(endpoint)
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    now = timezone.now()

    with time_machine.travel(now, tick=False) as traveller:
        for _ in range(MAX_ATTEMPTS):
            # What a worker leaves behind when it dies right after claiming the delivery.
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.IN_FLIGHT, claimed_until=timezone.now() + lease
            )
            traveller.shift(lease + timedelta(seconds=1))
            deliveries_sweep()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_count == MAX_ATTEMPTS
    assert delivery.last_error == WORKER_LOST
    assert (
        list(WebhookAttempt.objects.filter(delivery=delivery).values_list("error_class", flat=True))
        == ["WorkerLost"] * MAX_ATTEMPTS
    )

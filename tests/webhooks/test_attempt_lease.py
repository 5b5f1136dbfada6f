"""A delivery whose attempt is still running is never handed out again: a second claimer gets
nothing, and the sweeper leaves it alone, however slow the receiver; the next attempt comes on
the retry schedule, not from the sweeper.

Outside sources: issue 14 ("one byte every 5 s pinned a worker for minutes, the sweeper judged
the worker lost and re-sent it seven times ... never start a second attempt of a delivery whose
first is still within its lease"); Standard Webhooks' spec (at-least-once: a failed attempt is
retried later); DESIGN.md's schedule (the second attempt 5 s after the first).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
from django.test import override_settings

from tests.support.processes import (
    celery_app_on,
    celery_workers,
    private_redis,
    wait_for,
    worker_env,
)
from tests.support.receivers import (
    ENVIRONMENT_ID,
    SlowReceiver,
    delivery_of_new_event,
)
from tests.support.services import require_service
from webhooks.delivery import deliveries_sweep, delivery_attempt
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)


def _attempts(delivery: WebhookDelivery) -> list[tuple[int, str]]:
    return list(
        WebhookAttempt.objects.filter(delivery=delivery)
        .order_by("number")
        .values_list("number", "error_class")
    )


@override_settings(WEBHOOK_TIMEOUT_SECONDS=3.0)
def test_it_gives_a_second_claimer_and_the_sweeper_nothing_while_an_attempt_runs(
    dripping: SlowReceiver,
) -> None:
    endpoint, _ = endpoint_create(environment_id=ENVIRONMENT_ID, url=dripping.url)
    delivery = delivery_of_new_event(endpoint)

    def first_claimer() -> None:
        try:
            delivery_attempt(delivery_id=delivery.pk)
        finally:
            close_old_connections()
            connection.close()

    first = threading.Thread(target=first_claimer)
    first.start()
    try:
        wait_for(
            "the first attempt to reach the receiver", lambda: dripping.arrivals != [], timeout=10
        )
        second = delivery_attempt(delivery_id=delivery.pk)
        swept = deliveries_sweep()
        delivery.refresh_from_db()
        status_meanwhile = delivery.status
    finally:
        first.join(timeout=30)

    assert status_meanwhile == DeliveryStatus.IN_FLIGHT
    assert second is None
    assert (swept.reclaimed, swept.resent) == (0, 0)
    assert _attempts(delivery) == [(1, "Timeout")]
    assert dripping.by_webhook_id == {delivery.event_id: 1}


def test_it_sends_nothing_twice_while_a_real_worker_and_its_sweeper_wait_on_a_slow_receiver(
    dripping: SlowReceiver, tmp_path: Path
) -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (a worker process cannot open the in-memory test DB)",
    )
    with private_redis(tmp_path) as broker, celery_app_on(broker.url):
        # The sweeper every second, a 5 s lease and a 3 s deadline (tests.support.processes); before
        # the deadline, a receiver dripping a byte a second held a worker past its lease.
        # No integrations here: the sandbox HR is never called.
        env = worker_env(broker=broker, sandbox_hr_url="http://127.0.0.1:9/sandbox-hr")
        assert (env["WEBHOOK_SWEEP_SECONDS"], env["WEBHOOK_LEASE_SECONDS"]) == ("1", "5")
        endpoint, _ = endpoint_create(environment_id=ENVIRONMENT_ID, url=dripping.url)
        with celery_workers(workdir=tmp_path, env=env, concurrency=2) as workers:
            workers.start()
            delivery = delivery_of_new_event(endpoint)
            wait_for(
                lambda: (
                    f"two attempts (attempts: {_attempts(delivery)}, log: {workers.log_tail()!r})"
                ),
                lambda: len(_attempts(delivery)) >= 2,
                timeout=60,
            )
            requests_received = dripping.requests_for(delivery.event_id)

    # Each attempt timed out at its deadline; none was taken for a lost worker and re-sent.
    assert _attempts(delivery)[:2] == [(1, "Timeout"), (2, "Timeout")]
    [first, second, *_] = [
        at for webhook_id, at in dripping.arrivals if webhook_id == delivery.event_id
    ]
    # The second request only after the first attempt's 3 s and the 5 s retry wait (-10 %).
    assert second - first >= 3 + 4.5
    assert requests_received == 2
    assert workers.crash_logs == []

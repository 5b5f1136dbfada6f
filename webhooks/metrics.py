"""The webhooks app's figures for /metrics (see core.metrics): attempts as they are recorded,
the backlog read at scrape time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

ATTEMPTS = Counter(
    "kombo_webhook_attempts",
    "Webhook delivery attempts, by outcome: success (2xx), http_error (any other answer), "
    "no_answer (timeout, refused connection, blocked address, lost worker).",
    ["outcome"],
)
ATTEMPT_DURATION = Histogram(
    "kombo_webhook_attempt_duration_seconds",
    "How long one attempt took, from sending to the receiver's answer or the error.",
    ["outcome"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30),
)
DELIVERY_LATENCY = Histogram(
    "kombo_webhook_delivery_latency_seconds",
    "From an event being written to the receiver accepting it, retries included.",
    # Retries stretch it to days (DESIGN.md's schedule); the first attempt takes well under 1 s.
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 36000, 86400, 259200),
)
# Deliveries a worker still owes: written but neither delivered nor given up on.
BACKLOG_STATES = (DeliveryStatus.PENDING, DeliveryStatus.IN_FLIGHT)


def webhook_attempts_observe(attempts: Iterable[WebhookAttempt]) -> None:
    """Count attempts just written (one or a bulk). Needs each attempt's delivery loaded only
    for a successful one, whose end-to-end latency starts at its delivery's creation."""
    for attempt in attempts:
        outcome = attempt_outcome(attempt)
        ATTEMPTS.labels(outcome=outcome).inc()
        ATTEMPT_DURATION.labels(outcome=outcome).observe(attempt.latency_ms / 1000)
        if attempt.succeeded:
            answered_at = attempt.started_at + timedelta(milliseconds=attempt.latency_ms)
            DELIVERY_LATENCY.observe(
                max((answered_at - attempt.delivery.created_at).total_seconds(), 0.0)
            )


def attempt_outcome(attempt: WebhookAttempt) -> str:
    if attempt.succeeded:
        return "success"
    return "http_error" if attempt.status_code is not None else "no_answer"


class WebhooksCollector(Collector):
    """The backlog in one aggregate over the partial index of deliveries not yet settled."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        figures = WebhookDelivery.objects.filter(status__in=BACKLOG_STATES).aggregate(
            **{
                status.value: Count("pk", filter=Q(status=status.value))
                for status in BACKLOG_STATES
            },
            oldest_due=Min(
                "next_attempt_at",
                filter=Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now),
            ),
        )
        backlog = GaugeMetricFamily(
            "kombo_webhook_backlog",
            "Deliveries not delivered yet and not given up on: PENDING (waiting for their "
            "next attempt) and IN_FLIGHT (a worker is sending them).",
            labels=["status"],
        )
        for status in BACKLOG_STATES:
            backlog.add_metric([status.value], figures[status.value])
        yield backlog
        oldest_due = figures["oldest_due"]
        yield GaugeMetricFamily(
            "kombo_webhook_oldest_due_seconds",
            "How long the longest-waiting due delivery has been due (0: none is waiting); "
            "growing means the workers fall behind.",
            value=(now - oldest_due).total_seconds() if oldest_due is not None else 0.0,
        )

    def describe(self) -> list[GaugeMetricFamily]:
        return []

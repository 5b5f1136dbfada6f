"""GET /metrics for Prometheus: every app's figures, and the depth of the Celery queues.

Protected by `METRICS_TOKEN` and/or `METRICS_ALLOWED_ADDRESSES` (core.metrics); refusals say
nothing but their status. A scrape costs a fixed handful of grouped queries and one broker
round trip per queue, whatever the number of integrations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.metrics import metrics_access_refusal, metrics_response
from integrations.metrics import IntegrationsCollector
from kombo_site.celery import app
from webhooks.metrics import WebhooksCollector

logger = logging.getLogger(__name__)

# A scrape must not hang on a broker that is down: one try, then the figure is left out.
BROKER_CONNECT_TIMEOUT = 2


class QueueDepthCollector(Collector):
    """Messages waiting in each Celery queue (`CELERY_TASK_QUEUES`), as the broker counts them.

    kombu's `queue_declare` answers with the queue's message count on every transport: the
    lengths of the Redis lists (all priority levels), the message files of the filesystem
    transport. Tasks a worker has taken but not acknowledged are not waiting, so not counted.
    """

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            depths = _queue_depths()
        except Exception:
            # The broker's own health is /readyz's to report; the other figures still matter.
            logger.warning("Could not read the Celery queue depths", exc_info=True)
            return
        family = GaugeMetricFamily(
            "kombo_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        for name, depth in depths.items():
            family.add_metric([name], depth)
        yield family

    def describe(self) -> list[GaugeMetricFamily]:
        return []


def _queue_depths() -> dict[str, int]:
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_CONNECT_TIMEOUT)
        # kombu's type stubs leave `queue_declare` off the abstract channel every transport has.
        channel: Any = connection.default_channel
        return {
            queue.name: channel.queue_declare(queue=queue.name).message_count
            for queue in settings.CELERY_TASK_QUEUES
        }


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    refusal = metrics_access_refusal(request)
    if refusal == 404:
        # The page any unknown path gets: nothing tells that a metrics endpoint is here.
        raise Http404
    if refusal is not None:
        response = HttpResponse(status=refusal)
        if refusal == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return metrics_response(
        request, [IntegrationsCollector(), WebhooksCollector(), QueueDepthCollector()]
    )

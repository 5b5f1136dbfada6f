"""Reads of the webhooks domain for the dashboard pages, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Environment
from webhooks.inspector import inspector_bin_of
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

HEALTH_WINDOW = timedelta(hours=24)
INTEGRATION_PANEL_LENGTH = 20


def environment_names() -> dict[str, str]:
    """Environment id -> name, for selects and labels: endpoints store the id, operators pick
    environments by name."""
    return dict(Environment.objects.order_by("name").values_list("pk", "name"))


@dataclass(frozen=True)
class EndpointHealth:
    attempted: int
    delivered: int
    last_error: str
    last_error_delivery_created_at: datetime | None
    last_error_delivery_id: str | None

    @property
    def success_rate(self) -> int | None:
        """Percentage of attempted deliveries (created in the window) that were delivered."""
        if not self.attempted:
            return None
        return round(100 * self.delivered / self.attempted)


@dataclass(frozen=True)
class EndpointRow:
    endpoint: WebhookEndpoint
    environment_name: str
    health: EndpointHealth
    # Set when the endpoint points at the built-in request inspector.
    inspector_bin: str | None


def _count_in_window(since: datetime, **filters: object) -> Coalesce:
    counted = (
        WebhookDelivery.objects.filter(
            endpoint=OuterRef("pk"), created_at__gte=since, attempt_count__gt=0, **filters
        )
        .order_by()
        .values("endpoint")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def endpoint_list(
    *, environments: dict[str, str], now: datetime | None = None
) -> list[EndpointRow]:
    """Every endpoint with its 24 h health, newest first, in one query.

    `environments` is `environment_names()`, which the page needs for its form anyway.
    """
    since = (now or timezone.now()) - HEALTH_WINDOW
    # A delivery keeps `last_error` only while its latest attempt failed; the newest such one
    # is found through the (endpoint, -created_at) index.
    last_failed = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).exclude(last_error="")
    last_failed = last_failed.order_by("-created_at")
    endpoints = WebhookEndpoint.objects.annotate(
        attempted=_count_in_window(since),
        delivered=_count_in_window(since, status=DeliveryStatus.DELIVERED),
        last_error=Subquery(last_failed.values("last_error")[:1]),
        last_error_delivery_created_at=Subquery(last_failed.values("created_at")[:1]),
        last_error_delivery_id=Subquery(last_failed.values("pk")[:1]),
    ).order_by("-created_at", "-pk")
    return [
        EndpointRow(
            endpoint=endpoint,
            environment_name=environments.get(endpoint.environment_id, endpoint.environment_id),
            health=EndpointHealth(
                attempted=endpoint.attempted,
                delivered=endpoint.delivered,
                last_error=endpoint.last_error or "",
                last_error_delivery_created_at=endpoint.last_error_delivery_created_at,
                last_error_delivery_id=endpoint.last_error_delivery_id,
            ),
            inspector_bin=inspector_bin_of(endpoint.url),
        )
        for endpoint in endpoints
    ]


def endpoint_get(*, endpoint_id: str) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(pk=endpoint_id).first()


def endpoint_choices() -> list[tuple[str, str]]:
    """(id, label) of every endpoint, for filters."""
    return [
        (pk, f"{description} ({url})" if description else url)
        for pk, url, description in WebhookEndpoint.objects.order_by("url", "pk").values_list(
            "pk", "url", "description"
        )
    ]


def endpoint_environment_ids() -> list[str]:
    return list(
        WebhookEndpoint.objects.order_by("environment_id")
        .values_list("environment_id", flat=True)
        .distinct()
    )


def delivery_list(
    *,
    endpoint_id: str | None = None,
    event_type: str | None = None,
    status: str | None = None,
    integration_id: str | None = None,
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.select_related("endpoint")
    if endpoint_id:
        deliveries = deliveries.filter(endpoint_id=endpoint_id)
    if event_type:
        deliveries = deliveries.filter(event_type=event_type)
    if status:
        deliveries = deliveries.filter(status=status)
    if integration_id:
        deliveries = deliveries.filter(integration_id=integration_id)
    return deliveries.order_by("-created_at", "-pk")


def delivery_get(*, delivery_id: str) -> WebhookDelivery | None:
    """A delivery with its event, endpoint and attempts (two queries)."""
    return (
        WebhookDelivery.objects.select_related("event", "endpoint")
        .prefetch_related("attempts")
        .filter(pk=delivery_id)
        .first()
    )


def endpoint_url_scrubbed(url: str) -> str:
    """The URL without credentials, query or fragment: receivers often put tokens there, and
    panels on other pages show it to anyone who may see the integration."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


@dataclass(frozen=True)
class IntegrationDeliveryRow:
    delivery: WebhookDelivery
    endpoint_label: str
    endpoint_url: str
    last_attempt_at: datetime | None


def integration_delivery_list(
    *, integration_id: str, limit: int = INTEGRATION_PANEL_LENGTH
) -> list[IntegrationDeliveryRow]:
    """The newest deliveries for one integration with their endpoints and last attempt time, in
    one query along the (integration_id, -created_at) index."""
    last_attempt = (
        WebhookAttempt.objects.filter(delivery=OuterRef("pk"))
        .order_by("-number")
        .values("started_at")[:1]
    )
    deliveries = delivery_list(integration_id=integration_id).annotate(
        last_attempt_at=Subquery(last_attempt)
    )[:limit]
    rows = []
    for delivery in deliveries:
        url = endpoint_url_scrubbed(delivery.endpoint.url)
        rows.append(
            IntegrationDeliveryRow(
                delivery=delivery,
                endpoint_label=delivery.endpoint.description or url,
                endpoint_url=url,
                last_attempt_at=delivery.last_attempt_at,
            )
        )
    return rows

"""The integrations app's figures for /metrics, read at scrape time (see core.metrics).

Two grouped queries per scrape, whatever the number of integrations and links: the
dashboard's own chip counts (one aggregate over integration_health_count_idx) and the open
links per kind and type (link_open_idx holds exactly the unused, unrevoked ones).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from integrations.models import LinkKind, LinkType, ReconnectionLink
from integrations.models.links import link_usable_condition
from integrations.selectors.dashboard import HealthState, integration_state_counts

# The dashboard's exclusive states; "has warnings" cuts across them and gets its own figure.
EXCLUSIVE_STATES = [state for state in HealthState if not state.is_facet]


class IntegrationsCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        counts = integration_state_counts()
        by_state = GaugeMetricFamily(
            "kombo_integrations",
            "Live integrations per state, as the dashboard's chips count them (auth_failing: "
            "ACTIVE while its authentication has been failing, not yet INVALID).",
            labels=["state"],
        )
        for state in EXCLUSIVE_STATES:
            by_state.add_metric([state.value], counts[state])
        yield by_state
        yield GaugeMetricFamily(
            "kombo_integrations_with_warnings",
            "Live integrations whose last sync ended with warnings (missing permissions).",
            value=counts[HealthState.WARNINGS],
        )
        yield _open_links()

    def describe(self) -> list[GaugeMetricFamily]:
        # Registering must not query the database (the registry calls this to learn names).
        return []


def _open_links() -> GaugeMetricFamily:
    rows = (
        ReconnectionLink.objects.filter(link_usable_condition(timezone.now()))
        .order_by()
        .values_list("kind", "link_type")
        .annotate(count=Count("pk"))
    )
    counted = {(kind, link_type): count for kind, link_type, count in rows}
    family = GaugeMetricFamily(
        "kombo_links_open",
        "Connect and reconnection links a customer can still use: not used, not revoked, not "
        "expired.",
        labels=["kind", "link_type"],
    )
    # Every combination, zeros included: a series that vanishes at zero breaks rate() and alerts.
    for kind in LinkKind:
        for link_type in LinkType:
            family.add_metric([kind.value, link_type.value], counted.get((kind, link_type), 0))
    return family

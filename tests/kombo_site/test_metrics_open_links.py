"""/metrics counts the links a customer can still use, by DESIGN.md's link rule (single use:
not used, not revoked, not expired), per kind and type; a gauge goes down as well as up
(Prometheus docs, "Metric types": Gauge)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.models import Environment
from integrations.models import LinkType, ReconnectionLink
from integrations.services import relink_link_revoke
from tests.support.factories import IntegrationFactory
from tests.support.metrics import metrics_token, scrape
from tests.support.relink import OPERATOR, relink_url

pytestmark = pytest.mark.django_db

EMBEDDED = {"kind": "RELINK", "link_type": "EMBEDDED"}
MAGIC = {"kind": "RELINK", "link_type": "MAGIC_LINK"}


def test_it_counts_a_new_relink_link_until_it_is_revoked(environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)
    with metrics_token():
        before = scrape()
        relink_url(integration, LinkType.MAGIC_LINK)
        created = scrape()
        relink_link_revoke(link=ReconnectionLink.objects.get(), actor=OPERATOR)
        revoked = scrape()

    assert created.moved_since(before, "kombo_links_open", **MAGIC) == 1
    assert created.moved_since(before, "kombo_links_open", **EMBEDDED) == 0
    assert revoked.value("kombo_links_open", **MAGIC) == before.value("kombo_links_open", **MAGIC)


def test_it_stops_counting_an_embedded_link_once_it_expired(environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)
    relink_url(integration, LinkType.EMBEDDED)

    with metrics_token():
        fresh = scrape()
        with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
            expired = scrape()

    assert fresh.value("kombo_links_open", **EMBEDDED) == 1
    assert expired.value("kombo_links_open", **EMBEDDED) == 0

"""The integration page says what is wrong and what to do: when a failing integration pauses,
that an invalid one is paused, and nothing for a healthy one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.models import Environment
from integrations.models import IntegrationStatus, SyncPausedReason
from tests.support.factories import IntegrationFactory
from tests.support.pages import integration_page

pytestmark = pytest.mark.django_db

# A Monday afternoon.
NOW = timezone.make_aware(timezone.datetime(2026, 11, 23, 16, 30))


def _banner(html: str) -> str:
    match = re.search(r'<div class="alert alert--\w+ health-banner"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no health banner"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


@time_machine.travel(NOW, tick=False)
def test_it_says_when_a_failing_integration_pauses_and_what_to_do(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        auth_failing_since=NOW - timedelta(hours=2, minutes=28),
        consecutive_auth_failures=47,
    )

    banner = _banner(integration_page(operator_client, integration))

    assert banner.startswith(
        "Authentication has failed since Mon 14:02 (47 failed checks). Syncs pause in 2 days 21 h."
    )
    assert "Create a reconnection link below" in banner


@time_machine.travel(NOW, tick=False)
def test_it_says_an_invalid_integration_is_paused(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        auth_failing_since=NOW - timedelta(days=10),
        consecutive_auth_failures=80,
    )

    banner = _banner(integration_page(operator_client, integration))

    assert banner.startswith(
        "Authentication has failed since Nov 13, 16:30 (80 failed checks). Syncs are paused."
    )
    assert "Create a reconnection link below" in banner


def test_it_shows_no_banner_for_a_healthy_integration(
    operator_client: Client, environment: Environment
) -> None:
    html = integration_page(operator_client, IntegrationFactory(environment=environment))

    assert "health-banner" not in html

"""The integrations list: health chips with counts, sorting, last sync and time left to pause."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from integrations.models import Integration, IntegrationStatus, SyncPausedReason
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 11, 23, 14, 2))


def _page(client: Client, **params: str) -> str:
    response = client.get(reverse("dashboard:integration_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def _names_in_order(html: str) -> list[str]:
    return re.findall(r'class="row-link" href="[^"]+">([^<]+)</a>', html)


def _seed_every_state(environment: Environment) -> dict[str, Integration]:
    return {
        "healthy": IntegrationFactory(environment=environment, organization_name="Healthy AG"),
        "failing": IntegrationFactory(
            environment=environment,
            organization_name="Failing GmbH",
            auth_failing_since=NOW - timedelta(days=1, hours=21),
            consecutive_auth_failures=15,
        ),
        "invalid": IntegrationFactory(
            environment=environment,
            organization_name="Invalid SA",
            status=IntegrationStatus.INVALID,
            sync_paused_reason=SyncPausedReason.AUTHENTICATION,
            auth_failing_since=NOW - timedelta(days=4),
        ),
        "inactive": IntegrationFactory(
            environment=environment,
            organization_name="Inactive BV",
            status=IntegrationStatus.INACTIVE,
            enabled=False,
        ),
        "warnings": IntegrationFactory(
            environment=environment,
            organization_name="Warnings Ltd",
            last_sync_state="PARTIALLY_FAILED",
            last_sync_finished_at=NOW - timedelta(minutes=30),
            last_sync_warning_count=2,
        ),
    }


def test_it_counts_integrations_per_health_chip(
    operator_client: Client, environment: Environment
) -> None:
    _seed_every_state(environment)

    html = _page(operator_client)

    counts = dict(re.findall(r'data-state-count="(\w+)">(\d+)<', html))
    assert counts == {
        "all": "5",
        "active": "2",
        "auth_failing": "1",
        "invalid": "1",
        "inactive": "1",
        "warnings": "1",
    }
    for label in ("Authentication failing", "Credentials invalid", "Has warnings", "Inactive"):
        assert label in html


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("active", ["Healthy AG", "Warnings Ltd"]),
        ("auth_failing", ["Failing GmbH"]),
        ("invalid", ["Invalid SA"]),
        ("inactive", ["Inactive BV"]),
        ("warnings", ["Warnings Ltd"]),
    ],
)
def test_it_filters_by_each_chip(
    operator_client: Client, environment: Environment, state: str, expected: list[str]
) -> None:
    _seed_every_state(environment)

    html = _page(operator_client, state=state, sort="organization")

    assert _names_in_order(html) == expected
    assert 'aria-current="true"' in html


def test_it_keeps_the_chip_counts_of_the_search(
    operator_client: Client, environment: Environment
) -> None:
    _seed_every_state(environment)

    html = _page(operator_client, q="GmbH", state="invalid")

    assert re.search(r'data-state-count="auth_failing">1<', html)
    assert re.search(r'data-state-count="all">1<', html)
    assert _names_in_order(html) == []
    assert "No integrations match these filters" in html


def test_it_sorts_by_organisation_and_by_last_sync(
    operator_client: Client, environment: Environment
) -> None:
    for name, synced_minutes_ago in (("Beta", 5), ("Alpha", 60), ("Gamma", None)):
        IntegrationFactory(
            environment=environment,
            organization_name=name,
            last_sync_state="SUCCEEDED" if synced_minutes_ago else None,
            last_sync_finished_at=(
                timezone.now() - timedelta(minutes=synced_minutes_ago)
                if synced_minutes_ago
                else None
            ),
        )

    assert _names_in_order(_page(operator_client, sort="organization")) == [
        "Alpha",
        "Beta",
        "Gamma",
    ]
    assert _names_in_order(_page(operator_client, sort="-organization")) == [
        "Gamma",
        "Beta",
        "Alpha",
    ]
    assert _names_in_order(_page(operator_client, sort="-last_sync")) == ["Beta", "Alpha", "Gamma"]
    assert _names_in_order(_page(operator_client, sort="last_sync")) == ["Gamma", "Alpha", "Beta"]
    # The header link of the current sort flips it, and says how it is sorted.
    html = _page(operator_client, sort="organization")
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort-link" href="?sort=-organization"'
        in (html)
    )


def test_it_ignores_an_unknown_sort(operator_client: Client, environment: Environment) -> None:
    IntegrationFactory(environment=environment, organization_name="Only One")

    assert _names_in_order(_page(operator_client, sort="'; drop table")) == ["Only One"]


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_time_left_before_a_failing_integration_pauses(
    operator_client: Client, environment: Environment
) -> None:
    _seed_every_state(environment)

    html = _page(operator_client, state="auth_failing")

    # Failing for 1 day 21 h of the 3-day grace period.
    assert "Syncs pause in 1 day 3 h" in html


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_last_sync_with_its_warnings(
    operator_client: Client, environment: Environment
) -> None:
    _seed_every_state(environment)

    html = _page(operator_client, state="warnings")

    assert "Partially failed" in html
    assert "2 warnings" in html
    assert "30 min ago" in html
    assert "Never" in _page(operator_client, state="inactive")


def _query_count(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, **params)
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"state": "auth_failing", "sort": "pause"}, {"q": "e"}])
def test_it_issues_the_same_number_of_queries_for_10_and_60_integrations(
    operator_client: Client,
    environment: Environment,
    other_environment: Environment,
    params: dict[str, str],
) -> None:
    for _ in range(2):
        _seed_every_state(environment)
    few = _query_count(operator_client, **params)

    for index in range(10):
        _seed_every_state(other_environment if index % 2 else environment)
    many = _query_count(operator_client, **params)

    assert Integration.objects.count() == 60
    assert few == many

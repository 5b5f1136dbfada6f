"""The integrations list's rows and chips tell one story: a row's badge names the state chip that
counts it, so "Active 2" sits above exactly two "Active" badges, and "Has warnings" is a facet
across those states rather than one of them.

Expected states are Kombo's (docs.kombo.dev/integration-states, the names its integrations page
shows, written in sentence case as our labels are): "Authentication failing" is an integration
whose last check failed authentication, "Credentials invalid" one whose every check failed for
three days (syncs paused), "Inactive" one that was disabled, "Active" the rest. The integrations
get there through the product's own services, as a real streak of failed checks would.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import Integration
from integrations.services import (
    integration_record_auth_result,
    integration_record_sync_finished,
    integration_set_enabled,
)
from integrations.tools.base import AuthResult
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 11, 23, 14, 2))
KOMBO_STATE_NAMES = {
    "active": "Active",
    "auth_failing": "Authentication failing",
    "invalid": "Credentials invalid",
    "inactive": "Inactive",
}
REVOKED = AuthResult.invalid("The API key was revoked.")
_BODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)


def _fail_checks(integration: Integration, *, days: int) -> None:
    """One failed check a day for `days` days, the last one now."""
    for day in range(days, -1, -1):
        integration_record_auth_result(
            integration_id=integration.pk, result=REVOKED, now=NOW - timedelta(days=day)
        )


def _warned(integration: Integration, count: int) -> None:
    integration_record_sync_finished(
        integration_id=integration.pk,
        state="PARTIALLY_FAILED",
        finished_at=NOW - timedelta(minutes=5),
        warning_count=count,
    )


def _seed(environment: Environment) -> dict[str, str]:
    """Organisation -> the state Kombo's page would show for it."""
    expected = {}
    for name in ("Healthy AG", "Healthy BV", "Warned but active Ltd"):
        IntegrationFactory(environment=environment, organization_name=name)
        expected[name] = "active"
    for name in ("Failing today GmbH", "Failing with warnings Oy"):
        _fail_checks(IntegrationFactory(environment=environment, organization_name=name), days=1)
        expected[name] = "auth_failing"
    for name in ("Invalid SA", "Invalid with warnings SpA"):
        _fail_checks(IntegrationFactory(environment=environment, organization_name=name), days=4)
        expected[name] = "invalid"
    disabled_while_failing = IntegrationFactory(
        environment=environment, organization_name="Disabled while failing AB"
    )
    _fail_checks(disabled_while_failing, days=1)
    for integration in (
        disabled_while_failing,
        IntegrationFactory(environment=environment, organization_name="Disabled Kft"),
    ):
        integration_set_enabled(integration=integration, enabled=False, actor=Actor.system("t"))
        expected[integration.organization_name] = "inactive"
    for name, count in (
        ("Warned but active Ltd", 9),
        ("Failing with warnings Oy", 2),
        ("Invalid with warnings SpA", 1),
    ):
        _warned(Integration.objects.get(organization_name=name), count)
    return expected


def _rows(client: Client, **params: str) -> dict[str, tuple[str, str, bool]]:
    """Organisation -> (state value, badge text, shows the warnings mark) of each listed row."""
    response = client.get(reverse("dashboard:integration_list"), params)
    assert response.status_code == 200
    rows: dict[str, tuple[str, str, bool]] = {}
    body = _BODY.search(response.content.decode())
    for row in _ROW.findall(body.group(1) if body else ""):
        name = re.search(r'class="row-link" href="[^"]+">([^<]+)</a>', row)
        badge = re.search(r'data-health-state="(\w+)">([^<]+)<', row)
        assert name, row
        assert badge, row
        rows[name.group(1)] = (badge.group(1), badge.group(2), 'data-facet="warnings"' in row)
    return rows


def _chip_counts(client: Client) -> dict[str, int]:
    html = client.get(reverse("dashboard:integration_list")).content.decode()
    return {state: int(n) for state, n in re.findall(r'data-state-count="(\w+)">(\d+)<', html)}


@time_machine.travel(NOW, tick=False)
def test_it_badges_every_row_with_the_state_chip_that_counts_it(
    operator_client: Client, environment: Environment
) -> None:
    expected = _seed(environment)
    counts = _chip_counts(operator_client)

    every_row = _rows(operator_client)

    assert {name: state for name, (state, _, _) in every_row.items()} == expected
    for state, label in KOMBO_STATE_NAMES.items():
        under_chip = _rows(operator_client, state=state)
        assert len(under_chip) == counts[state], state
        assert {badge for _, badge, _ in under_chip.values()} == {label}, state
    badges = Counter(badge for _, badge, _ in every_row.values())
    assert badges == {label: counts[state] for state, label in KOMBO_STATE_NAMES.items()}
    assert sum(badges.values()) == counts["all"] == len(expected)


@time_machine.travel(NOW, tick=False)
def test_it_marks_the_rows_of_the_warnings_facet_whatever_their_state(
    operator_client: Client, environment: Environment
) -> None:
    _seed(environment)

    warned = _rows(operator_client, state="warnings")
    everything = _rows(operator_client)

    assert {name: state for name, (state, _, _) in warned.items()} == {
        "Warned but active Ltd": "active",
        "Failing with warnings Oy": "auth_failing",
        "Invalid with warnings SpA": "invalid",
    }
    assert _chip_counts(operator_client)["warnings"] == 3
    assert {name for name, (_, _, marked) in everything.items() if marked} == set(warned)


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_api_status_where_the_state_name_differs_from_it(
    operator_client: Client, environment: Environment
) -> None:
    """Kombo's API says ACTIVE for an integration failing authentication until it becomes
    INVALID (docs.kombo.dev/integration-states: the API returns a subset of these states)."""
    _seed(environment)

    html = operator_client.get(
        reverse("dashboard:integration_list"), {"state": "auth_failing"}
    ).content.decode()

    assert html.count('API status <span class="mono">ACTIVE</span>') == 2
    invalid = operator_client.get(
        reverse("dashboard:integration_list"), {"state": "invalid"}
    ).content.decode()
    assert invalid.count('API status <span class="mono">INVALID</span>') == 2
    active = operator_client.get(
        reverse("dashboard:integration_list"), {"state": "active"}
    ).content.decode()
    assert "API status" not in active


@time_machine.travel(NOW, tick=False)
def test_it_heads_the_integration_page_with_the_badge_of_its_row(
    operator_client: Client, environment: Environment
) -> None:
    """The page an operator opens from a row names the state that row and its chip named."""
    expected = _seed(environment)

    for name, state in expected.items():
        integration = Integration.objects.get(organization_name=name)
        html = operator_client.get(
            reverse("dashboard:integration_detail", args=[integration.pk])
        ).content.decode()
        heading = re.search(r"<h1>.*?</h1>", html, re.S)
        assert heading, name
        badge = re.search(r'data-health-state="(\w+)">([^<]+)<', heading.group(0))
        assert badge, heading.group(0)
        assert (badge.group(1), badge.group(2)) == (state, KOMBO_STATE_NAMES[state]), name

"""/metrics counts integrations per state as the dashboard's chips do (one definition:
"authentication failing" is ACTIVE with a failing streak), and the gauges follow an
integration through DESIGN.md's three-day rule: ACTIVE, failing, INVALID, then disabled.
Gauges go up and down (Prometheus docs, "Metric types": Gauge)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core.models import Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus
from integrations.selectors.dashboard import integration_state_counts
from integrations.services import integration_set_enabled
from sandbox_hr.services import sandbox_api_key_revoke
from syncs.models import AuthCheckTrigger
from syncs.services import auth_check_run
from tests.support.factories import IntegrationFactory, sandbox_integration
from tests.support.metrics import Scrape, metrics_token, scrape

pytestmark = pytest.mark.django_db(transaction=True)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _states(figures: Scrape) -> dict[str, float]:
    return {
        state: figures.value("kombo_integrations", state=state)
        for state in ("active", "auth_failing", "invalid", "inactive")
    }


def test_it_follows_an_integration_from_active_to_invalid_to_inactive(
    sandbox_hr: str, environment: Environment
) -> None:
    with time_machine.travel(START, tick=False) as traveller, metrics_token():
        IntegrationFactory.create_batch(2, environment=environment)
        setup = sandbox_integration(environment=environment)
        integration = setup.integration
        assert _states(scrape()) == {"active": 3, "auth_failing": 0, "invalid": 0, "inactive": 0}

        sandbox_api_key_revoke(key=setup.key)
        auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
        assert _states(scrape()) == {"active": 2, "auth_failing": 1, "invalid": 0, "inactive": 0}

        traveller.move_to(START + timedelta(days=3, minutes=1))
        auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
        integration.refresh_from_db()
        assert integration.status == IntegrationStatus.INVALID
        assert _states(scrape()) == {"active": 2, "auth_failing": 0, "invalid": 1, "inactive": 0}

        integration_set_enabled(integration=integration, enabled=False, actor=Actor.system("t"))
        assert _states(scrape()) == {"active": 2, "auth_failing": 0, "invalid": 0, "inactive": 1}


def test_it_counts_as_the_dashboard_chips_do(environment: Environment) -> None:
    IntegrationFactory.create_batch(2, environment=environment)
    IntegrationFactory(environment=environment, auth_failing_since=START)
    IntegrationFactory(environment=environment, status=IntegrationStatus.INVALID)
    IntegrationFactory(environment=environment, status=IntegrationStatus.INACTIVE)
    IntegrationFactory(environment=environment, deleted_at=START)
    IntegrationFactory(environment=environment, last_sync_warning_count=2)

    with metrics_token():
        figures = scrape()

    chips = integration_state_counts()
    assert _states(figures) == {state: chips[state] for state in _states(figures)}
    assert _states(figures) == {"active": 3, "auth_failing": 1, "invalid": 1, "inactive": 1}
    assert figures.value("kombo_integrations_with_warnings") == 1

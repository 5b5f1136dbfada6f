"""The cache going away (Redis restarting, a network blip) costs speed, not answers: API
requests still authenticate against the database and rate limits let customers through.

Sources: Kombo's API reference (`GET /check-api-key` answers `{"status": "success", "data":
{"environment_id": ...}}` to a valid key) and Redis' own documentation that a restarted
instance without persistence starts empty and refuses connections meanwhile; issue 18's
multi-node run saw 500s from `check-api-key` while Redis restarted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from core.models import ApiKey, Environment
from core.ratelimit import rate_limit_hit, rate_limit_reached
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down() -> Iterator[None]:
    """The production cache backend pointed at a port nobody listens on."""
    unreachable = {
        "default": {
            "BACKEND": "kombo_site.cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable, API_KEY_CACHE_SECONDS=60):
        yield


def test_it_authenticates_api_requests_from_the_database(
    cache_down: None, api_key: tuple[ApiKey, str], environment: Environment
) -> None:
    _, raw_key = api_key

    for _ in range(2):
        response = Client().get("/api/v1/check-api-key", HTTP_AUTHORIZATION=f"Bearer {raw_key}")

        assert response.status_code == 200, response.content
        assert response.json() == {
            "status": "success",
            "data": {"environment_id": environment.pk},
        }


def test_it_still_refuses_a_wrong_key_with_kombos_error(cache_down: None) -> None:
    response = Client().get("/api/v1/check-api-key", HTTP_AUTHORIZATION="Bearer ks_wrong")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "PLATFORM.AUTHENTICATION_INVALID"


def test_it_limits_nobody_while_it_cannot_count(cache_down: None) -> None:
    hits = [
        rate_limit_hit(scope="connect-link", key="link", limit=2, window_seconds=600)
        for _ in range(5)
    ]

    assert hits == [False] * 5
    assert not rate_limit_reached(scope="connect-link", key="link", limit=2)

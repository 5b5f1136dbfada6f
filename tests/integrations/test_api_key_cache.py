"""With Redis, API keys are looked up once per minute, not per request; revoking is immediate."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test.utils import override_settings

from integrations.models import Environment
from integrations.services import api_key_authenticate, api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(redis_url: str) -> None:
    """The test settings use Redis as the cache whenever REDIS_URL is set."""
    assert isinstance(caches["default"], RedisCache)


def test_it_authenticates_from_the_cache_after_the_first_request(
    shared_cache: None, environment: Environment, django_assert_num_queries: object
) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="backend")
    assert api_key_authenticate(raw_key=raw_key) == api_key

    with django_assert_num_queries(0):  # type: ignore[operator]
        cached = api_key_authenticate(raw_key=raw_key)

    assert cached == api_key
    assert cached is not None
    assert cached.environment == environment


def test_it_refuses_a_revoked_key_at_once_although_it_was_cached(
    shared_cache: None, environment: Environment
) -> None:
    api_key, raw_key = api_key_create(environment=environment, name="backend")
    assert api_key_authenticate(raw_key=raw_key) is not None

    api_key_revoke(api_key=api_key)

    assert api_key_authenticate(raw_key=raw_key) is None


def test_it_never_caches_an_unknown_key(
    shared_cache: None, environment: Environment, django_assert_num_queries: object
) -> None:
    for _ in range(2):
        with django_assert_num_queries(1):  # type: ignore[operator]
            assert api_key_authenticate(raw_key="ks_" + "x" * 32) is None


@override_settings(API_KEY_CACHE_SECONDS=0)
def test_it_looks_every_request_up_when_caching_is_off(
    environment: Environment, django_assert_num_queries: object
) -> None:
    _, raw_key = api_key_create(environment=environment, name="backend")
    api_key_authenticate(raw_key=raw_key)

    with django_assert_num_queries(1):  # type: ignore[operator]
        assert api_key_authenticate(raw_key=raw_key) is not None

"""With Redis, API keys are looked up once per minute, not per request; revoking is immediate."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, connections, transaction
from django.test.utils import override_settings

from core.models import ApiKey, Environment
from core.services import api_key_authenticate, api_key_create, api_key_revoke
from tests.support.services import require_service

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


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_key_revoked_that_a_request_was_using_meanwhile(
    shared_cache: None, environment: Environment
) -> None:
    """A request that read the key just before the revoke finishes after it: it must not put
    the key back into the cache. The request is held at its `last_used_at` write by a row lock
    while the revoke commits."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL")
    api_key, raw_key = api_key_create(environment=environment, name="backend")
    answers: list[object] = []

    def request() -> None:
        try:
            answers.append(api_key_authenticate(raw_key=raw_key))
        finally:
            connections.close_all()

    with transaction.atomic():
        ApiKey.objects.select_for_update().get(pk=api_key.pk)
        racing = threading.Thread(target=request)
        racing.start()
        _wait_for_a_lock_wait()
        api_key_revoke(api_key=api_key)
    racing.join(timeout=30)

    assert len(answers) == 1
    assert answers[0] is not None  # valid when it was read
    assert api_key_authenticate(raw_key=raw_key) is None


def _wait_for_a_lock_wait() -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a snapshot unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            (waiting,) = cursor.fetchone()
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the racing request never waited for the row lock")

"""Shared fixtures. With CI_REQUIRE_SERVICES=1, a missing PostgreSQL, Redis or Chromium fails
the run instead of skipping the tests that need it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test import Client, override_settings

from core.models import ApiKey, Environment
from core.roles import Role
from core.services import api_key_create, environment_get_or_create
from integrations.actors import Actor
from kombo_site.celery import app

REQUIRE_SERVICES = os.environ.get("CI_REQUIRE_SERVICES") == "1"


def require_service(name: str, available: bool, how: str) -> None:
    """Skip when a service is missing locally; fail when CI said it must be there."""
    if available:
        return
    message = f"{name} is not available: {how}"
    if REQUIRE_SERVICES:
        pytest.fail(f"CI_REQUIRE_SERVICES=1 and {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _database_is_postgres_in_ci(django_db_setup: None, django_db_blocker: object) -> None:
    if REQUIRE_SERVICES and connection.vendor != "postgresql":
        pytest.fail(
            "CI_REQUIRE_SERVICES=1 but the tests run on "
            f"{connection.vendor}; set DATABASE_URL to PostgreSQL.",
            pytrace=False,
        )


def to_milliseconds(moment: datetime) -> datetime:
    """A stored timestamp as it goes on the wire: Kombo's `toISOString()` keeps milliseconds."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@pytest.fixture(autouse=True)
def _no_settings_override_leaks() -> Iterator[None]:
    """Overrides that end out of order restore each other's values for every later test (a
    1 s vendor timeout once leaked into other files this way): fail the test that leaks."""
    before = settings._wrapped
    yield
    assert settings._wrapped is before, "this test left a settings override active"


@pytest.fixture
def redis_url() -> str:
    url = settings.REDIS_URL
    available = False
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
            available = True
        except redis.RedisError:
            available = False
    require_service("Redis", available, "set REDIS_URL to a running Redis server")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    require_service("Chromium", path is not None, "install Debian's chromium package")
    assert path is not None
    return path


@pytest.fixture
def sandbox_hr(live_server: Any) -> Iterator[str]:
    """The sandbox HR system, reached by the connector over real HTTP."""
    url = live_server.url + "/sandbox-hr"
    with override_settings(SANDBOX_HR_URL=url):
        yield url


@pytest.fixture
def environment(db: None) -> Environment:
    return environment_get_or_create(name="production")


@pytest.fixture
def other_environment(db: None) -> Environment:
    return environment_get_or_create(name="sandbox")


@pytest.fixture
def api_key(environment: Environment) -> tuple[ApiKey, str]:
    return api_key_create(environment=environment, name="tests")


@pytest.fixture
def system_actor() -> Actor:
    return Actor.system("tests")


@pytest.fixture
def operator(db: None, django_user_model: type) -> object:
    user = django_user_model.objects.create_user(  # type: ignore[attr-defined]
        username="operator",
        password="correct horse battery staple",
        is_staff=True,
        is_superuser=True,
    )
    return user


@pytest.fixture
def operator_client(client: Client, operator: object) -> Client:
    """The test client signed in as the operator."""
    client.force_login(operator)  # type: ignore[arg-type]
    return client


def role_group(role: Role) -> Group:
    """The role's group as the core data migrations made it.

    A transactional test (live_server, real workers) empties every table when it ends, and
    Django's flush re-creates permissions but not groups: then core's migrations run again,
    on the model state they were written for, as `migrate` ran them.
    """
    group = Group.objects.filter(name=role.group_name).first()
    if group is not None:
        return group
    loader = MigrationLoader(connection)
    editor = SimpleNamespace(connection=connection)
    for leaf in loader.graph.leaf_nodes("core"):
        for key in loader.graph.forwards_plan(leaf):
            if key[0] != "core":
                continue
            state_apps = loader.project_state(key).apps
            for operation in loader.get_migration(*key).operations:
                if isinstance(operation, RunPython):
                    operation.code(state_apps, editor)
    return Group.objects.get(name=role.group_name)


@pytest.fixture
def role_groups(db: None) -> dict[Role, Group]:
    """The three role groups as `migrate` left them."""
    return {role: role_group(role) for role in Role}


@pytest.fixture
def role_user(db: None, django_user_model: type) -> Callable[[Role | None], Any]:
    """A staff user (not a superuser) in the given role's group, or in none."""

    def make(role: Role | None) -> Any:
        name = role.value if role else "staff-without-role"
        user = django_user_model.objects.create_user(  # type: ignore[attr-defined]
            username=f"role-{name}", password="correct horse battery staple", is_staff=True
        )
        if role is not None:
            user.groups.add(role_group(role))
        return user

    return make


@pytest.fixture
def role_client(role_user: Callable[[Role | None], Any]) -> Callable[[Role | None], Client]:
    """A test client signed in as a staff user with the given role (None: no role)."""

    def make(role: Role | None) -> Client:
        client = Client()
        client.force_login(role_user(role))
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _purge_this_processes_task_queue() -> Iterator[None]:
    """Tasks sent by tests but never consumed must not pile up in a shared Redis."""
    yield
    if settings.CELERY_BROKER_URL.startswith("redis"):
        from kombo_site.celery import app

        app.control.purge()


@pytest.fixture
def redis_worker(redis_url: str) -> Iterator[None]:
    """A real Celery worker consuming the test broker on Redis, in a thread of this process."""
    require_service(
        "Redis as the Celery broker",
        settings.CELERY_BROKER_URL.startswith("redis"),
        "set REDIS_URL so the test settings use Redis",
    )
    # Tasks earlier tests of this process sent (ticks, syncs) would run here otherwise.
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        yield

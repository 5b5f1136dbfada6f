"""Shared fixtures. With CI_REQUIRE_SERVICES=1, a missing PostgreSQL, Redis or Chromium fails
the run instead of skipping the tests that need it (tests/support/services.py)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings

from core.models import ApiKey, Environment
from core.roles import Role
from core.services import api_key_create, environment_get_or_create
from integrations.actors import Actor
from kombo_site.celery import app
from tests.support.fakes import deel, gusto
from tests.support.fakes.bamboohr import FakeBambooHr
from tests.support.fakes.deel import FakeDeel
from tests.support.fakes.gusto import FakeGusto
from tests.support.fakes.hibob import FakeHiBob
from tests.support.fakes.personio import FakePersonio
from tests.support.fakes.server import serve
from tests.support.oauth import oauth_app_register
from tests.support.roles import role_group
from tests.support.services import REQUIRE_SERVICES, require_service
from tests.support.sweep import LogCapture


@pytest.fixture(scope="session", autouse=True)
def _database_is_postgres_in_ci(django_db_setup: None, django_db_blocker: object) -> None:
    if REQUIRE_SERVICES and connection.vendor != "postgresql":
        pytest.fail(
            "CI_REQUIRE_SERVICES=1 but the tests run on "
            f"{connection.vendor}; set DATABASE_URL to PostgreSQL.",
            pytrace=False,
        )


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


# Fake vendors: each served once per test process (stopping a server takes half a second, for
# werkzeug's poll), and handed to each test freshly reset, its vendor's URL setting on it.
@pytest.fixture(scope="session")
def personio_server() -> Iterator[FakePersonio]:
    with serve(FakePersonio()) as fake:
        yield fake


@pytest.fixture
def fake_personio(personio_server: FakePersonio) -> Iterator[FakePersonio]:
    with personio_server.configured():
        yield personio_server


@pytest.fixture(scope="session")
def bamboohr_server() -> Iterator[FakeBambooHr]:
    with serve(FakeBambooHr()) as fake:
        yield fake


@pytest.fixture
def fake_bamboohr(bamboohr_server: FakeBambooHr) -> Iterator[FakeBambooHr]:
    with bamboohr_server.configured():
        yield bamboohr_server


@pytest.fixture(scope="session")
def hibob_server() -> Iterator[FakeHiBob]:
    with serve(FakeHiBob()) as fake:
        yield fake


@pytest.fixture
def fake_hibob(hibob_server: FakeHiBob) -> Iterator[FakeHiBob]:
    with hibob_server.configured():
        yield hibob_server


@pytest.fixture(scope="session")
def gusto_server() -> Iterator[FakeGusto]:
    with serve(FakeGusto()) as fake:
        yield fake


@pytest.fixture
def fake_gusto(gusto_server: FakeGusto) -> Iterator[FakeGusto]:
    with gusto_server.configured():
        yield gusto_server


@pytest.fixture
def gusto_app(fake_gusto: FakeGusto, environment: Environment) -> FakeGusto:
    """Gusto's fake, with the operator's app registered there and saved for `environment`."""
    oauth_app_register(
        fake_gusto,
        environment=environment,
        tool_id="gusto",
        client_id=gusto.CLIENT_ID,
        client_secret=gusto.CLIENT_SECRET,
    )
    return fake_gusto


@pytest.fixture(scope="session")
def deel_server() -> Iterator[FakeDeel]:
    with serve(FakeDeel()) as fake:
        yield fake


@pytest.fixture
def fake_deel(deel_server: FakeDeel) -> Iterator[FakeDeel]:
    with deel_server.configured():
        yield deel_server


@pytest.fixture
def deel_app(fake_deel: FakeDeel, environment: Environment) -> FakeDeel:
    """Deel's fake, with the operator's app registered there and saved for `environment`."""
    oauth_app_register(
        fake_deel,
        environment=environment,
        tool_id="deel",
        client_id=deel.CLIENT_ID,
        client_secret=deel.CLIENT_SECRET,
    )
    return fake_deel


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


@pytest.fixture
def captured_logs() -> Iterator[LogCapture]:
    handler = LogCapture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)

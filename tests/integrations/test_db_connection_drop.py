"""PostgreSQL connections dropped mid-request (backends terminated by an administrator, a
failover, a proxy restart): the API answers Kombo's error envelope with a 5xx
PLATFORM.UNKNOWN_ERROR, never an HTML page, a hang or a dropped socket, and the next request
works again.

The API runs as in production: gunicorn with DEBUG off, in a subprocess on this test's
database, with and without persistent database connections.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import Environment, RequestLog
from core.services import api_key_create
from integrations.models import Integration
from integrations.read_models import HRIS_EMPLOYEES
from syncs.ingest import ingest_page
from syncs.models import Employee
from tests.support.factories import IntegrationFactory
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _on_postgresql(db: None) -> None:
    """These tests terminate PostgreSQL backends: they need the suite itself on PostgreSQL,
    whatever else happens to listen on 5432."""
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (the tests terminate its backends)",
    )


EMPLOYEES = 400
MAX_STORM_REQUESTS = 400
STORM_SECONDS = 40.0
REQUEST_TIMEOUT = 15.0

TERMINATE_OTHERS = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _conninfo() -> dict[str, Any]:
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }


def _database_url() -> str:
    info = _conninfo()
    credentials = info["user"] or ""
    if info["password"]:
        credentials += f":{info['password']}"
    host = info["host"] or "127.0.0.1"
    port = info["port"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{info['dbname']}"


def _terminate_others() -> int:
    # Django's own connection in this process would go too; drop it first (it reconnects).
    connection.close()
    with psycopg.connect(**_conninfo(), autocommit=True, connect_timeout=5) as admin:
        row = admin.execute(TERMINATE_OTHERS).fetchone()
    return int(row[0]) if row else 0


class BackendTerminator(threading.Thread):
    """Terminates every other backend of the test database, over and over, until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.terminated = 0
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with psycopg.connect(**_conninfo(), autocommit=True, connect_timeout=5) as admin:
                while not self.stopped.is_set():
                    row = admin.execute(TERMINATE_OTHERS).fetchone()
                    self.terminated += int(row[0]) if row else 0
                    self.stopped.wait(0.002)
        except BaseException as error:  # reported by the test, not lost in a thread
            self.failure = error

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
        assert not self.is_alive(), "the terminator thread did not stop"


@dataclass(frozen=True)
class Server:
    url: str
    persistent: bool


def _production_env(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kombo_site.settings",
        "ENV_FILE": str(var_dir / "no.env"),
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "DEBUG": "false",
        "SECRET_KEY": get_random_secret_key(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BASE_URL": "http://127.0.0.1",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def production_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deploy's state: static files collected once (pages reference the hashed names)."""
    var_dir = tmp_path_factory.mktemp("var")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=_production_env(var_dir),
        check=True,
        timeout=120,
    )
    return var_dir


@pytest.fixture(params=["0", "60"], ids=["per-request-connections", "persistent-connections"])
def gunicorn_api(
    request: pytest.FixtureRequest, production_var_dir: Path, tmp_path: Path
) -> Iterator[Server]:
    """The site under gunicorn on a free port, with DEBUG off, on this test's database."""
    log_path = tmp_path / "gunicorn.log"
    env = {
        **_production_env(production_var_dir),
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": request.param,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kombo_site.wsgi",
                # Port 0: the kernel picks a free one, read back from the log below.
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "2",
                "--timeout",
                "30",
                "--log-level",
                "info",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Server(_wait_for_listening(log_path, process), persistent=request.param != "0")
    finally:
        # SIGINT: gunicorn's quick shutdown (TERM waits up to a second for idle workers).
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for_listening(log_path: Path, process: subprocess.Popen[bytes]) -> str:
    # Generous: on a busy CI machine a fresh worker takes seconds to load Django.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited early:\n{log_path.read_text()}")
        match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log_path.read_text())
        if match:
            base_url = match.group(1)
            while time.monotonic() < deadline:
                try:
                    requests.get(f"{base_url}/api/v1/check-api-key", timeout=30)
                    return base_url
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.1)
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not start:\n{log_path.read_text()}")


def _integration_with_employees(environment: Environment) -> Integration:
    integration = IntegrationFactory(environment=environment)
    records = [
        {
            "remote_id": f"emp-{index}",
            "first_name": f"Person {index}",
            "last_name": "Müller",
            "work_email": f"person.{index}@acme.example",
            "job_title": "Software Engineer",
        }
        for index in range(EMPLOYEES)
    ]
    ingest_page(
        model=Employee,
        integration_id=integration.pk,
        sync_id="seed",
        all_fields=HRIS_EMPLOYEES.fields,
        records=records,
        now=timezone.now(),
    )
    return integration


def _assert_envelope_or_success(response: requests.Response) -> str | None:
    """The log id of a 5xx envelope, None for a success; anything else fails the test."""
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), (
        f"{response.status_code} {content_type}: {response.text[:300]}"
    )
    body = response.json()
    if response.status_code == 200:
        assert body["status"] == "success"
        return None
    assert response.status_code >= 500, f"{response.status_code}: {response.text[:300]}"
    assert body["status"] == "error"
    assert body["error"]["code"] == "PLATFORM.UNKNOWN_ERROR"
    assert body["error"]["title"]
    assert "Traceback" not in body["error"]["message"]
    assert "terminat" not in body["error"]["message"].lower(), "driver errors stay inside"
    log_url = body["error"]["log_url"]
    assert log_url.startswith("http://127.0.0.1/dashboard/logs/")
    return str(log_url).rstrip("/").rsplit("/", 1)[1]


def test_it_answers_the_error_envelope_while_connections_drop_and_recovers(
    gunicorn_api: Server, environment: Environment
) -> None:
    base_url = gunicorn_api.url
    _, raw_key = api_key_create(environment=environment, name="connection drops")
    integration = _integration_with_employees(environment)
    headers = {"Authorization": f"Bearer {raw_key}"}
    endpoints = [
        (f"{base_url}/api/v1/hris/employees", {"page_size": "250"}, integration.pk),
        (f"{base_url}/api/v1/integrations/{integration.pk}", {}, None),
    ]
    # This test's own connection would be terminated too: give it up, Django reconnects later.
    connection.close()

    terminator = BackendTerminator()
    terminator.start()
    failed_log_ids: list[str] = []
    successes = 0
    deadline = time.monotonic() + STORM_SECONDS
    try:
        for attempt in range(MAX_STORM_REQUESTS):
            url, params, integration_header = endpoints[attempt % len(endpoints)]
            request_headers = dict(headers)
            if integration_header:
                request_headers["X-Integration-Id"] = integration_header
            try:
                response = requests.get(
                    url, params=params, headers=request_headers, timeout=REQUEST_TIMEOUT
                )
            except requests.RequestException as error:
                pytest.fail(f"request {attempt} got no HTTP answer: {error!r}")
            log_id = _assert_envelope_or_success(response)
            if log_id is None:
                successes += 1
            else:
                failed_log_ids.append(log_id)
            if len(failed_log_ids) >= 5 or time.monotonic() > deadline:
                break
    finally:
        terminator.stop()
    assert terminator.failure is None, terminator.failure
    assert terminator.terminated > 0
    assert failed_log_ids, f"no request hit a dropped connection in {successes} requests"
    # The request log is written on a fresh connection when the request's own one died, so
    # an error's `log_url` leads somewhere (unless the storm took that connection too).
    logged = RequestLog.objects.filter(id__in=failed_log_ids).values_list("error_code", flat=True)
    assert set(logged) <= {"PLATFORM.UNKNOWN_ERROR"}

    # Stopped: the very next requests succeed.
    _assert_all_succeed(endpoints, headers)
    # Connections kept open between requests die while idle too (a failover at night).
    idle_terminated = _terminate_others()
    if gunicorn_api.persistent:
        assert idle_terminated >= 1, "no persistent connection was left to drop"
    _assert_all_succeed(endpoints, headers)


def _assert_all_succeed(
    endpoints: list[tuple[str, dict[str, str], str | None]], headers: dict[str, str]
) -> None:
    for url, params, integration_header in endpoints * 3:
        request_headers = dict(headers)
        if integration_header:
            request_headers["X-Integration-Id"] = integration_header
        response = requests.get(
            url, params=params, headers=request_headers, timeout=REQUEST_TIMEOUT
        )
        assert response.status_code == 200, response.text[:300]
        assert response.json()["status"] == "success"


def test_it_writes_the_request_log_on_a_fresh_connection_when_the_request_lost_its_own(
    environment: Environment, client: Client
) -> None:
    _, raw_key = api_key_create(environment=environment, name="connection drops")
    integration = IntegrationFactory(environment=environment)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend_pid,) = cursor.fetchone()
    with psycopg.connect(**_conninfo(), autocommit=True, connect_timeout=5) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    response = client.get(
        f"/api/v1/integrations/{integration.pk}", HTTP_AUTHORIZATION=f"Bearer {raw_key}"
    )

    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "PLATFORM.UNKNOWN_ERROR"
    log_id = error["log_url"].rstrip("/").rsplit("/", 1)[1]
    log = RequestLog.objects.get(pk=log_id)
    assert (log.status_code, log.error_code) == (500, "PLATFORM.UNKNOWN_ERROR")
    assert log.path == f"/api/v1/integrations/{integration.pk}"
    # And the next request is served normally.
    response = client.get(
        f"/api/v1/integrations/{integration.pk}", HTTP_AUTHORIZATION=f"Bearer {raw_key}"
    )
    assert response.status_code == 200

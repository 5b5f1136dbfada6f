"""`/readyz` turns 200 once a real Celery worker process has recorded its heartbeat, keeps
answering 200 while it lives past READYZ_WORKER_MAX_AGE (it beats every
WORKER_HEARTBEAT_INTERVAL), and 503 again once it stopped: Kubernetes' readiness probe (200-399
is success) then sends traffic only to pods whose background work is being done.

Real processes: the site under gunicorn with the shipped config, a `celery worker`; once in
the embedded default (`make run`: SQLite file, kombu's filesystem transport, a per-process
cache), once on Redis (the production set-up, on a private redis-server).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from core.models import WorkerHeartbeat
from tests.support.processes import (
    ROOT,
    celery_workers,
    database_url,
    gunicorn_server,
    private_redis,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Short, so that outliving the maximum age takes seconds.
FAST_HEARTBEAT = {"WORKER_HEARTBEAT_INTERVAL": "1s", "READYZ_WORKER_MAX_AGE": "3s"}


def _readyz(url: str) -> tuple[int, dict[str, str]]:
    response = requests.get(f"{url}/readyz", timeout=30)
    return response.status_code, response.json()["checks"]


def _worker_lifecycle(
    *, workdir: Path, site_env: dict[str, str], worker_env: dict[str, str]
) -> list[str]:
    """Readiness before, while and after a worker lives; returns what the worker logged."""
    with gunicorn_server(workdir=workdir, env=site_env) as server:
        status, checks = _readyz(server.url)
        assert status == 503
        assert [name for name, outcome in checks.items() if outcome != "ok"] == ["workers"]

        with celery_workers(workdir=workdir, env=worker_env, beat=False, concurrency=1) as workers:
            workers.start()
            wait_for(
                lambda: f"readyz to pass ({_readyz(server.url)}, {workers.log_tail()!r})",
                lambda: _readyz(server.url)[0] == 200,
                timeout=90,
            )
            first_ready = time.monotonic()
            # Beyond the maximum age of the first heartbeat: only later ones keep it ready.
            time.sleep(2 * 3)
            assert time.monotonic() - first_ready > 3
            assert _readyz(server.url) == (200, dict.fromkeys(checks, "ok"))
            workers.stop()
            worker_log = workers.log.read_text().splitlines()

        # A worker stopping cleanly takes its heartbeat with it.
        status, checks = _readyz(server.url)
        assert status == 503
        assert checks["workers"].startswith("Unavailable: No Celery worker seen")
    return worker_log


def test_it_follows_a_worker_of_the_embedded_default(tmp_path: Path) -> None:
    embedded = {
        **FAST_HEARTBEAT,
        "DJANGO_SETTINGS_MODULE": "kombo_site.settings",
        "DEBUG": "true",
        "ENV_FILE": str(tmp_path / "no.env"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "VAR_DIR": str(tmp_path), **embedded},
        check=True,
        timeout=120,
    )

    worker_log = _worker_lifecycle(
        workdir=tmp_path, site_env=embedded, worker_env={**embedded, "LOG_FORMAT": "json"}
    )

    # Celery left Django's logging in place (worker_hijack_root_logger off): its own lines
    # are JSON lines too. (Its start-up banner is printed, not logged.)
    logged = [json.loads(line) for line in worker_log if line.startswith("{")]
    assert any(line["logger"].startswith("celery.") for line in logged), worker_log


def test_it_follows_a_worker_on_redis(tmp_path: Path) -> None:
    # Earlier tests' in-process workers may have beaten into this database.
    WorkerHeartbeat.objects.all().delete()
    with private_redis(tmp_path) as broker:
        site_env = {**FAST_HEARTBEAT, "REDIS_URL": broker.url}
        worker_env = {
            **site_env,
            # The database the site serves (gunicorn_server: this test's, or a SQLite file).
            "DATABASE_URL": (
                database_url()
                if connection.vendor == "postgresql"
                else f"sqlite:///{tmp_path / 'site.sqlite3'}"
            ),
        }

        _worker_lifecycle(workdir=tmp_path, site_env=site_env, worker_env=worker_env)

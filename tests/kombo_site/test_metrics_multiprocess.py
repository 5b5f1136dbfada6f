"""Several processes of one host share PROMETHEUS_MULTIPROC_DIR and any of them answers a
scrape for all (prometheus-client docs, "Multiprocess Mode": each process writes its figures
to files in that directory, a fresh registry with a MultiProcessCollector adds them up): two
gunicorn workers and a separate process counting requests, scraped through gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.support.metrics import METRICS_TOKEN, parse
from tests.support.processes import ROOT, database_url, gunicorn_server

pytestmark = pytest.mark.django_db(transaction=True)

ANOTHER_PROCESS_REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
for _ in range({count}):
    assert client.get("/favicon.ico").status_code == 301
"""


def test_it_adds_up_the_figures_of_every_process_of_the_host(tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(shared), "METRICS_TOKEN": METRICS_TOKEN}
    with gunicorn_server(workdir=tmp_path, env=env, args=("--workers", "2")) as server:
        with requests.Session() as session:
            for _ in range(6):
                answer = session.get(f"{server.url}/favicon.ico", allow_redirects=False, timeout=10)
                assert answer.status_code == 301
        subprocess.run(
            [sys.executable, "-c", ANOTHER_PROCESS_REQUESTS.format(count=4)],
            cwd=ROOT,
            env={
                **os.environ,
                **env,
                "DJANGO_SETTINGS_MODULE": "kombo_site.test_settings",
                "VAR_DIR": str(tmp_path),
                "DATABASE_URL": (
                    database_url()
                    if connection.vendor == "postgresql"
                    else f"sqlite:///{tmp_path / 'site.sqlite3'}"
                ),
            },
            check=True,
            timeout=120,
        )
        # Whichever worker answers, it answers for all: ask more than once.
        scrapes = [
            requests.get(
                f"{server.url}/metrics",
                headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
                timeout=10,
            )
            for _ in range(3)
        ]

    # A route nothing else asks for (the probe waiting for gunicorn asks for the login page).
    favicon = {"route": "favicon.ico", "method": "GET", "status": "301"}
    for response in scrapes:
        assert response.status_code == 200
        assert parse(response.text).value("kombo_http_requests_total", **favicon) == 6 + 4
    writers = {path.name.rsplit("_", 1)[-1] for path in shared.glob("*.db")}
    assert len(writers) >= 2, sorted(path.name for path in shared.iterdir())

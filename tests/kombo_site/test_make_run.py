"""`make run`'s command end to end: migrate, seed, web + worker with beat, clean Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _run_product(tmp_path: Path, broker_env: dict[str, str], stop: signal.Signals) -> None:
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DEBUG": "true",
            "ENV_FILE": str(tmp_path / "none.env"),
            "VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'kombo.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "kombo_site.settings",
            **broker_env,
        }
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: "kombo-site is running" in log_path.read_text(), 120, "start-up")
        _wait_for(lambda: " ready." in log_path.read_text(), 60, "the Celery worker")

        def web_up() -> bool:
            try:
                return requests.get(f"{base}/accounts/login/", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        _wait_for(web_up, 60, "the web server")
        output = log_path.read_text()
        assert "username: operator" in output
        assert "password: " in output
        assert "beat: Starting" in output
        dashboard = requests.get(f"{base}/dashboard/", timeout=5, allow_redirects=False)
        assert dashboard.status_code == 302
        assert "/accounts/login/" in dashboard.headers["Location"]
        api = requests.get(f"{base}/api/v1/check-api-key", timeout=5)
        assert api.status_code == 401
        assert api.json()["error"]["code"] == "PLATFORM.AUTHENTICATION_INVALID"

        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
        assert not web_up()
        assert "Stopping" in log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_it_runs_the_product_on_embedded_defaults(tmp_path: Path) -> None:
    _run_product(tmp_path, {}, signal.SIGINT)
    assert (tmp_path / "var" / "celery" / "queue").is_dir()


def test_it_uses_redis_when_redis_url_is_set(tmp_path: Path, redis_url: str) -> None:
    _run_product(tmp_path, {"REDIS_URL": redis_url}, signal.SIGTERM)
    assert "Celery broker Redis" in (tmp_path / "serve.log").read_text()

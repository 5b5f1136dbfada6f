"""`make run`'s command end to end: migrate, seed, web + worker with beat, clean Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RunningProduct:
    base_url: str
    # The environment `make run` was started with, for commands run next to it.
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes]


@contextmanager
def product_running(tmp_path: Path, broker_env: dict[str, str]) -> Iterator[RunningProduct]:
    """`manage.py serve` (what `make run` starts) on its embedded defaults in `tmp_path`, up
    and answering; killed at the end if the test did not stop it."""
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
        _wait_for(lambda: _web_up(base), 60, "the web server")
        yield RunningProduct(base, {**env, "BASE_URL": base}, log_path, process)
    finally:
        if process.poll() is None:
            # SIGTERM first: `serve` stops the web server and worker it started in sessions of
            # their own, which a SIGKILL of `serve` alone would leave running.
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _web_up(base: str) -> bool:
    try:
        return requests.get(f"{base}/accounts/login/", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def _run_product(
    tmp_path: Path,
    broker_env: dict[str, str],
    stop: signal.Signals,
    beside: Callable[[RunningProduct], None] = lambda product: None,
) -> None:
    """Start the product, check what a new user sees, run `beside` next to it, then stop it
    with `stop` as a terminal (or a process manager) would."""
    with product_running(tmp_path, broker_env) as product:
        base, log_path = product.base_url, product.log_path
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
        beside(product)

        product.process.send_signal(stop)
        assert product.process.wait(timeout=30) == 0
        assert not _web_up(base)
        assert "Stopping" in log_path.read_text()


def test_it_runs_the_product_on_embedded_defaults(tmp_path: Path) -> None:
    """Also, beside it: the demo's OAuth customer's token refreshed at Sandbox HR as a worker
    would (a new process on the same SQLite file, as `make run`'s users' own scripts are).
    SQLite allows one writer at a time, and Sandbox HR's token endpoint writes: a refresh that
    held the database while waiting for it would wait out its own timeout (RFC 6749 §6: the
    refresh is an HTTP request to the authorization server). Seeding the demo takes a while,
    so both run on the one product."""
    _run_product(tmp_path, {}, signal.SIGINT, beside=_refresh_the_demo_oauth_token_as_a_worker)
    assert (tmp_path / "var" / "celery" / "queue").is_dir()


def test_it_uses_redis_when_redis_url_is_set(tmp_path: Path, redis_url: str) -> None:
    _run_product(tmp_path, {"REDIS_URL": redis_url}, signal.SIGTERM)
    assert "Celery broker Redis" in (tmp_path / "serve.log").read_text()


# Run next to `make run` as a worker would: the demo's OAuth customer's token is due, and the
# worker's auth check refreshes it at Sandbox HR, which the web server serves from the same
# SQLite file.
_REFRESH_AS_A_WORKER = """
import json, time
from core.crypto import decrypt_json, encrypt_json
from integrations.models import CredentialVersion, Integration
from syncs.models import AuthCheckTrigger
from syncs.services import auth_check_run
integration = Integration.objects.get(tool="sandbox_oauth")
version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
token = decrypt_json(version.payload_encrypted)
version.payload_encrypted = encrypt_json({**token, "expires_at": str(int(time.time()) - 1)})
version.save(update_fields=["payload_encrypted"])
result = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL).result
version.refresh_from_db()
fresh = decrypt_json(version.payload_encrypted)
print(json.dumps({"outcome": result.outcome, "message": result.message,
                  "rotated": fresh["refresh_token"] != token["refresh_token"]}))
"""


def _refresh_the_demo_oauth_token_as_a_worker(product: RunningProduct) -> None:
    checked = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _REFRESH_AS_A_WORKER],
        cwd=ROOT,
        env=product.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr[-3000:]
    outcome = json.loads(checked.stdout.strip().splitlines()[-1])
    assert outcome == {"outcome": "OK", "message": "", "rotated": True}

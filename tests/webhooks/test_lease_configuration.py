"""A webhook lease that could end while its attempt is still running is refused at start-up.

Outside source: issue 14 ("never start a second attempt of a delivery whose first is still
within its lease"): the sweeper hands out a delivery whose lease ended, so a lease shorter than
the longest attempt (WEBHOOK_TIMEOUT_SECONDS) would send it twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kombo_site.settings",
            "DEBUG": "true",
            "ENV_FILE": os.devnull,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_a_lease_shorter_than_the_attempt_timeout() -> None:
    loaded = _load_settings(WEBHOOK_TIMEOUT_SECONDS="15", WEBHOOK_LEASE_SECONDS="10")

    assert loaded.returncode != 0
    assert "ImproperlyConfigured" in loaded.stderr
    assert "WEBHOOK_LEASE_SECONDS (10)" in loaded.stderr
    assert "WEBHOOK_TIMEOUT_SECONDS (15)" in loaded.stderr


def test_it_refuses_a_lease_equal_to_the_attempt_timeout() -> None:
    loaded = _load_settings(WEBHOOK_TIMEOUT_SECONDS="30", WEBHOOK_LEASE_SECONDS="30")

    assert loaded.returncode != 0
    assert "ImproperlyConfigured" in loaded.stderr


def test_it_starts_with_a_lease_that_outlasts_the_attempt() -> None:
    loaded = _load_settings(WEBHOOK_TIMEOUT_SECONDS="15", WEBHOOK_LEASE_SECONDS="60")

    assert loaded.returncode == 0, loaded.stderr[-2000:]

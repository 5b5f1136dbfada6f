"""Production (DEBUG off) refuses to start without its secrets, naming what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "9Mmf1sR2b6n4L3cX0v3T5o8sYk0ZqV7wJ2eH1aB4cDg="


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "BASE_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kombo_site.settings",
            "ENV_FILE": str(ROOT / "does-not-exist.env"),
            **env_overrides,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_refuses_to_start_without_production_secrets() -> None:
    result = _start({"DEBUG": "false"})

    assert result.returncode != 0
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "BASE_URL"):
        assert name in result.stderr


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "BASE_URL"]
)
def test_it_names_the_one_missing_secret(missing: str) -> None:
    complete = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "kombo.example.com",
        "BASE_URL": "https://kombo.example.com",
    }
    del complete[missing]

    result = _start(complete)

    assert result.returncode != 0
    assert f"need these environment variables: {missing}." in result.stderr


def test_it_starts_with_all_production_secrets() -> None:
    result = _start(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEYS": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "kombo.example.com",
            "BASE_URL": "https://kombo.example.com",
        }
    )

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("not-a-fernet-key", "must be a comma-separated list of Fernet keys"),
        ("bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=", "public development key"),
    ],
)
def test_it_refuses_a_bad_or_public_encryption_key(key: str, message: str) -> None:
    result = _start(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEYS": key,
            "ALLOWED_HOSTS": "kombo.example.com",
            "BASE_URL": "https://kombo.example.com",
        }
    )

    assert result.returncode != 0
    assert message in result.stderr
    assert key not in result.stderr

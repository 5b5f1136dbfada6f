"""Production (DEBUG off) refuses to start without its secrets, naming what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"}
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
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"):
        assert name in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"])
def test_it_names_the_one_missing_secret(missing: str) -> None:
    complete = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=",
        "ALLOWED_HOSTS": "kombo.example.com",
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
            "FIELD_ENCRYPTION_KEYS": "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=",
            "ALLOWED_HOSTS": "kombo.example.com",
        }
    )

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout

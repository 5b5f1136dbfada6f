"""Production (DEBUG off) refuses to start without its secrets, naming what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from kombo_site.settings import _DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "9Mmf1sR2b6n4L3cX0v3T5o8sYk0ZqV7wJ2eH1aB4cDg="
# `secrets.token_urlsafe(50)`, as the README says to generate one.
PRODUCTION_SECRET_KEY = "Qm7vT2xL9pR4kW8sN3jF6hD1gB5cZ0aY-_uE7iO2qX4tV9mK3nS8rJ1wP6lH5fG0dC2bA"


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
        "SECRET_KEY": PRODUCTION_SECRET_KEY,
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
            "SECRET_KEY": PRODUCTION_SECRET_KEY,
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
            "SECRET_KEY": PRODUCTION_SECRET_KEY,
            "FIELD_ENCRYPTION_KEYS": key,
            "ALLOWED_HOSTS": "kombo.example.com",
            "BASE_URL": "https://kombo.example.com",
        }
    )

    assert result.returncode != 0
    assert message in result.stderr
    assert key not in result.stderr


# Django's definition of a weak key, from the docs of `check --deploy` (security.W009): "less
# than 50 characters, less than 5 unique characters, or it's prefixed with 'django-insecure-'".
WEAK_SECRET_KEYS = {
    "short": "Zq8wLm3v",
    "one_short_of_50": "Qm7vT2xL9pR4kW8sN3jF6hD1gB5cZ0aY-_uE7iO2qX4tV9mK3",
    "fifty_of_four_characters": "abcd" * 12 + "ab",
    "django_insecure_prefix": "django-insecure-" + PRODUCTION_SECRET_KEY,
    "development_default": _DEVELOPMENT_SECRET_KEY,
}


@pytest.mark.parametrize("key", WEAK_SECRET_KEYS.values(), ids=WEAK_SECRET_KEYS.keys())
def test_it_refuses_a_weak_secret_key(key: str) -> None:
    result = _start(
        {
            "DEBUG": "false",
            "SECRET_KEY": key,
            "FIELD_ENCRYPTION_KEYS": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "kombo.example.com",
            "BASE_URL": "https://kombo.example.com",
        }
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr
    assert key not in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        # Django's own generator (50 characters) and the exact limits of its rule.
        get_random_secret_key(),
        "abcde" * 10,
        # One in 50 of the generator's keys starts with "$", which django-environ would read
        # as the name of another variable.
        "$" + get_random_secret_key()[1:],
    ],
    ids=["get_random_secret_key", "fifty_of_five_characters", "starting_with_a_dollar"],
)
def test_it_starts_with_a_key_django_calls_strong(key: str) -> None:
    result = _start(
        {
            "DEBUG": "false",
            "SECRET_KEY": key,
            "FIELD_ENCRYPTION_KEYS": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "kombo.example.com",
            "BASE_URL": "https://kombo.example.com",
        }
    )

    assert result.returncode == 0, result.stderr


def test_it_accepts_the_development_key_in_debug_mode() -> None:
    result = _start({"DEBUG": "true"})

    assert result.returncode == 0, result.stderr


def test_it_refuses_an_oauth_client_id_without_its_secret() -> None:
    """RFC 6749 §2.3.1: a confidential client authenticates with its id and secret; an id
    alone would fail at the first code exchange, so start-up says so."""
    result = _start({"DEBUG": "true", "OAUTH_GUSTO_CLIENT_ID": "gusto-app"})

    assert result.returncode != 0
    assert "OAUTH_GUSTO_CLIENT_SECRET" in result.stderr
    assert "started" not in result.stdout

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import ApiKey, Environment
from core.services import api_key_authenticate


def test_it_creates_a_key_shown_once_and_stored_hashed(environment: Environment) -> None:
    out = StringIO()
    call_command(
        "create_api_key",
        "--environment",
        "production",
        "--name",
        "ci",
        stdout=out,
        stderr=StringIO(),
    )
    raw_key = out.getvalue().strip()

    stored = ApiKey.objects.get(name="ci")
    assert raw_key.startswith("ks_")
    assert raw_key not in (stored.key_hash, stored.prefix)
    assert stored.environment.name == "production"
    authenticated = api_key_authenticate(raw_key=raw_key)
    assert authenticated is not None
    assert authenticated.pk == stored.pk


@pytest.mark.django_db
def test_it_refuses_an_unknown_environment() -> None:
    with pytest.raises(CommandError, match="No environment named 'staging'"):
        call_command("create_api_key", "--environment", "staging")


def test_it_rejects_revoked_and_tampered_keys(environment: Environment) -> None:
    out = StringIO()
    call_command("create_api_key", "--environment", "production", stdout=out, stderr=StringIO())
    raw_key = out.getvalue().strip()

    assert api_key_authenticate(raw_key=raw_key[:-1] + ("x" if raw_key[-1] != "x" else "y")) is None
    ApiKey.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert api_key_authenticate(raw_key=raw_key) is None

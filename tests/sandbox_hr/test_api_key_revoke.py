"""An administrator revokes an API key from Settings → API keys, after a confirmation page, and
the key stops working at once (Sandbox HR's API answers 401 to it, as the `sandbox` connector's
contract says of a revoked key)."""

from __future__ import annotations

import pytest
from django.test import Client

from sandbox_hr.models import SandboxAccount, SandboxApiKey, SandboxUser
from sandbox_hr.services import sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS

pytestmark = pytest.mark.django_db

LIST = "/sandbox-hr/settings/api-keys/"


@pytest.fixture
def key_and_raw(account: SandboxAccount) -> tuple[SandboxApiKey, str]:
    return sandbox_api_key_create(account=account, name="kombo-site", permissions=ALL_PERMISSIONS)


def _me(client: Client, raw_key: str) -> int:
    return client.get("/sandbox-hr/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}").status_code


def test_it_asks_before_revoking_and_then_revokes_for_good(
    client: Client, admin: SandboxUser, key_and_raw: tuple[SandboxApiKey, str]
) -> None:
    key, raw_key = key_and_raw
    listed = client.get(LIST).content.decode()
    url = f"/sandbox-hr/settings/api-keys/{key.pk}/revoke/"
    assert f'href="{url}"' in listed

    confirmation = client.get(url)

    assert confirmation.status_code == 200
    assert "Revoke API key “kombo-site”?" in confirmation.content.decode()
    assert "This cannot be undone." in confirmation.content.decode()
    assert _me(client, raw_key) == 200

    revoked = client.post(url)

    assert revoked.status_code == 302
    assert revoked["Location"] == LIST
    assert _me(client, raw_key) == 401
    after = client.get(LIST).content.decode()
    assert f"Revoked the API key “kombo-site” ({key.prefix}…)" in after
    assert "by peter@initech.example" in after
    assert f'href="{url}"' not in after
    # The notice is shown once, not on every later visit.
    assert "Revoked the API key" not in client.get(LIST).content.decode()


def test_it_changes_nothing_when_the_key_was_already_revoked(
    client: Client, admin: SandboxUser, key_and_raw: tuple[SandboxApiKey, str]
) -> None:
    key, _ = key_and_raw
    url = f"/sandbox-hr/settings/api-keys/{key.pk}/revoke/"
    client.post(url)
    key.refresh_from_db()
    first_revocation = key.revoked_at

    again = client.post(url)

    assert again.status_code == 302
    assert "was already revoked; nothing changed" in client.get(LIST).content.decode()
    key.refresh_from_db()
    assert key.revoked_at == first_revocation
    assert "is revoked" in client.get(url).content.decode()


@pytest.mark.parametrize("key_id", ["key_doesNotExist0000", "..%2F..%2Fadmin"])
def test_it_answers_not_found_for_a_key_that_does_not_exist(
    client: Client, admin: SandboxUser, key_id: str
) -> None:
    response = client.post(f"/sandbox-hr/settings/api-keys/{key_id}/revoke/")

    assert response.status_code == 404

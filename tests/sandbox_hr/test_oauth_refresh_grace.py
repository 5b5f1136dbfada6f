"""Grace refresh token rotation (`SANDBOX_HR_OAUTH_ROTATION=grace`), as Gusto documents it: a
refresh returns a new pair, and the old refresh token keeps working until the new access token
is first used. RFC 6749 §6: the server "MAY revoke the old refresh token after issuing a new
refresh token"; RFC 9700 §4.14.2 lets it choose how."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import SandboxOAuthGrant
from tests.support.sandbox_hr import (
    RegisteredApp,
    api_status,
    oauth_tokens,
    refresh_grant,
    token_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


@override_settings(SANDBOX_HR_OAUTH_ROTATION="grace")
def test_it_keeps_the_old_refresh_token_until_the_new_access_token_is_used(
    client: Client, registered: RegisteredApp
) -> None:
    first = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)
    refresh = refresh_grant(first["refresh_token"])

    second = token_post(client, registered, **refresh).json()
    # The answer got lost on the way: the app refreshes with the old token again.
    third = token_post(client, registered, **refresh).json()

    assert second["refresh_token"] != first["refresh_token"]
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])
    assert api_status(client, third["access_token"]) == 200
    after_use = token_post(client, registered, **refresh)
    assert after_use.status_code == 400
    assert after_use.json()["error"] == "invalid_grant"
    # Only that token died: the grant and the newest pair live on.
    assert SandboxOAuthGrant.objects.get().revoked_at is None
    assert api_status(client, third["access_token"]) == 200
    fourth = token_post(client, registered, **refresh_grant(third["refresh_token"]))
    assert fourth.status_code == 200
    assert "refresh_token" in fourth.json()

"""An access token lives `SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS` (its `expires_in`, RFC 6749
§5.1); after that the API answers 401 with `WWW-Authenticate: Bearer ... error="invalid_token"`
(RFC 6750 §3.1), and a refresh gets a working one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from integrations.tools.sandbox import PERM_EMPLOYEES
from tests.support.sandbox_hr import RegisteredApp, api_status, oauth_tokens, tokens_refreshed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


@override_settings(SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS=120)
def test_it_refuses_an_expired_access_token_with_401(
    client: Client, registered: RegisteredApp
) -> None:
    tokens = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)
    assert tokens["expires_in"] == 120

    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        expired = client.get(
            "/sandbox-hr/api/v1/employees", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
        )
        refreshed = tokens_refreshed(client, registered, tokens["refresh_token"])
        fresh = api_status(client, refreshed["access_token"], "employees")

    assert expired.status_code == 401
    assert expired["WWW-Authenticate"] == 'Bearer realm="sandbox-hr", error="invalid_token"'
    assert expired.json()["error"]["code"] == "invalid_token"
    assert fresh == 200

"""An authorization code works once and for 10 minutes. RFC 6749 §4.1.2: "If an authorization
code is used more than once, the authorization server MUST deny the request and SHOULD revoke
(when possible) all tokens previously issued based on that authorization code"; "A maximum
authorization code lifetime of 10 minutes is RECOMMENDED"."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from integrations.tools.sandbox import PERM_EMPLOYEES
from tests.support.sandbox_hr import (
    RegisteredApp,
    api_status,
    code_grant,
    oauth_app_registered,
    oauth_code_approved,
    refresh_grant,
    token_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


def test_it_refuses_a_code_used_twice_and_revokes_the_tokens_it_gave(
    client: Client, registered: RegisteredApp
) -> None:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)
    first = token_post(client, registered, **code_grant(code)).json()
    assert api_status(client, first["access_token"]) == 200

    again = token_post(client, registered, **code_grant(code))

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert api_status(client, first["access_token"]) == 401
    refreshed = token_post(client, registered, **refresh_grant(first["refresh_token"]))
    assert refreshed.json()["error"] == "invalid_grant"


def test_it_refuses_a_code_after_ten_minutes(client: Client, registered: RegisteredApp) -> None:
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        late = token_post(client, registered, **code_grant(code))

    assert late.status_code == 400
    assert late.json()["error"] == "invalid_grant"


def test_it_refuses_a_code_issued_to_another_app(client: Client, registered: RegisteredApp) -> None:
    other = oauth_app_registered()
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES)

    stolen = token_post(client, other, **code_grant(code))

    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"
    rightful = token_post(client, registered, **code_grant(code))
    assert rightful.status_code == 200

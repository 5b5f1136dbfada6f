"""What the app hears when it does not get a code, as redirects back to it carrying `state`:
RFC 6749 §4.1.2.1, `access_denied` ("The resource owner or authorization server denied the
request") and `invalid_scope` ("The requested scope is invalid, unknown, or malformed")."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from sandbox_hr.models import SandboxOAuthCode
from tests.support.sandbox_hr import (
    RegisteredApp,
    authorize_url,
    oauth_app_registered,
    redirect_params,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin")]


def test_it_sends_access_denied_and_the_state_back_when_denied(
    client: Client, registered: RegisteredApp
) -> None:
    url = authorize_url(registered, scope=PERM_EMPLOYEES, state="st-42")

    denied = client.post(url, {"decision": "deny"}, secure=True)

    params = redirect_params(denied)
    assert (params["error"], params["state"]) == ("access_denied", "st-42")
    assert "code" not in params
    assert not SandboxOAuthCode.objects.exists()


@pytest.mark.parametrize("scope", ["employees:write", f"{PERM_EMPLOYEES} admin", ""])
def test_it_sends_invalid_scope_back_for_a_scope_sandbox_hr_does_not_have(
    client: Client, registered: RegisteredApp, scope: str
) -> None:
    url = authorize_url(registered, scope=scope, state="st-7")

    response = client.get(url, secure=True)

    params = redirect_params(response)
    assert params["error"] == "invalid_scope"
    assert params["state"] == "st-7"


def test_it_sends_invalid_scope_back_for_a_scope_the_app_was_not_registered_for(
    client: Client,
) -> None:
    registered = oauth_app_registered(scopes=(PERM_EMPLOYEES,))

    response = client.get(authorize_url(registered, scope=PERM_GROUPS), secure=True)

    assert redirect_params(response)["error"] == "invalid_scope"

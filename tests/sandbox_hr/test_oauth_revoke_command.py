"""`manage.py sandbox oauth-revoke <account>`: the operator's break button for OAuth
connections. Every grant of the account ends at once, so the next API call with its tokens is
401 (RFC 6750 §3.1) and the next refresh `invalid_grant` (RFC 6749 §5.2)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import (
    REDIRECT_URI,
    api_status,
    oauth_app_registered,
    oauth_code_approved,
    sandbox_sign_in,
    token_post,
)

pytestmark = pytest.mark.django_db


def test_it_revokes_every_grant_of_the_account_and_only_those(client: Client) -> None:
    account = sandbox_account_create(name="Initech AG", employees=1, seed=3)
    other = sandbox_account_create(name="Globex", employees=1, seed=4)
    registered = oauth_app_registered()
    tokens = {}
    for company in (account, other):
        browser = Client()
        sandbox_sign_in(browser, SandboxUserFactory(account=company))
        code = oauth_code_approved(browser, registered, scope=PERM_EMPLOYEES)
        exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
        tokens[company.pk] = token_post(browser, registered, **exchange).json()
    out = StringIO()

    call_command("sandbox", "oauth-revoke", account.pk, stdout=out)

    assert "Revoked 1 OAuth grant of 'Initech AG'" in out.getvalue()
    assert api_status(client, tokens[account.pk]["access_token"]) == 401
    refreshed = token_post(
        client,
        registered,
        grant_type="refresh_token",
        refresh_token=tokens[account.pk]["refresh_token"],
    )
    assert refreshed.json()["error"] == "invalid_grant"
    assert api_status(client, tokens[other.pk]["access_token"]) == 200

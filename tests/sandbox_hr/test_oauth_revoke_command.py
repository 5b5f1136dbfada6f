"""`manage.py sandbox oauth-revoke <account>`: the operator's break button for OAuth
connections. Every grant of the account ends at once, so the next API call with its tokens is
401 (RFC 6750 §3.1) and the next refresh `invalid_grant` (RFC 6749 §5.2)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import SandboxAccount
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import (
    RegisteredApp,
    api_status,
    oauth_tokens,
    sandbox_sign_in,
    tokens_refreshed,
)

pytestmark = pytest.mark.django_db


def test_it_revokes_every_grant_of_the_account_and_only_those(
    client: Client, account: SandboxAccount, registered: RegisteredApp
) -> None:
    other = sandbox_account_create(name="Globex", employees=1, seed=4)
    tokens = {}
    for company in (account, other):
        browser = Client()
        sandbox_sign_in(browser, SandboxUserFactory(account=company))
        tokens[company.pk] = oauth_tokens(browser, registered, scope=PERM_EMPLOYEES)
    out = StringIO()

    call_command("sandbox", "oauth-revoke", account.pk, stdout=out)

    assert "Revoked 1 OAuth grant of 'Initech AG'" in out.getvalue()
    assert api_status(client, tokens[account.pk]["access_token"]) == 401
    refreshed = tokens_refreshed(client, registered, tokens[account.pk]["refresh_token"])
    assert refreshed["error"] == "invalid_grant"
    assert api_status(client, tokens[other.pk]["access_token"]) == 200

"""Settings → Connected apps lists what a company's administrators allowed, and revoking one
kills every token of the grant at once: the API answers 401 (RFC 6750 §3.1, `invalid_token`)
and the token endpoint `invalid_grant` (RFC 6749 §5.2: the refresh token "is invalid, expired,
revoked"). The confirmation step mirrors the API keys' revoke page."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from sandbox_hr.models import SandboxAccount, SandboxOAuthGrant, SandboxUser, SandboxUserRole
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

LIST = "/sandbox-hr/settings/connected-apps/"
SCOPE = f"{PERM_EMPLOYEES} {PERM_GROUPS}"


def test_it_lists_the_app_with_its_scopes_who_allowed_it_and_last_use(
    client: Client, admin: SandboxUser, registered: RegisteredApp
) -> None:
    tokens = oauth_tokens(client, registered, scope=SCOPE)
    assert "Never" in client.get(LIST).content.decode()
    assert api_status(client, tokens["access_token"]) == 200

    page = client.get(LIST).content.decode()

    assert "Acme Integrations" in page
    assert "See employees: names, work email" in page
    assert "See departments, teams and cost centers" in page
    assert "by peter@initech.example" in page
    assert "Never" not in page


def test_it_revokes_after_confirmation_and_every_token_stops_at_once(
    client: Client, admin: SandboxUser, registered: RegisteredApp
) -> None:
    first = oauth_tokens(client, registered, scope=SCOPE)
    second = tokens_refreshed(client, registered, first["refresh_token"])
    grant = SandboxOAuthGrant.objects.get()
    url = f"{LIST}{grant.pk}/revoke/"
    assert f'href="{url}"' in client.get(LIST).content.decode()

    confirmation = client.get(url)
    assert "Revoke the access of “Acme Integrations”?" in confirmation.content.decode()
    assert api_status(client, second["access_token"]) == 200

    revoked = client.post(url)

    assert revoked.status_code == 302
    assert revoked["Location"] == LIST
    assert api_status(client, first["access_token"]) == 401
    assert api_status(client, second["access_token"], "employees") == 401
    refreshed = tokens_refreshed(client, registered, second["refresh_token"])
    assert refreshed["error"] == "invalid_grant"
    after = client.get(LIST).content.decode()
    assert "Disconnected “Acme Integrations”" in after
    assert f'href="{url}"' not in after
    grant.refresh_from_db()
    assert grant.revoked_by == admin
    client.post(url)
    assert "was already disconnected; nothing changed" in client.get(LIST).content.decode()


def test_it_hides_other_companies_connections(
    client: Client, admin: SandboxUser, registered: RegisteredApp
) -> None:
    other = sandbox_account_create(name="Globex", employees=1, seed=4)
    elsewhere = Client()
    sandbox_sign_in(elsewhere, SandboxUserFactory(account=other))
    tokens = oauth_tokens(elsewhere, registered, scope=SCOPE)
    grant = SandboxOAuthGrant.objects.get()

    assert "Acme Integrations" not in client.get(LIST).content.decode()
    assert client.post(f"{LIST}{grant.pk}/revoke/").status_code == 404
    assert api_status(client, tokens["access_token"]) == 200


def test_it_keeps_employees_out(client: Client, account: SandboxAccount) -> None:
    sandbox_sign_in(client, SandboxUserFactory(account=account, role=SandboxUserRole.EMPLOYEE))

    page = client.get(LIST)

    assert page.status_code == 403
    assert "Only administrators can manage connected apps" in page.content.decode()

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
    REDIRECT_URI,
    RegisteredApp,
    api_status,
    oauth_app_registered,
    oauth_code_approved,
    sandbox_sign_in,
    token_post,
)

pytestmark = pytest.mark.django_db

LIST = "/sandbox-hr/settings/connected-apps/"


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Initech AG", employees=1, seed=3)


@pytest.fixture
def admin(client: Client, account: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(account=account, email="peter@initech.example")
    sandbox_sign_in(client, user)
    return user


def _connected(client: Client, registered: RegisteredApp) -> dict[str, str]:
    code = oauth_code_approved(client, registered, scope=f"{PERM_EMPLOYEES} {PERM_GROUPS}")
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    tokens: dict[str, str] = token_post(client, registered, **exchange).json()
    return tokens


def test_it_lists_the_app_with_its_scopes_who_allowed_it_and_last_use(
    client: Client, admin: SandboxUser
) -> None:
    tokens = _connected(client, oauth_app_registered())
    assert "Never" in client.get(LIST).content.decode()
    assert api_status(client, tokens["access_token"]) == 200

    page = client.get(LIST).content.decode()

    assert "Acme Integrations" in page
    assert "See employees: names, work email" in page
    assert "See departments, teams and cost centers" in page
    assert "by peter@initech.example" in page
    assert "Never" not in page


def test_it_revokes_after_confirmation_and_every_token_stops_at_once(
    client: Client, admin: SandboxUser
) -> None:
    registered = oauth_app_registered()
    first = _connected(client, registered)
    second = token_post(
        client, registered, grant_type="refresh_token", refresh_token=first["refresh_token"]
    ).json()
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
    refreshed = token_post(
        client, registered, grant_type="refresh_token", refresh_token=second["refresh_token"]
    )
    assert refreshed.json()["error"] == "invalid_grant"
    after = client.get(LIST).content.decode()
    assert "Disconnected “Acme Integrations”" in after
    assert f'href="{url}"' not in after
    grant.refresh_from_db()
    assert grant.revoked_by == admin
    client.post(url)
    assert "was already disconnected; nothing changed" in client.get(LIST).content.decode()


def test_it_hides_other_companies_connections(client: Client, admin: SandboxUser) -> None:
    other = sandbox_account_create(name="Globex", employees=1, seed=4)
    elsewhere = Client()
    sandbox_sign_in(elsewhere, SandboxUserFactory(account=other))
    tokens = _connected(elsewhere, oauth_app_registered())
    grant = SandboxOAuthGrant.objects.get()

    assert "Acme Integrations" not in client.get(LIST).content.decode()
    assert client.post(f"{LIST}{grant.pk}/revoke/").status_code == 404
    assert api_status(client, tokens["access_token"]) == 200


def test_it_keeps_employees_out(client: Client, account: SandboxAccount) -> None:
    sandbox_sign_in(client, SandboxUserFactory(account=account, role=SandboxUserRole.EMPLOYEE))

    page = client.get(LIST)

    assert page.status_code == 403
    assert "Only administrators can manage connected apps" in page.content.decode()

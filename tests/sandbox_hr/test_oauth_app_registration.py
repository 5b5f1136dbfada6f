"""Registering an app: by `manage.py sandbox oauth-app create`, by an administrator in Settings →
Developer apps, or by the demo seed with fixed credentials on every start. The client secret is
shown once (RFC 6749 §2.3.1 client password; §3.1.2 redirection endpoints are absolute URIs
without a fragment)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS
from sandbox_hr.models import SANDBOX_PERMISSIONS, SandboxAccount, SandboxOAuthApp
from sandbox_hr.services import OAuthAppInvalidError, sandbox_oauth_app_register
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db


def test_it_registers_an_app_from_the_command_and_prints_its_credentials_once() -> None:
    out = StringIO()
    call_command(
        "sandbox",
        "oauth-app",
        "create",
        "--name",
        "Kombo",
        "--redirect-uri",
        "https://kombo.example/oauth/callback",
        "--redirect-uri",
        "http://127.0.0.1:8000/oauth/callback",
        stdout=out,
        stderr=StringIO(),
    )

    printed = dict(line.split("=", 1) for line in out.getvalue().split())
    app = SandboxOAuthApp.objects.get(client_id=printed["client_id"])
    assert app.name == "Kombo"
    assert app.redirect_uris == [
        "https://kombo.example/oauth/callback",
        "http://127.0.0.1:8000/oauth/callback",
    ]
    assert app.allowed_scopes == list(SANDBOX_PERMISSIONS)
    assert app.check_client_secret(printed["client_secret"])
    assert printed["client_secret"] not in app.client_secret_hash


@pytest.mark.parametrize(
    "uri", ["https://kombo.example/cb#frag", "/oauth/callback", "javascript:alert(1)"]
)
def test_it_refuses_a_redirect_uri_that_is_not_an_absolute_http_address(uri: str) -> None:
    with pytest.raises(CommandError, match="is not a redirect URI"):
        call_command(
            "sandbox",
            "oauth-app",
            "create",
            "--name",
            "K",
            "--redirect-uri",
            uri,
            stdout=StringIO(),
        )
    assert not SandboxOAuthApp.objects.exists()


def test_it_registers_the_same_app_again_with_fixed_credentials_updating_it() -> None:
    first, secret = sandbox_oauth_app_register(
        name="Kombo demo",
        redirect_uris=["http://127.0.0.1:8000/a"],
        client_id="kombo-demo-app",
        client_secret="demo-secret-that-is-fixed",
    )
    again, secret_again = sandbox_oauth_app_register(
        name="Kombo demo",
        redirect_uris=["http://127.0.0.1:9000/b"],
        client_id="kombo-demo-app",
        client_secret="demo-secret-that-is-fixed",
    )

    assert again.pk == first.pk
    assert SandboxOAuthApp.objects.count() == 1
    assert secret == secret_again == "demo-secret-that-is-fixed"
    again.refresh_from_db()
    assert again.redirect_uris == ["http://127.0.0.1:9000/b"]
    assert again.check_client_secret("demo-secret-that-is-fixed")
    with pytest.raises(OAuthAppInvalidError):
        sandbox_oauth_app_register(name="x", redirect_uris=["https://a.example"], client_id="a b")


def test_it_lets_an_administrator_register_an_app_in_settings(
    client: Client, account: SandboxAccount
) -> None:
    sandbox_sign_in(client, SandboxUserFactory(account=account, email="dev@initech.example"))
    assert "Developer apps" in client.get("/sandbox-hr/settings/").content.decode()

    created = client.post(
        "/sandbox-hr/settings/developer-apps/new/",
        {
            "name": "Initech sync",
            "redirect_uris": "https://initech.example/cb\n\nhttps://initech.example/cb2\n",
            "scopes": [PERM_GROUPS, PERM_EMPLOYEES],
        },
    )

    assert created.status_code == 200
    app = SandboxOAuthApp.objects.get()
    page = created.content.decode()
    assert app.client_id in page
    assert "it will not be shown again" in page
    assert app.redirect_uris == ["https://initech.example/cb", "https://initech.example/cb2"]
    assert app.allowed_scopes == [PERM_EMPLOYEES, PERM_GROUPS]
    assert app.registered_by_account == account
    listed = client.get("/sandbox-hr/settings/developer-apps/").content.decode()
    assert app.client_id in listed
    assert "by dev@initech.example" in listed


@pytest.mark.usefixtures("admin")
def test_it_shows_a_bad_redirect_uri_next_to_the_field(client: Client) -> None:

    response = client.post(
        "/sandbox-hr/settings/developer-apps/new/",
        {"name": "X", "redirect_uris": "ftp://initech.example/cb", "scopes": [PERM_EMPLOYEES]},
    )

    assert response.status_code == 400
    assert "is not a redirect URI" in response.content.decode()
    assert not SandboxOAuthApp.objects.exists()

"""The hosted relink form a customer opens from a reconnection link, against the sandbox HR
over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from core.models import Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS
from tests.support.relink import broken_integration, link_token

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")


def _link(setup: Any, language: str = "en") -> str:
    _, url = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.MAGIC_LINK,
        language=language,
        actor=OPERATOR,
    )
    return f"/connect/{link_token(url)}"


def test_it_shows_the_tool_the_requested_data_the_guide_and_the_fields(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment, organization_name="<b>Acme</b> & Co")
    page = Client().get(_link(setup))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Reconnect Sandbox HR" in html
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co" in html
    assert "<b>Acme</b>" not in html
    assert "First name" in html
    assert "Open Settings → API keys" in html
    # The guide says "tick the permissions listed above": they are listed by Sandbox HR's names.
    assert "Permissions to grant in Sandbox HR" in html
    assert '<code class="permission">employees.personal:read</code>' in html
    assert 'name="api_key" type="password"' in html
    assert page["X-Frame-Options"] == "DENY"


def test_it_speaks_the_links_language(sandbox_hr: None, environment: Environment) -> None:
    setup = broken_integration(environment)

    html = Client().get(_link(setup, language="de")).content.decode()

    # Sandbox HR's screens are English: the German guide quotes them as the customer sees them.
    assert "Öffnen Sie „Settings“ → „API keys“" in html
    assert '<html lang="de">' in html
    assert "Sandbox HR erneut verbinden" in html
    assert "Vorname" in html
    assert "Diese Daten werden gelesen" in html

    refused = Client().post(_link(setup, language="fr"), {"api_key": "sbx_wrong"})
    assert "Sandbox HR n’a pas accepté ces identifiants" in refused.content.decode()


def test_it_shows_the_form_again_for_a_wrong_key_without_echoing_it(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    url = _link(setup)

    response = Client().post(url, {"api_key": "sbx_definitely_wrong"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "did not accept these credentials" in html
    assert "sbx_definitely_wrong" not in html
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID


def test_it_reconnects_with_a_working_key_and_the_link_is_then_spent(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    url = _link(setup)
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)
    client = Client()

    done = client.post(url, {"api_key": raw}, HTTP_USER_AGENT="Firefox/140")

    assert done.status_code == 200
    assert "You're done" in done.content.decode()
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE
    version = setup.integration.credential_versions.first()
    assert version is not None
    assert version.user_agent == "Firefox/140"
    again = client.get(url)
    assert again.status_code == 404
    assert "This link can't be used" in again.content.decode()


def test_it_explains_a_spent_link_in_the_browsers_language_not_the_links(
    sandbox_hr: None, environment: Environment
) -> None:
    """The page of a spent link must not tell it from an unknown token, which has no language:
    both speak the language the browser asks for (see test_link_unusable_page_uniform)."""
    setup = broken_integration(environment)
    url = _link(setup, language="it")
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)
    Client().post(url, {"api_key": raw})

    again = Client().get(url, HTTP_ACCEPT_LANGUAGE="es")

    assert again.status_code == 404
    assert "Este enlace no se puede usar" in again.content.decode()
    assert "Questo link" not in again.content.decode()


def test_it_shows_the_same_page_for_unknown_tokens(db: None) -> None:
    response = Client().get("/connect/not-a-real-token")

    assert response.status_code == 404
    assert "This link can't be used" in response.content.decode()


@override_settings(CONNECT_SUBMISSIONS_PER_LINK=3)
def test_it_slows_down_guessing_through_one_link(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    url = _link(setup, language="es")
    client = Client()

    statuses = [client.post(url, {"api_key": f"sbx_guess_{n}"}).status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "Demasiados intentos" in client.post(url, {"api_key": "x"}).content.decode()

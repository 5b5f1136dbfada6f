"""The OAuth apps page says where each tool's app comes from: saved on the page, read from the
`OAUTH_<TOOL>_CLIENT_ID` environment variable, or nowhere yet (then no integration of that
tool can be connected).

RFC 6749 §2.2/§2.3: the vendor identifies the operator's app by its client ID and
authenticates it with its secret; without both, no authorization code can be exchanged.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core.models import Environment
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.sandbox import SandboxOAuthTool

TOOL = SandboxOAuthTool.id

pytestmark = pytest.mark.django_db


def _card(client: Client) -> str:
    page = client.get(reverse("dashboard:oauth_app_list")).content.decode()
    start = page.index(f'id="oauth-app-{TOOL}"')
    return page[start : page.index("</section>", start)]


@override_settings(OAUTH_CLIENTS={})
def test_it_says_a_tool_without_an_app_cannot_be_connected(
    operator_client: Client, environment: Environment
) -> None:
    card = _card(operator_client)

    assert "Not configured" in card
    assert f"An integration of {SandboxOAuthTool.label} cannot be connected until it is." in card


@override_settings(OAUTH_CLIENTS={TOOL: ("env-client-id", "env-secret")})
def test_it_shows_an_app_from_the_environment_variable(
    operator_client: Client, environment: Environment
) -> None:
    card = _card(operator_client)

    assert "from the environment variable" in card
    assert "OAUTH_SANDBOX_OAUTH_CLIENT_ID" in card
    assert "env-client-id" in card
    assert "Not configured" not in card


@override_settings(OAUTH_CLIENTS={TOOL: ("env-client-id", "env-secret")})
def test_it_shows_a_saved_app_as_used_instead_of_the_environment_variable(
    operator_client: Client, environment: Environment
) -> None:
    oauth_app_save(
        environment_id=environment.pk, tool_id=TOOL, client_id="saved-id", client_secret="s"
    )

    card = _card(operator_client)

    assert "Saved here" in card
    assert "saved-id" in card
    assert "env-client-id" not in card
    assert "used instead of the environment variable" in card

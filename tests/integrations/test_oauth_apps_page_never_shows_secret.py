"""The OAuth apps page never shows a client secret: not the one saved there, not one from the
environment, not one just typed into a refused form.

RFC 6749 §2.3.1: the client secret is a credential; DESIGN.md: secrets never appear on pages.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core.models import Environment
from integrations.models import OAuthApp
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.sandbox import SandboxOAuthTool

SECRET = "oauth-secret-CANARY-9021"
TOOL = SandboxOAuthTool.id

pytestmark = pytest.mark.django_db


def _page(client: Client) -> str:
    response = client.get(reverse("dashboard:oauth_app_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_never_shows_a_saved_secret(operator_client: Client, environment: Environment) -> None:
    app = oauth_app_save(
        environment_id=environment.pk,
        tool_id=TOOL,
        client_id="kombo-site-app",
        client_secret=SECRET,
    )

    page = _page(operator_client)

    assert "kombo-site-app" in page
    assert SECRET not in page
    assert app.client_secret_encrypted not in page


@override_settings(OAUTH_CLIENTS={TOOL: ("env-app", SECRET)})
def test_it_never_shows_a_secret_from_the_environment(
    operator_client: Client, environment: Environment
) -> None:
    page = _page(operator_client)

    assert "env-app" in page
    assert SECRET not in page


def test_it_never_echoes_a_secret_typed_into_a_refused_form(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        reverse("dashboard:oauth_app_list"),
        {"tool": TOOL, f"{TOOL}-client_id": "", f"{TOOL}-client_secret": SECRET},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert SECRET not in response.content.decode()
    assert not OAuthApp.objects.exists()

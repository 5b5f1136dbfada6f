"""The client secret on the OAuth apps page is write-only: left empty, the stored one is kept;
a new app cannot be saved without one.

RFC 6749 §2.3.1: a confidential client authenticates with its secret, so an app without one
cannot exchange a code.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment
from integrations.models import OAuthApp
from integrations.selectors.oauth_apps import oauth_client_for
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.sandbox import SandboxOAuthTool

TOOL = SandboxOAuthTool.id

pytestmark = pytest.mark.django_db


def _save(client: Client, client_id: str, client_secret: str) -> int:
    response = client.post(
        reverse("dashboard:oauth_app_list"),
        {"tool": TOOL, f"{TOOL}-client_id": client_id, f"{TOOL}-client_secret": client_secret},
    )
    return response.status_code


def test_it_keeps_the_stored_secret_when_left_empty(
    operator_client: Client, environment: Environment
) -> None:
    oauth_app_save(
        environment_id=environment.pk, tool_id=TOOL, client_id="old-id", client_secret="kept"
    )

    assert _save(operator_client, "new-id", "") == 302

    client = oauth_client_for(environment_id=environment.pk, tool_id=TOOL)
    assert (client.client_id, client.client_secret) == ("new-id", "kept")


def test_it_replaces_the_secret_when_one_is_typed(
    operator_client: Client, environment: Environment
) -> None:
    oauth_app_save(
        environment_id=environment.pk, tool_id=TOOL, client_id="app", client_secret="old"
    )

    assert _save(operator_client, "app", "rotated") == 302

    assert oauth_client_for(environment_id=environment.pk, tool_id=TOOL).client_secret == "rotated"


def test_it_refuses_a_new_app_without_a_secret(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        reverse("dashboard:oauth_app_list"),
        {"tool": TOOL, f"{TOOL}-client_id": "app", f"{TOOL}-client_secret": ""},
    )

    assert response.status_code == 400
    assert "A new OAuth app needs its client secret." in response.content.decode()
    assert not OAuthApp.objects.exists()


def test_it_says_an_empty_secret_keeps_the_stored_one(
    operator_client: Client, environment: Environment
) -> None:
    oauth_app_save(environment_id=environment.pk, tool_id=TOOL, client_id="app", client_secret="s")

    page = operator_client.get(reverse("dashboard:oauth_app_list")).content.decode()

    assert "Leave empty to keep the stored secret." in page

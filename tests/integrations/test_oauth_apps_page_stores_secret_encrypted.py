"""Saving an OAuth app on the dashboard stores its client secret encrypted.

RFC 6749 §2.3.1: the client secret is the client's password, a credential; DESIGN.md: secrets
are stored encrypted, never in plain text.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import Environment
from integrations.selectors.oauth_apps import oauth_client_for
from integrations.tools.sandbox import SandboxOAuthTool

SECRET = "oauth-secret-CANARY-4417"
TOOL = SandboxOAuthTool.id

pytestmark = pytest.mark.django_db


def test_it_stores_the_client_secret_encrypted(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        reverse("dashboard:oauth_app_list") + f"?environment={environment.name}",
        {"tool": TOOL, f"{TOOL}-client_id": "kombo-site-app", f"{TOOL}-client_secret": SECRET},
    )

    assert response.status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_id, client_secret_encrypted FROM integrations_oauthapp "
            "WHERE environment_id = %s AND tool = %s",
            [environment.pk, TOOL],
        )
        client_id, stored = cursor.fetchone()
    assert client_id == "kombo-site-app"
    assert SECRET not in stored
    assert "client_secret" not in stored
    client = oauth_client_for(environment_id=environment.pk, tool_id=TOOL)
    assert (client.client_id, client.client_secret) == ("kombo-site-app", SECRET)


def test_it_saves_the_app_for_the_chosen_environment_only(
    operator_client: Client, environment: Environment, other_environment: Environment
) -> None:
    operator_client.post(
        reverse("dashboard:oauth_app_list") + f"?environment={other_environment.name}",
        {"tool": TOOL, f"{TOOL}-client_id": "sandbox-app", f"{TOOL}-client_secret": SECRET},
    )

    assert oauth_client_for(environment_id=other_environment.pk, tool_id=TOOL).client_id == (
        "sandbox-app"
    )
    page = operator_client.get(
        reverse("dashboard:oauth_app_list") + f"?environment={environment.name}"
    ).content.decode()
    assert "sandbox-app" not in page
    assert "Not configured" in page

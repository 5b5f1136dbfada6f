"""The Django admin saves OAuth apps through the same rule as the dashboard, and shows no
OAuth secret: not an app's client secret, not a flow's state or PKCE verifier.

RFC 6749 §2.3.1 (the client secret is a credential), §10.12 (`state` binds the callback to
the flow), RFC 7636 §4.1 (the code verifier is kept by the client only); Django's admin
documentation: `ModelAdmin.save_model` is where the admin's save can be replaced.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.crypto import encrypt_json
from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkType, OAuthApp, OAuthFlow
from integrations.selectors.oauth_apps import oauth_client_for
from integrations.services import relink_link_create
from integrations.services.links import token_hash
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.sandbox import SandboxOAuthTool
from tests.support.factories import IntegrationFactory

TOOL = SandboxOAuthTool.id
SECRET = "oauth-secret-CANARY-admin-3308"

pytestmark = pytest.mark.django_db


def _add_url() -> str:
    return reverse("admin:integrations_oauthapp_add")


def _change_url(app: OAuthApp) -> str:
    return reverse("admin:integrations_oauthapp_change", args=[app.pk])


def test_it_adds_an_app_with_its_secret_encrypted(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        _add_url(),
        {
            "environment": environment.pk,
            "tool": TOOL,
            "client_id": "admin-app",
            "client_secret": SECRET,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    app = OAuthApp.objects.get(environment=environment, tool=TOOL)
    assert SECRET not in app.client_secret_encrypted
    assert oauth_client_for(environment_id=environment.pk, tool_id=TOOL).client_secret == SECRET


def test_it_refuses_a_new_app_without_a_secret(
    operator_client: Client, environment: Environment
) -> None:
    response = operator_client.post(
        _add_url(), {"environment": environment.pk, "tool": TOOL, "client_id": "admin-app"}
    )

    assert response.status_code == 200
    assert "A new OAuth app needs its client secret." in response.content.decode()
    assert not OAuthApp.objects.exists()


def test_it_refuses_a_second_app_for_the_same_tool_and_environment(
    operator_client: Client, environment: Environment
) -> None:
    oauth_app_save(environment_id=environment.pk, tool_id=TOOL, client_id="one", client_secret="s")

    response = operator_client.post(
        _add_url(),
        {"environment": environment.pk, "tool": TOOL, "client_id": "two", "client_secret": "t"},
    )

    assert response.status_code == 200
    assert OAuthApp.objects.get().client_id == "one"


def test_it_keeps_the_secret_when_left_empty_and_changes_it_when_typed(
    operator_client: Client, environment: Environment
) -> None:
    app = oauth_app_save(
        environment_id=environment.pk, tool_id=TOOL, client_id="old", client_secret=SECRET
    )

    kept = operator_client.post(_change_url(app), {"client_id": "renamed", "client_secret": ""})

    assert kept.status_code == 302
    client = oauth_client_for(environment_id=environment.pk, tool_id=TOOL)
    assert (client.client_id, client.client_secret) == ("renamed", SECRET)

    changed = operator_client.post(
        _change_url(app), {"client_id": "renamed", "client_secret": "rotated"}
    )

    assert changed.status_code == 302
    assert oauth_client_for(environment_id=environment.pk, tool_id=TOOL).client_secret == "rotated"
    assert OAuthApp.objects.count() == 1


def test_it_never_shows_the_secret_of_an_app(
    operator_client: Client, environment: Environment
) -> None:
    app = oauth_app_save(
        environment_id=environment.pk, tool_id=TOOL, client_id="shown-id", client_secret=SECRET
    )

    for url in (reverse("admin:integrations_oauthapp_changelist"), _change_url(app)):
        html = operator_client.get(url).content.decode()
        assert "shown-id" in html, url
        assert SECRET not in html, url
        assert app.client_secret_encrypted not in html, url


def test_it_shows_flows_without_their_state_or_verifier(
    operator_client: Client, environment: Environment
) -> None:
    link, _ = relink_link_create(
        integration=IntegrationFactory(environment=environment),
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=Actor.system("tests"),
    )
    flow = OAuthFlow.objects.create(
        link=link,
        tool=TOOL,
        state_hash=token_hash("state-CANARY"),
        code_verifier_encrypted=encrypt_json({"code_verifier": "verifier-CANARY"}),
        redirect_uri="https://kombo.example/connect/oauth/callback",
        expires_at=timezone.now() + timedelta(minutes=20),
    )
    urls = (
        reverse("admin:integrations_oauthflow_changelist"),
        reverse("admin:integrations_oauthflow_change", args=[flow.pk]),
    )

    for url in urls:
        response = operator_client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert link.pk in html, url
        for secret in (flow.state_hash, flow.code_verifier_encrypted, "verifier-CANARY"):
            assert secret not in html, url
    assert operator_client.get(reverse("admin:integrations_oauthflow_add")).status_code == 403

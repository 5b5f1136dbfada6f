"""OAuth tools in tests: the operator's app registered at a fake vendor, an integration holding
a real grant of it, and a customer's trip through a link's consent flow with a test client."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.test import Client

from core.crypto import decrypt_json, encrypt_json
from core.models import Environment
from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    CredentialVersion,
    Integration,
    LinkType,
    ScopeConfig,
)
from integrations.services import connect_link_create, integration_create
from integrations.services.oauth_flow import oauth_redirect_uri
from integrations.services.oauth_tokens import oauth_app_save
from tests.support.factories import ScopeConfigFactory


class OAuthFake(Protocol):
    redirect_uris: list[str]

    def consent(
        self, authorize_url: str, *, company: str | None = None, allow: bool = True
    ) -> str: ...

    def expire_access_tokens(self) -> None: ...


def oauth_app_register(
    fake: OAuthFake, *, environment: Environment, tool_id: str, client_id: str, client_secret: str
) -> None:
    """The operator's app at the vendor: saved for the environment, with our one redirect URI
    registered at the vendor exactly."""
    oauth_app_save(
        environment_id=environment.pk,
        tool_id=tool_id,
        client_id=client_id,
        client_secret=client_secret,
    )
    fake.redirect_uris = [oauth_redirect_uri()]


def oauth_integration(
    *,
    environment: Environment,
    tool_id: str,
    token: Mapping[str, str],
    remote_account_id: str,
    scope_config: ScopeConfig,
) -> Integration:
    """An integration a customer connected earlier: it holds the tokens of a real grant."""
    return integration_create(
        environment=environment,
        tool_id=tool_id,
        organization_name="Initech",
        creator_email="it@initech.example",
        origin_id="initech",
        scope_config=scope_config,
        credentials=dict(token),
        remote_account_id=remote_account_id,
        actor=Actor.system("tests"),
        source=CredentialSource.CONNECT_LINK,
    )


def link_path(url: str) -> str:
    return urlsplit(url).path


def vendor_trip(
    client: Client,
    link_url: str,
    consent: Callable[[str], str],
    *,
    form: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The customer clicks "Continue to <Vendor>", answers the vendor's consent page
    (`consent` gets the authorization URL and returns where the vendor redirects), and the
    browser follows the redirect back to us. The response is our callback's page."""
    started = client.post(link_path(link_url), form or {})
    assert started.status_code == 303, started.content[:500]
    back = urlsplit(consent(started["Location"]))
    response: HttpResponse = client.get(f"{back.path}?{back.query}")
    return response


def oauth_connected(
    fake: OAuthFake, *, environment: Environment, tool_id: str, company: str | None = None
) -> Integration:
    """A new customer connects the tool through a magic link and the vendor's consent page,
    as in real life; returns the integration that made."""
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Acme",
        email="it@acme.example",
        origin_id="acme",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
        tool_id=tool_id,
    )
    done = vendor_trip(Client(), url, lambda authorize: fake.consent(authorize, company=company))
    assert b"You're done" in done.content, done.content.decode()[-2000:]
    return Integration.objects.get(tool=tool_id, deleted_at__isnull=True)


def token_made_due(integration: Integration, fake: OAuthFake | None = None) -> dict[str, str]:
    """Later: the stored token (and the fake vendor, when given) say the access token is
    over. Returns the token as it was stored before."""
    if fake is not None:
        fake.expire_access_tokens()
    version = CredentialVersion.objects.filter(integration=integration).latest("created_at")
    token = decrypt_json(version.payload_encrypted)
    version.payload_encrypted = encrypt_json({**token, "expires_at": str(int(time.time()) - 1)})
    version.save(update_fields=["payload_encrypted"])
    return token

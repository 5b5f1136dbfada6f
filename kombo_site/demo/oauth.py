"""The demo's OAuth customer: Sandbox HR as an OAuth provider, the operator's app registered
there and saved here, and one customer whose administrator allowed it. Revoking the app in
Sandbox HR (Settings → Connected apps) breaks it the way OAuth integrations break."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from core.models import Environment
from integrations.models import CredentialSource, ScopeConfig
from integrations.selectors.oauth_apps import OAuthAppMissingError, oauth_client_for
from integrations.services import integration_create, integration_schedule_next
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.oauth import OAuthClient, token_normalized
from integrations.tools.sandbox import SandboxOAuthTool
from kombo_site.demo.customers import ALL_PERMISSIONS, DEMO_ACTOR, DEMO_CUSTOMERS
from sandbox_hr.models import SandboxOAuthApp
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_oauth_app_register,
    sandbox_oauth_grant_seed,
)

DEMO_OAUTH_APP_NAME = "kombo-site (demo)"
DEMO_OAUTH_CUSTOMER = "Wayne Enterprises"
# The scope config the other demo customers use.
DEMO_SCOPE_CONFIG = "Default"


def demo_oauth_app_ensure(*, environment_id: str, base_url: str) -> SandboxOAuthApp:
    """The operator's demo app at Sandbox HR, registered with the redirect URI of this run
    (`make run` may serve another address than last time), and saved here once."""
    try:
        client: OAuthClient | None = oauth_client_for(
            environment_id=environment_id, tool_id=SandboxOAuthTool.id
        )
    except OAuthAppMissingError:
        client = None
    app, client_secret = sandbox_oauth_app_register(
        name=DEMO_OAUTH_APP_NAME,
        redirect_uris=[base_url + reverse("connect:oauth_callback")],
        client_id=client.client_id if client else None,
        client_secret=client.client_secret if client else None,
    )
    if client is None:
        oauth_app_save(
            environment_id=environment_id,
            tool_id=SandboxOAuthTool.id,
            client_id=app.client_id,
            client_secret=client_secret,
        )
    return app


def demo_oauth_customer_connect(*, environment_id: str, base_url: str, now: datetime) -> str:
    """The customer whose administrator allowed the demo app, and its integration; returns
    its id. Its first sync runs when the worker starts, over HTTP like any other."""
    environment = Environment.objects.get(pk=environment_id)
    scope = ScopeConfig.objects.get(environment=environment, name=DEMO_SCOPE_CONFIG)
    index = len(DEMO_CUSTOMERS)
    app = demo_oauth_app_ensure(environment_id=environment_id, base_url=base_url)
    account = sandbox_account_create(name=DEMO_OAUTH_CUSTOMER, employees=30, seed=index)
    token = sandbox_oauth_grant_seed(app=app, account=account, scopes=ALL_PERMISSIONS)
    integration = integration_create(
        environment=environment,
        tool_id=SandboxOAuthTool.id,
        organization_name=DEMO_OAUTH_CUSTOMER,
        creator_email="people@wayne.example",
        origin_id=f"customer-{index + 1}",
        scope_config=scope,
        credentials=token_normalized(token, previous_refresh_token=None),
        remote_account_id=account.pk,
        actor=DEMO_ACTOR,
        source=CredentialSource.SEED,
    )
    integration_schedule_next(integration_id=integration.pk, at=now)
    return integration.pk

"""The relink story's starting point, an integration broken the way customers' integrations
break, and what a test needs to repair it through a link and to see that a refused attempt
changed nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import (
    CredentialVersion,
    Integration,
    IntegrationStatus,
    LinkType,
    ReconnectionLink,
)
from integrations.selectors.integrations import credentials_current
from integrations.services import integration_record_auth_result, relink_link_create
from integrations.tools.base import AuthResult
from sandbox_hr.services import sandbox_api_key_create, sandbox_api_key_revoke
from tests.support.factories import SandboxSetup, sandbox_integration

OPERATOR = Actor.system("tests")


def relink_url(integration: Integration, link_type: LinkType = LinkType.MAGIC_LINK) -> str:
    """A new reconnection link to `integration`, made by an operator; returns its URL."""
    _, url = relink_link_create(
        integration=integration, link_type=link_type, language="en", actor=OPERATOR
    )
    return url


def broken_integration(environment: Environment, **fields: Any) -> SandboxSetup:
    """A sandbox integration whose key was revoked and that went INVALID after 3 days."""
    setup = sandbox_integration(environment=environment, **fields)
    sandbox_api_key_revoke(key=setup.key)
    failure = AuthResult.invalid("Sandbox HR rejected the API key (revoked or unknown).")
    start = timezone.now() - timedelta(days=4)
    for day in range(5):
        integration_record_auth_result(
            integration_id=setup.integration.pk, result=failure, now=start + timedelta(days=day)
        )
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID
    return setup


def new_sandbox_key(setup: SandboxSetup, *permissions: str) -> dict[str, str]:
    """Credentials of a new key of the setup's Sandbox HR account, as a customer enters them."""
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=permissions)
    return {"api_key": raw}


def link_token(url: str) -> str:
    """The token at the end of a link's URL."""
    return url.rsplit("/", 1)[1]


def hosted_form_path(url: str) -> str:
    """The hosted form's path for a link's URL, for a test client to open or post to."""
    return "/connect/" + url.rsplit("/", 1)[1]


def integration_snapshot(integration: Integration) -> tuple[Any, ...]:
    """Everything a submission could change about an integration and its links."""
    integration.refresh_from_db()
    return (
        integration.status,
        integration.scope_config_id,
        integration.opted_out,
        integration.consecutive_auth_failures,
        integration.auth_failing_since,
        integration.sync_paused_reason,
        integration.next_sync_at,
        credentials_current(integration=integration),
        CredentialVersion.objects.filter(integration=integration).count(),
        tuple(
            ReconnectionLink.objects.filter(integration=integration)
            .order_by("pk")
            .values_list("pk", "used_at", "revoked_at")
        ),
    )

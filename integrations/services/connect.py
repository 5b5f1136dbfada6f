"""New connections: a link through which a customer connects a new integration (the tool
fixed or picked), checked live and created in one transaction when it works. A failed check
emits `connection-flow-failed` like a relink's (see `integrations.services.link_completion`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.site_urls import site_url
from integrations.actors import Actor
from integrations.events import connect_flow_failed_emit
from integrations.models import (
    CredentialSource,
    Integration,
    LinkKind,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
)
from integrations.services.health import scheduler_tick_request_on_commit
from integrations.services.integrations import integration_create
from integrations.services.link_completion import (
    LinkOutcome,
    LinkResult,
    flow_failure,
    link_consume,
)
from integrations.services.links import link_built, link_url
from integrations.tools import tool_get


def connect_link_create(
    *,
    environment_id: str,
    organization_name: str,
    email: str,
    origin_id: str | None,
    scope_config: ScopeConfig,
    link_type: LinkType,
    language: str,
    actor: Actor,
    tool_id: str | None = None,
) -> tuple[ReconnectionLink, str]:
    """A link through which a customer connects a new integration (tool fixed or picked)."""
    if tool_id is not None:
        tool_get(tool_id)
    scope_config.require_environment(environment_id)
    link, token = link_built(
        environment_id=environment_id,
        kind=LinkKind.CONNECT,
        link_type=link_type,
        language=language,
        actor=actor,
        now=timezone.now(),
        target_scope_config=scope_config,
        end_user_organization_name=organization_name,
        end_user_email=email,
        end_user_origin_id=origin_id,
        tool=tool_id,
    )
    link.save(force_insert=True)
    return link, link_url(token)


def connect_link_complete(
    *,
    link: ReconnectionLink,
    tool_id: str,
    credentials: Mapping[str, str],
    opted_out: Iterable[str] = (),
    ip_address: str | None = None,
    user_agent: str = "",
) -> LinkResult:
    """Check the credentials live, then create the integration (one transaction, link consumed
    with a compare-and-set); `integration-created` is emitted and the first FULL sync asked."""
    now = timezone.now()
    if (
        link.kind != LinkKind.CONNECT
        or not link.is_usable_at(now)
        or link.target_scope_config is None
    ):
        return LinkResult(LinkOutcome.LINK_UNUSABLE, _("This link can no longer be used."))
    tool = tool_get(link.tool or tool_id)
    result = tool.check_auth(credentials)
    # A new connection has no account to match yet.
    failure = flow_failure(tool, result, scope=link.target_scope_config)
    if failure is not None:
        with transaction.atomic():
            connect_flow_failed_emit(
                link=link, tool_id=tool.id, log_url=site_url("dashboard:integration_list")
            )
        return failure
    with transaction.atomic():
        consumed, activation_token = link_consume(link, now)
        if not consumed:
            return LinkResult(LinkOutcome.LINK_UNUSABLE, _("This link has already been used."))
        integration = integration_create(
            environment=link.environment,
            tool_id=tool.id,
            organization_name=link.end_user_organization_name,
            creator_email=link.end_user_email,
            origin_id=link.end_user_origin_id,
            scope_config=link.target_scope_config,
            credentials=credentials,
            remote_account_id=result.remote_account_id,
            actor=Actor.customer(f"customer via link {link.pk}"),
            source=CredentialSource.CONNECT_LINK,
            link_id=link.pk,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        Integration.objects.filter(pk=integration.pk).update(
            opted_out=sorted(set(opted_out)), last_auth_ok_at=now, full_sync_requested_at=now
        )
        ReconnectionLink.objects.filter(pk=link.pk).update(integration=integration)
        scheduler_tick_request_on_commit()
    return LinkResult(LinkOutcome.COMPLETED, activation_token=activation_token)

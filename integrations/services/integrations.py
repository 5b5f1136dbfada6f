"""Integrations: creation, credentials, enable/disable, deletion, and their audit rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.crypto import encrypt_json, reencrypt
from core.ids import new_integration_id
from core.models import Environment
from core.row_insert import row_insert
from integrations.actors import Actor
from integrations.events import (
    integration_created_emit,
    integration_deleted_emit,
    integration_state_changed_emit,
)
from integrations.models import (
    CredentialSource,
    CredentialVersion,
    EventKind,
    Integration,
    IntegrationEvent,
    IntegrationStatus,
    OAuthApp,
    OAuthFlow,
    ReconnectionLink,
    ScopeConfig,
    ScopeSetting,
)
from integrations.read_models import READ_MODELS
from integrations.tools import tool_get


def scope_settings_checked(settings: Any) -> dict[str, Any]:
    """The settings of a scope config, validated: `{model: {"setting", "fields": {...}}}` with
    known read models, their own fields and ENABLED/DISABLED/OPTIONAL values."""
    allowed = {choice.value for choice in ScopeSetting}
    if not isinstance(settings, Mapping):
        raise ValueError("Scope settings must be an object keyed by read model id.")
    checked: dict[str, Any] = {}
    for model_id, entry in settings.items():
        model = READ_MODELS.get(model_id)
        if model is None:
            raise ValueError(f"Unknown read model {model_id!r}.")
        if not isinstance(entry, Mapping) or entry.get("setting") not in allowed:
            raise ValueError(f"{model_id}: 'setting' must be one of {', '.join(sorted(allowed))}.")
        fields = entry.get("fields") or {}
        if not isinstance(fields, Mapping):
            raise ValueError(f"{model_id}: 'fields' must be an object.")
        for field_id, value in fields.items():
            if field_id not in model.fields:
                raise ValueError(f"{model_id}: unknown field {field_id!r}.")
            if value not in allowed:
                raise ValueError(
                    f"{model_id}.{field_id}: must be one of {', '.join(sorted(allowed))}."
                )
        checked[model_id] = {"setting": entry["setting"], "fields": dict(fields)}
    _requirements_checked(checked)
    return checked


# How firmly a setting reads a model: a model read needs what it requires read at least as firmly.
_FIRMNESS = {ScopeSetting.DISABLED: 0, ScopeSetting.OPTIONAL: 1, ScopeSetting.ENABLED: 2}


def _requirements_checked(checked: Mapping[str, Any]) -> None:
    def firmness(model_id: str) -> int:
        return _FIRMNESS[ScopeSetting(checked.get(model_id, {}).get("setting", "DISABLED"))]

    for model_id in checked:
        for _, required in READ_MODELS[model_id].requires:
            if firmness(required) < firmness(model_id):
                raise ValueError(
                    f"{model_id} is served with its {READ_MODELS[required].label.lower()}: "
                    f"set {required} to {checked[model_id]['setting']} too."
                )


def scope_config_create(
    *, environment: Environment, name: str, settings: Mapping[str, Any]
) -> ScopeConfig:
    return ScopeConfig.objects.create(
        environment=environment, name=name, settings=scope_settings_checked(settings)
    )


def integration_event_record(
    *,
    integration: Integration,
    kind: EventKind,
    actor: Actor,
    data: Mapping[str, Any] | None = None,
) -> IntegrationEvent:
    event = IntegrationEvent(
        integration=integration,
        kind=kind,
        actor_type=actor.type,
        actor_label=actor.label,
        data=dict(data or {}),
    )
    # Every state change writes one, the hottest API endpoint included: see core.row_insert.
    row_insert(event)
    return event


def credential_version_add(
    *,
    integration: Integration,
    credentials: Mapping[str, str],
    source: CredentialSource,
    actor: Actor,
    set_by_user: Any | None = None,
    link_id: str | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> CredentialVersion:
    with transaction.atomic():
        version = CredentialVersion.objects.create(
            integration=integration,
            payload_encrypted=encrypt_json(dict(credentials)),
            source=source,
            set_by_user=set_by_user,
            link_id=link_id,
            ip_address=ip_address,
            # The client's header, so anything: PostgreSQL text cannot hold NUL bytes.
            user_agent=user_agent.replace("\x00", "")[:500],
        )
        integration_event_record(
            integration=integration,
            kind=EventKind.CREDENTIALS_UPDATED,
            actor=actor,
            # Field names only: the values are secrets.
            data={"source": source.value, "fields": sorted(credentials)},
        )
    return version


def integration_create(
    *,
    environment: Environment,
    tool_id: str,
    organization_name: str,
    scope_config: ScopeConfig,
    credentials: Mapping[str, str],
    actor: Actor,
    source: CredentialSource,
    creator_email: str | None = None,
    origin_id: str | None = None,
    remote_account_id: str = "",
    link_id: str | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Integration:
    """A new integration with its first credentials; `link_id`, `ip_address` and `user_agent`
    record where a customer set them (a connect link), as a relink records them."""
    tool = tool_get(tool_id)
    scope_config.require_environment(environment.pk)
    with transaction.atomic():
        integration = Integration.objects.create(
            id=new_integration_id(tool.id),
            environment=environment,
            tool=tool.id,
            category=tool.category,
            organization_name=organization_name,
            creator_email=creator_email,
            origin_id=origin_id,
            scope_config=scope_config,
            remote_account_id=remote_account_id,
            next_sync_at=timezone.now(),
        )
        integration_event_record(
            integration=integration,
            kind=EventKind.CREATED,
            actor=actor,
            data={"tool": tool.id, "scope_config_id": scope_config.pk},
        )
        credential_version_add(
            integration=integration,
            credentials=credentials,
            source=source,
            actor=actor,
            link_id=link_id,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        integration_created_emit(integration=integration)
    return integration


def integration_set_enabled(*, integration: Integration, enabled: bool, actor: Actor) -> bool:
    """Enable or disable; returns whether anything changed. Credentials and config are kept.

    A disabled integration is INACTIVE and never scheduled; enabling it returns it to ACTIVE,
    or to INVALID when its scheduling is still paused for failing authentication.
    """
    with transaction.atomic():
        locked = Integration.objects.select_for_update().get(pk=integration.pk)
        if locked.enabled == enabled or locked.deleted_at is not None:
            return False
        old_status = locked.status
        locked.enabled = enabled
        if enabled:
            locked.status = (
                IntegrationStatus.INVALID if locked.sync_paused_reason else IntegrationStatus.ACTIVE
            )
            locked.next_sync_at = timezone.now()
        else:
            locked.status = IntegrationStatus.INACTIVE
        locked.save(update_fields=["enabled", "status", "next_sync_at", "updated_at"])
        integration_event_record(
            integration=locked,
            kind=EventKind.ENABLED if enabled else EventKind.DISABLED,
            actor=actor,
        )
        if old_status != locked.status:
            integration_event_record(
                integration=locked,
                kind=EventKind.STATUS_CHANGED,
                actor=actor,
                data={"from": old_status, "to": locked.status},
            )
            integration_state_changed_emit(integration=locked)
    integration.refresh_from_db()
    return True


def links_revoke_open(
    *,
    integration: Integration,
    links: QuerySet[ReconnectionLink],
    actor: Actor,
    now: datetime,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Revoke those of `links` still open (unused, unrevoked, unexpired), with a LINK_REVOKED
    audit row each as a revoke by hand leaves; `data` says why. Inside the caller's
    transaction."""
    open_links = links.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
    link_ids = list(open_links.select_for_update().values_list("pk", flat=True))
    ReconnectionLink.objects.filter(pk__in=link_ids).update(revoked_at=now)
    for link_id in link_ids:
        integration_event_record(
            integration=integration,
            kind=EventKind.LINK_REVOKED,
            actor=actor,
            data={"link_id": link_id, **(data or {})},
        )


def integration_delete(*, integration: Integration, actor: Actor) -> None:
    """Delete for good: credentials are destroyed, open links revoked (a customer opening one
    sees the unusable page, not a form naming the organisation); the row stays as an audit
    tombstone."""
    now = timezone.now()
    with transaction.atomic():
        changed = Integration.objects.filter(pk=integration.pk, deleted_at__isnull=True).update(
            deleted_at=now,
            enabled=False,
            status=IntegrationStatus.INACTIVE,
            next_sync_at=None,
            updated_at=now,
        )
        if not changed:
            return
        CredentialVersion.objects.filter(integration=integration).delete()
        links_revoke_open(
            integration=integration,
            links=ReconnectionLink.objects.filter(integration=integration),
            actor=actor,
            now=now,
            data={"reason": "integration deleted"},
        )
        integration_event_record(integration=integration, kind=EventKind.DELETED, actor=actor)
        integration.refresh_from_db()
        integration_deleted_emit(integration=integration)


def credentials_reencrypt_all(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored credential with the current first key: credential versions,
    OAuth app client secrets and the PKCE verifiers of OAuth flows. One batch per transaction;
    returns how many values were re-encrypted."""
    return (
        _column_reencrypt(CredentialVersion, "payload_encrypted", batch_size=batch_size)
        + _column_reencrypt(OAuthApp, "client_secret_encrypted", batch_size=batch_size)
        + _column_reencrypt(OAuthFlow, "code_verifier_encrypted", batch_size=batch_size)
    )


def _column_reencrypt(model: type[Model], column: str, *, batch_size: int) -> int:
    count = 0
    after: Any = None
    while True:
        with transaction.atomic():
            # A flow without PKCE has no verifier: nothing to re-encrypt.
            rows = model._default_manager.select_for_update().exclude(**{column: ""})
            if after is not None:
                rows = rows.filter(pk__gt=after)
            batch = list(rows.order_by("pk").only("pk", column)[:batch_size])
            if not batch:
                return count
            for row in batch:
                setattr(row, column, reencrypt(getattr(row, column)))
            model._default_manager.bulk_update(batch, [column])
        count += len(batch)
        after = batch[-1].pk

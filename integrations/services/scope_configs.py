"""Scope configs: editing one (which expires the data of the integrations using it) and
migrating integrations to one in bulk with magic links."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from integrations.actors import Actor
from integrations.models import (
    EventKind,
    Integration,
    IntegrationEvent,
    LinkKind,
    LinkLanguage,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
    ScopeConfigMigration,
)
from integrations.read_models import READ_MODELS
from integrations.selectors.scope_configs import scope_config_name_taken
from integrations.services.integrations import scope_settings_checked
from integrations.services.links import (
    link_built,
    link_created_data,
    link_url,
    relink_link_email,
)

logger = logging.getLogger(__name__)

# Every link of a migration is created in one request and shown once on one page.
MIGRATION_BATCH_LIMIT = 5000
EVENT_BATCH_SIZE = 1000
LINK_BATCH_SIZE = 1000


class ScopeConfigMigrationError(ValueError):
    """The migration was refused as a whole; nothing was created."""


def scope_setting_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What reads differently between two settings, e.g. `hris_employees.ssn: ENABLED → DISABLED`.

    Compared as read: a field of a DISABLED model is DISABLED whatever it says, and anything
    missing is DISABLED, so rewriting the same choices differently changes nothing.
    """
    before, after = ScopeConfig(settings=dict(old)), ScopeConfig(settings=dict(new))
    changes = []
    for model in READ_MODELS.values():
        was, becomes = before.model_setting(model.id), after.model_setting(model.id)
        if was != becomes:
            changes.append(f"{model.id}: {was} → {becomes}")
        for field_id in model.fields:
            was = before.field_setting(model.id, field_id)
            becomes = after.field_setting(model.id, field_id)
            if was != becomes:
                changes.append(f"{model.id}.{field_id}: {was} → {becomes}")
    return changes


def scope_config_update(
    *, scope_config: ScopeConfig, name: str, settings: Mapping[str, Any], actor: Actor
) -> int:
    """Rename and/or change the settings; returns how many integrations' data expired.

    When what is read changes, every live integration using the config gets `data_expired_at`
    and a FULL next sync (which fills newly enabled fields and nulls disabled ones), plus an
    audit event. Raises ValueError for invalid settings or a name already taken.
    """
    checked = scope_settings_checked(settings)
    name = name.strip()
    if not name:
        raise ValueError("A scope config needs a name.")
    now = timezone.now()
    try:
        with transaction.atomic():
            # FOR UPDATE also blocks integrations switching to this config meanwhile (their
            # foreign key takes a KEY SHARE lock on this row), so the set updated below is
            # exactly the set that gets events.
            locked = ScopeConfig.objects.select_for_update().get(pk=scope_config.pk)
            if scope_config_name_taken(
                environment=locked.environment_id, name=name, exclude=locked
            ):
                raise ValueError(f"A scope config named “{name}” already exists here.")
            changes = scope_setting_changes(locked.settings, checked)
            locked.name = name
            locked.settings = checked
            locked.save(update_fields=["name", "settings", "updated_at"])
            affected = 0
            if changes:
                users = Integration.objects.alive().filter(scope_config=locked)
                affected = users.update(
                    data_expired_at=now, full_sync_requested_at=now, updated_at=now
                )
                data = {"scope_config_id": locked.pk, "edited": True, "changes": changes}
                IntegrationEvent.objects.bulk_create(
                    (
                        IntegrationEvent(
                            integration_id=integration_id,
                            kind=EventKind.SCOPE_CONFIG_CHANGED,
                            actor_type=actor.type,
                            actor_label=actor.label,
                            data=data,
                        )
                        for integration_id in users.values_list("pk", flat=True).iterator()
                    ),
                    batch_size=EVENT_BATCH_SIZE,
                )
    except IntegrityError:
        # Two renames to the same name at once: the unique constraint decides.
        raise ValueError(f"A scope config named “{name}” already exists here.") from None
    scope_config.refresh_from_db()
    return affected


def scope_config_migration_create(
    *,
    scope_config: ScopeConfig,
    integrations: Iterable[Integration] | QuerySet[Integration],
    selection_label: str,
    language: str,
    send_email: bool,
    actor: Actor,
) -> tuple[ScopeConfigMigration, list[tuple[Integration, str]]]:
    """One MAGIC_LINK per integration that moves it to `scope_config` when completed.

    Returns the migration and each integration with its link's URL: the only time the URLs
    exist in clear. Refuses the whole batch (ScopeConfigMigrationError) when it is empty, too
    large, or holds a deleted integration, one of another environment or one already on the
    config. With `send_email`, each link goes to its integration's creator email after commit.
    """
    if language not in LinkLanguage.values:
        raise ScopeConfigMigrationError(f"Unknown language {language!r}.")
    # One more than the limit tells "too many" apart without loading a huge queryset.
    rows = (
        integrations[: MIGRATION_BATCH_LIMIT + 1]
        if isinstance(integrations, QuerySet)
        else islice(integrations, MIGRATION_BATCH_LIMIT + 1)
    )
    picked = list({integration.pk: integration for integration in rows}.values())
    if not picked:
        raise ScopeConfigMigrationError("Pick at least one integration to migrate.")
    if len(picked) > MIGRATION_BATCH_LIMIT:
        raise ScopeConfigMigrationError(
            f"At most {MIGRATION_BATCH_LIMIT:,} integrations per migration; "
            "narrow the filter and migrate the rest in another batch."
        )
    _refuse_ineligible(scope_config, picked)
    with transaction.atomic():
        migration = ScopeConfigMigration.objects.create(
            environment_id=scope_config.environment_id,
            scope_config=scope_config,
            selection_label=selection_label[:300],
            language=language,
            emailed=send_email,
            created_by_label=actor.label,
        )
        created = _magic_links_bulk_create(migration, picked, actor)
        if send_email:
            emails = [
                (link, url)
                for integration, (link, url) in zip(picked, created, strict=True)
                if integration.creator_email
            ]
            transaction.on_commit(lambda: _links_email_unsafe_in_transaction(emails))
    return migration, [
        (integration, url) for integration, (_, url) in zip(picked, created, strict=True)
    ]


def _magic_links_bulk_create(
    migration: ScopeConfigMigration, integrations: list[Integration], actor: Actor
) -> list[tuple[ReconnectionLink, str]]:
    """What `relink_link_create` does for one link, for thousands in a few statements: one
    link and one LINK_CREATED event per integration (one by one took ~1.3 ms per link on a
    local PostgreSQL, seconds for a full batch)."""
    now = timezone.now()
    built = [
        link_built(
            environment_id=migration.environment_id,
            kind=LinkKind.RELINK,
            link_type=LinkType.MAGIC_LINK,
            language=migration.language,
            actor=actor,
            now=now,
            integration=integration,
            target_scope_config_id=migration.scope_config_id,
            migration=migration,
        )
        for integration in integrations
    ]
    links = ReconnectionLink.objects.bulk_create(
        [link for link, _ in built], batch_size=LINK_BATCH_SIZE
    )
    tokens = [token for _, token in built]
    IntegrationEvent.objects.bulk_create(
        [
            IntegrationEvent(
                integration=link.integration,
                kind=EventKind.LINK_CREATED,
                actor_type=actor.type,
                actor_label=actor.label,
                data=link_created_data(link),
            )
            for link in links
        ],
        batch_size=LINK_BATCH_SIZE,
    )
    return [(link, link_url(token)) for link, token in zip(links, tokens, strict=True)]


def _refuse_ineligible(scope_config: ScopeConfig, picked: list[Integration]) -> None:
    for integration in picked:
        if integration.deleted_at is not None:
            problem = "is deleted"
        elif integration.environment_id != scope_config.environment_id:
            problem = "belongs to another environment"
        elif integration.scope_config_id == scope_config.pk:
            problem = "already uses this scope config"
        else:
            continue
        raise ScopeConfigMigrationError(
            f"{integration.organization_name} ({integration.pk}) {problem}; nothing was created."
        )


def _links_email_unsafe_in_transaction(emails: list[tuple[ReconnectionLink, str]]) -> None:
    """Mail each link; a failing mail server must not hide the links already created, so
    failures are logged and the rest still go out. Runs on commit: a rolled-back link must
    never reach a customer."""
    for link, url in emails:
        try:
            relink_link_email(link=link, url=url)
        except (smtplib.SMTPException, OSError):
            logger.warning("Could not email reconnection link %s", link.pk, exc_info=True)

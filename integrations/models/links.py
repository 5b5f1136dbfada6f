"""Reconnection and connect links, and the scope config migrations that send them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import Case, CharField, Q, Value, When

from core.ids import new_id
from core.models import Environment
from integrations.models.integrations import Integration
from integrations.models.scope_configs import ScopeConfig


class LinkKind(models.TextChoices):
    CONNECT = "CONNECT"
    RELINK = "RELINK"


class LinkType(models.TextChoices):
    EMBEDDED = "EMBEDDED"
    MAGIC_LINK = "MAGIC_LINK"


class LinkLanguage(models.TextChoices):
    EN = "en", "English"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    IT = "it", "Italiano"
    ES = "es", "Español"


class ScopeConfigMigration(models.Model):
    """A batch of magic links moving integrations to `scope_config`; its links carry its id."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="scope_config_migrations"
    )
    scope_config = models.ForeignKey(
        ScopeConfig, on_delete=models.PROTECT, related_name="migrations"
    )
    # What the operator picked, in words ("all on Basic", "Personio integrations on Basic").
    selection_label = models.CharField(max_length=300)
    language = models.CharField(max_length=2, choices=LinkLanguage.choices, default="en")
    emailed = models.BooleanField(default=False)
    created_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Migration to {self.scope_config_id} ({self.created_at:%Y-%m-%d})"


class LinkState(StrEnum):
    SENT = "SENT"
    OPENED = "OPENED"
    COMPLETED = "COMPLETED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"

    @property
    def label(self) -> str:
        return {
            LinkState.SENT: "Sent, not opened",
            LinkState.OPENED: "Opened",
            LinkState.COMPLETED: "Completed",
            LinkState.EXPIRED: "Expired",
            LinkState.REVOKED: "Revoked",
        }[self]

    @property
    def short_label(self) -> str:
        return "Sent" if self is LinkState.SENT else self.label

    @property
    def badge(self) -> str:
        """The dashboard badge tone (`badge--<tone>`) of the state."""
        return {
            LinkState.SENT: "outline",
            LinkState.OPENED: "info",
            LinkState.COMPLETED: "active",
            LinkState.EXPIRED: "inactive",
            LinkState.REVOKED: "invalid",
        }[self]


def link_usable_condition(now: datetime) -> Q:
    """Links a customer can still use (SENT or OPENED), as SQL: `ReconnectionLink.is_usable_at`."""
    return Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def link_state_conditions(now: datetime) -> dict[LinkState, Q]:
    """Each link is in exactly one state; a used link counts as completed even if it has
    expired since, a revoked one as revoked."""
    usable = link_usable_condition(now)
    return {
        LinkState.COMPLETED: Q(used_at__isnull=False),
        LinkState.REVOKED: Q(used_at__isnull=True, revoked_at__isnull=False),
        LinkState.EXPIRED: Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now),
        LinkState.OPENED: usable & Q(opened_at__isnull=False),
        LinkState.SENT: usable & Q(opened_at__isnull=True),
    }


def link_state_expression(now: datetime) -> Case:
    """A link's `LinkState` value, computed by the database (for `.annotate(state=...)`)."""
    return Case(
        *(When(q, then=Value(s.value)) for s, q in link_state_conditions(now).items()),
        output_field=CharField(),
    )


class ReconnectionLink(models.Model):
    """A single-use link a customer opens to (re)connect an integration.

    Only a SHA-256 of the token is stored; consuming the link is a compare-and-set on
    `used_at`/`revoked_at`/`expires_at`.
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="reconnection_links"
    )
    integration = models.ForeignKey(
        Integration,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reconnection_links",
    )
    kind = models.CharField(max_length=8, choices=LinkKind.choices, default=LinkKind.RELINK)
    link_type = models.CharField(max_length=12, choices=LinkType.choices)
    language = models.CharField(max_length=2, choices=LinkLanguage.choices, default="en")
    # CONNECT links: who the new integration is for, and (optionally) its fixed tool.
    end_user_organization_name = models.CharField(max_length=300, blank=True, default="")
    end_user_email = models.EmailField(null=True, blank=True)
    end_user_origin_id = models.CharField(max_length=300, null=True, blank=True)
    tool = models.CharField(max_length=64, null=True, blank=True)
    # The scope config the integration switches to on completion; NULL keeps the current one.
    target_scope_config = models.ForeignKey(
        ScopeConfig, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Embedded links: a short-lived token the page hands to the operator's frontend on
    # completion, exchanged once by their backend for the integration (hash only).
    activation_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    activation_expires_at = models.DateTimeField(null=True, blank=True)
    activation_used_at = models.DateTimeField(null=True, blank=True)
    migration = models.ForeignKey(
        ScopeConfigMigration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["integration", "-created_at"], name="link_integration_idx"),
            # /metrics counts the usable links per kind and type on every scrape: a range of
            # this index alone, which holds only the links not used or revoked yet.
            models.Index(
                fields=["expires_at", "kind", "link_type"],
                name="link_open_idx",
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_link_type_display()} link {self.id}"

    def is_usable_at(self, moment: Any) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > moment

    def state_at(self, moment: datetime) -> LinkState:
        """The link's state, as `link_state_conditions` decides it in SQL."""
        if self.used_at is not None:
            return LinkState.COMPLETED
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.expires_at <= moment:
            return LinkState.EXPIRED
        return LinkState.SENT if self.opened_at is None else LinkState.OPENED

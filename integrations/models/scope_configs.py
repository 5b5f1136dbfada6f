"""Scope configs: which read models and fields an integration reads."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.ids import new_id
from core.models import Environment


class ScopeSetting(models.TextChoices):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"
    OPTIONAL = "OPTIONAL"


class ScopeConfigEnvironmentError(ValueError):
    """A scope config was given for an integration or link of another environment."""


class ScopeConfig(models.Model):
    """Which read models and fields integrations using this config read.

    `settings` is `{model_id: {"setting": ScopeSetting, "fields": {field_id: ScopeSetting}}}`;
    a model or field missing from it is DISABLED.
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="scope_configs"
    )
    name = models.CharField(max_length=200)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["environment", "name"], name="scope_config_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def require_environment(self, environment_id: str) -> None:
        """Integrations and links use scope configs of their own environment only."""
        if self.environment_id != environment_id:
            raise ScopeConfigEnvironmentError("The scope config belongs to another environment.")

    def model_setting(self, model_id: str) -> str:
        entry: dict[str, Any] = self.settings.get(model_id) or {}
        return str(entry.get("setting", ScopeSetting.DISABLED))

    def field_setting(self, model_id: str, field_id: str) -> str:
        if self.model_setting(model_id) == ScopeSetting.DISABLED:
            return ScopeSetting.DISABLED
        entry: dict[str, Any] = self.settings.get(model_id) or {}
        return str((entry.get("fields") or {}).get(field_id, ScopeSetting.DISABLED))

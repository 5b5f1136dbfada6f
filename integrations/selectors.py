"""Reads of the integrations domain for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from integrations.crypto import decrypt_json
from integrations.models import CredentialVersion, Environment, Integration, ScopeSetting
from integrations.read_models import READ_MODELS
from integrations.tools import TOOLS, tool_get
from integrations.tools.base import Coverage


def integration_get(*, environment: Environment, integration_id: str) -> Integration | None:
    """A live integration of this environment, or None (other environments are invisible)."""
    return (
        Integration.objects.alive()
        .select_related("scope_config", "environment")
        .filter(environment=environment, pk=integration_id)
        .first()
    )


def integration_list(
    *,
    environment: Environment | None = None,
    status: str | None = None,
    tool: str | None = None,
    search: str | None = None,
) -> QuerySet[Integration]:
    queryset = Integration.objects.alive().select_related("scope_config", "environment")
    if environment is not None:
        queryset = queryset.filter(environment=environment)
    if status:
        queryset = queryset.filter(status=status)
    if tool:
        queryset = queryset.filter(tool=tool)
    if search:
        queryset = queryset.filter(
            Q(organization_name__icontains=search)
            | Q(creator_email__icontains=search)
            | Q(origin_id__icontains=search)
            | Q(id=search)
        )
    return queryset.order_by("-created_at", "-id")


def credentials_current(*, integration: Integration) -> dict[str, str] | None:
    """The newest credentials, decrypted. Never send the result anywhere but to the tool."""
    version = (
        CredentialVersion.objects.filter(integration=integration)
        .order_by("-created_at", "-id")
        .only("payload_encrypted")
        .first()
    )
    return decrypt_json(version.payload_encrypted) if version else None


@dataclass(frozen=True)
class FieldState:
    id: str
    coverage_status: str
    scope_config_setting: str
    opted_out_by_customer: bool

    @property
    def is_available(self) -> bool:
        return (
            self.coverage_status == Coverage.SUPPORTED
            and self.scope_config_setting != ScopeSetting.DISABLED
            and not self.opted_out_by_customer
        )


@dataclass(frozen=True)
class ReadModelState:
    id: str
    label: str
    coverage_status: str
    scope_config_setting: str
    opted_out_by_customer: bool
    fields: tuple[FieldState, ...]

    @property
    def is_available(self) -> bool:
        return (
            self.coverage_status == Coverage.SUPPORTED
            and self.scope_config_setting != ScopeSetting.DISABLED
            and not self.opted_out_by_customer
        )


def integration_read_models(*, integration: Integration) -> list[ReadModelState]:
    """Per read model of the integration's category: what the tool covers and the scope wants."""
    tool = tool_get(integration.tool)
    scope = integration.scope_config
    opted_out = set(integration.opted_out or [])
    states = []
    for model in READ_MODELS.values():
        if model.category != integration.category:
            continue
        support = tool.model_support(model.id)
        states.append(
            ReadModelState(
                id=model.id,
                label=model.label,
                coverage_status=support.coverage,
                scope_config_setting=scope.model_setting(model.id),
                opted_out_by_customer=model.id in opted_out,
                fields=tuple(
                    FieldState(
                        id=field_id,
                        coverage_status=support.field_support(field_id).coverage,
                        scope_config_setting=scope.field_setting(model.id, field_id),
                        opted_out_by_customer=f"{model.id}.{field_id}" in opted_out,
                    )
                    for field_id in model.fields
                ),
            )
        )
    return states


def tool_ids() -> list[str]:
    return sorted(TOOLS)

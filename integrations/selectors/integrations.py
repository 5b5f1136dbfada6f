"""Reads of integrations for the API, the syncs app, the services and the dashboard: one
integration or a filtered list, its credentials, what it reads of each read model, and
whether checked credentials belong to its company account."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.db.models import Q, QuerySet

from core.crypto import decrypt_json
from core.models import Environment
from integrations.api_fast_path import integration_with_scope_config
from integrations.models import CredentialVersion, Integration, ScopeConfig, ScopeSetting
from integrations.read_models import READ_MODELS, ReadModel
from integrations.tools import tool_get
from integrations.tools.base import AuthOutcome, AuthResult, Coverage, ModelSupport, Tool


def integration_get(*, environment: Environment, integration_id: str) -> Integration | None:
    """A live integration of this environment, or None (other environments are invisible)."""
    integration = integration_with_scope_config(
        environment_id=environment.pk, integration_id=integration_id
    )
    if integration is not None:
        integration.environment = environment
    return integration


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


def _is_available(state: FieldState | ReadModelState) -> bool:
    """One rule for a read model and for each of its fields: the tool supports it, the scope
    config does not turn it off and the customer did not opt out of it."""
    return (
        state.coverage_status == Coverage.SUPPORTED
        and state.scope_config_setting != ScopeSetting.DISABLED
        and not state.opted_out_by_customer
    )


@dataclass(frozen=True)
class FieldState:
    id: str
    coverage_status: str
    scope_config_setting: str
    opted_out_by_customer: bool

    @property
    def is_available(self) -> bool:
        return _is_available(self)


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
        return _is_available(self)


def integration_read_models(*, integration: Integration) -> tuple[ReadModelState, ...]:
    """Per read model of the integration's category: what the tool covers and the scope wants."""
    # Computed once per distinct input (the states are immutable): the API renders them for
    # every integration it returns, and most integrations share a few scope configs.
    return _read_model_states(
        tool_get(integration.tool),
        integration.category,
        json.dumps(integration.scope_config.settings, sort_keys=True),
        frozenset(integration.opted_out or ()),
    )


def _covered_models(tool: Tool, category: str) -> Iterator[tuple[ReadModel, ModelSupport]]:
    """The read models of `category`, each with what `tool` covers of it."""
    for model in READ_MODELS.values():
        if model.category == category:
            yield model, tool.model_support(model.id)


@lru_cache(maxsize=1024)
def _read_model_states(
    tool: Tool, category: str, scope_settings: str, opted_out: frozenset[str]
) -> tuple[ReadModelState, ...]:
    scope = ScopeConfig(settings=json.loads(scope_settings))
    states = []
    for model, support in _covered_models(tool, category):
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
    return tuple(states)


def integration_get_for_operator(*, integration_id: str) -> Integration | None:
    """A live integration of any environment (operators see them all), or None."""
    return (
        Integration.objects.alive()
        .select_related("scope_config", "environment")
        .filter(pk=integration_id)
        .first()
    )


@dataclass(frozen=True)
class FieldCoverage:
    id: str
    coverage_status: str


@dataclass(frozen=True)
class ReadModelCoverage:
    id: str
    label: str
    coverage_status: str
    fields: tuple[FieldCoverage, ...]


def tool_read_model_coverage(*, tool: Tool) -> list[ReadModelCoverage]:
    """What the tool covers of each read model of its category, independent of any integration."""
    coverage = []
    for model, support in _covered_models(tool, tool.category):
        coverage.append(
            ReadModelCoverage(
                id=model.id,
                label=model.label,
                coverage_status=support.coverage,
                fields=tuple(
                    FieldCoverage(
                        id=field_id, coverage_status=support.field_support(field_id).coverage
                    )
                    for field_id in model.fields
                ),
            )
        )
    return coverage


def integration_wanted_fields(*, integration: Integration) -> dict[str, tuple[str, ...]]:
    """Per read model the current scope config enables (and the tool covers): its fields.

    OPTIONAL models/fields count unless the customer opted out; what is left out is stored null.
    """
    return {
        state.id: tuple(field.id for field in state.fields if field.is_available)
        for state in integration_read_models(integration=integration)
        if state.is_available
    }


class AccountMatch(StrEnum):
    SAME = "SAME"
    OTHER = "OTHER"
    # Nothing to compare: the credentials name no account and read no employee, while the
    # integration holds employees (a key without employee access, or an empty company).
    UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True)
class HeldEmployees:
    """What an integration holds of the ids asked about: whether any employee at all, and
    which of those ids."""

    any_held: bool
    known: frozenset[str]


# Employee rows belong to the syncs app, which this app never imports: syncs registers its
# lookup when it starts (`SyncsConfig.ready`).
HeldEmployeesLookup = Callable[[str, frozenset[str]], HeldEmployees]
_held_employees_lookups: list[HeldEmployeesLookup] = []


def held_employees_lookup_register(lookup: HeldEmployeesLookup) -> None:
    _held_employees_lookups[:] = [lookup]


def credentials_account_match(*, integration: Integration, result: AuthResult) -> AccountMatch:
    """Whether checked credentials belong to the integration's company account.

    1. Both sides name an account (the tool documents one and the integration learned it):
       the same account id, or another company.
    2. Otherwise the employees decide. Until the integration has synced an employee there is
       nothing to tell companies apart by, and the credentials are accepted (a brand-new
       connection or a relink before the first sync). Once it holds employees, the credentials
       belong to the same company when at least one employee they read (the tool's sample, one
       vendor page) is an employee the integration holds; when they read employees and none is
       ours, they are another company's; when they read none, it cannot be confirmed.
    """
    if result.outcome != AuthOutcome.OK:
        return AccountMatch.SAME
    if integration.remote_account_id and result.remote_account_id:
        if integration.remote_account_id == result.remote_account_id:
            return AccountMatch.SAME
        return AccountMatch.OTHER
    if not _held_employees_lookups:
        raise RuntimeError("The syncs app registered no employee lookup (is it installed?).")
    held = _held_employees_lookups[0](integration.pk, result.remote_id_sample)
    if not held.any_held or held.known:
        return AccountMatch.SAME
    return AccountMatch.OTHER if result.remote_id_sample else AccountMatch.UNCONFIRMED

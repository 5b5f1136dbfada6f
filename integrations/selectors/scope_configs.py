"""Reads for the scope config pages: configs with their usage, what each tool covers of the
read models, migration candidates and the progress of a migration's links.

Every function runs a fixed number of queries, however many configs, integrations or links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import Environment
from integrations.models import (
    Integration,
    LinkState,
    ReconnectionLink,
    ScopeConfig,
    ScopeConfigMigration,
    link_state_conditions,
    link_state_expression,
)
from integrations.read_models import READ_MODELS, ReadModel
from integrations.selectors.integrations import integration_list
from integrations.tools import tools_for_category
from integrations.tools.base import Coverage

MIGRATIONS_SHOWN = 50
COVERAGE_LABELS: dict[str, str] = {
    Coverage.SUPPORTED: "reads it",
    Coverage.UNSUPPORTED: "the tool does not offer it",
    Coverage.NOT_IMPLEMENTED: "not implemented yet",
    Coverage.UNKNOWN: "unknown",
}


def scope_config_list() -> QuerySet[ScopeConfig]:
    """Every scope config with `live_integration_count` (live integrations using it)."""
    return (
        ScopeConfig.objects.select_related("environment")
        .annotate(
            live_integration_count=Count(
                "integrations", filter=Q(integrations__deleted_at__isnull=True)
            )
        )
        .order_by("environment__name", "name", "pk")
    )


def scope_config_get(*, scope_config_id: str) -> ScopeConfig | None:
    """A scope config with `live_integration_count`, or None."""
    return scope_config_list().filter(pk=scope_config_id).first()


def scope_config_name_taken(
    *, environment: Environment | str, name: str, exclude: ScopeConfig | None = None
) -> bool:
    environment_id = environment.pk if isinstance(environment, Environment) else environment
    configs = ScopeConfig.objects.filter(environment_id=environment_id, name=name.strip())
    if exclude is not None:
        configs = configs.exclude(pk=exclude.pk)
    return configs.exists()


def scope_configs_of_environment(*, environment_id: str) -> QuerySet[ScopeConfig]:
    return ScopeConfig.objects.filter(environment_id=environment_id).order_by("name", "pk")


# --- What each tool covers (code, not data: no queries) -----------------------------------


@dataclass(frozen=True)
class ToolSupport:
    tool_id: str
    tool_label: str
    coverage: str

    @property
    def is_supported(self) -> bool:
        return self.coverage == Coverage.SUPPORTED

    @property
    def coverage_label(self) -> str:
        return COVERAGE_LABELS.get(self.coverage, self.coverage.lower())


@dataclass(frozen=True)
class FieldToolSupport:
    id: str
    tools: tuple[ToolSupport, ...]


@dataclass(frozen=True)
class ModelToolSupport:
    model: ReadModel
    tools: tuple[ToolSupport, ...]
    fields: tuple[FieldToolSupport, ...]


def read_model_tool_support() -> list[tuple[str, list[ModelToolSupport]]]:
    """Per category, per read model and per field: which tool reads it (a field of a model a
    tool doesn't cover takes the model's coverage)."""
    categories: dict[str, list[ModelToolSupport]] = {}
    for model in READ_MODELS.values():
        tools = tools_for_category(model.category)
        supports = [(tool, tool.model_support(model.id)) for tool in tools]
        categories.setdefault(model.category, []).append(
            ModelToolSupport(
                model=model,
                tools=tuple(
                    ToolSupport(tool.id, tool.label, support.coverage) for tool, support in supports
                ),
                fields=tuple(
                    FieldToolSupport(
                        id=field_id,
                        tools=tuple(
                            ToolSupport(
                                tool.id,
                                tool.label,
                                support.field_support(field_id).coverage
                                if support.coverage == Coverage.SUPPORTED
                                else support.coverage,
                            )
                            for tool, support in supports
                        ),
                    )
                    for field_id in model.fields
                ),
            )
        )
    return list(categories.items())


# --- Migrations -----------------------------------------------------------------------------


def migration_candidates(
    *,
    scope_config: ScopeConfig,
    source_config: ScopeConfig | None = None,
    tool: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> QuerySet[Integration]:
    """Live integrations of the config's environment on *other* configs, filtered; each with
    `has_open_link`: an unused, unrevoked, unexpired link to this config is already out."""
    candidates = (
        integration_list(tool=tool, status=status, search=search)
        .filter(environment_id=scope_config.environment_id)
        .exclude(scope_config_id=scope_config.pk)
    )
    if source_config is not None:
        candidates = candidates.filter(scope_config_id=source_config.pk)
    open_links = ReconnectionLink.objects.filter(
        integration_id=OuterRef("pk"),
        target_scope_config_id=scope_config.pk,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    return candidates.annotate(has_open_link=Exists(open_links)).order_by("organization_name", "id")


def scope_config_migrations(
    *, scope_config: ScopeConfig, limit: int = MIGRATIONS_SHOWN
) -> list[ScopeConfigMigration]:
    """The newest migrations to this config, each with `link_count` and `completed_count`."""
    return list(
        ScopeConfigMigration.objects.filter(scope_config=scope_config)
        .annotate(
            link_count=Count("links"),
            completed_count=Count("links", filter=Q(links__used_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


def migration_get(*, migration_id: str) -> ScopeConfigMigration | None:
    return (
        ScopeConfigMigration.objects.select_related("scope_config", "environment")
        .filter(pk=migration_id)
        .first()
    )


@dataclass(frozen=True)
class MigrationProgress:
    total: int
    counts: dict[LinkState, int]
    # Links with `state` (a LinkState value) and their integration, by organisation.
    links: QuerySet[ReconnectionLink]

    def count_of(self, state: LinkState) -> int:
        return self.counts.get(state, 0)


def migration_progress(
    *, migration: ScopeConfigMigration, now: datetime, state: LinkState | None = None
) -> MigrationProgress:
    """Totals per state (one query) and the links, optionally of one state (a lazy queryset:
    one more query however it is sliced)."""
    conditions = link_state_conditions(now)
    links = ReconnectionLink.objects.filter(migration=migration)
    totals = links.aggregate(
        total=Count("pk"), **{s.value: Count("pk", filter=q) for s, q in conditions.items()}
    )
    rows = (
        links.select_related("integration")
        .annotate(state=link_state_expression(now))
        .order_by("integration__organization_name", "pk")
    )
    if state is not None:
        rows = rows.filter(conditions[state])
    return MigrationProgress(
        total=int(totals.pop("total") or 0),
        counts={LinkState(key): int(value or 0) for key, value in totals.items()},
        links=rows,
    )

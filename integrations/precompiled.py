"""SQL composed once per process for the API's hottest read: one integration with its scope config.

Django compiles a queryset into SQL on every evaluation; for an integration joined with its
scope config that took ~0.9 ms, more than the rest of `GET /integrations/{id}` together
(`make bench`, suite `load`). This statement is composed from the models' own metadata (table
and column names, each backend's value converters), so it follows the models as they change,
and rows become model instances through `Model.from_db`, as the ORM's own do. Tests compare
what it loads with what the ORM loads, field for field, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from integrations.models import Integration, ScopeConfig

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class _Columns:
    """The concrete columns of one model under a table alias, and how to load them."""

    model: type[Model]
    alias: str
    fields: tuple[Field[Any, Any], ...]
    converters: tuple[tuple[Converter, ...], ...]

    @classmethod
    def of(cls, model: type[Model], alias: str, connection: BaseDatabaseWrapper) -> _Columns:
        fields = tuple(model._meta.concrete_fields)
        return cls(
            model=model,
            alias=alias,
            fields=fields,
            converters=tuple(
                tuple(
                    connection.ops.get_db_converters(field.get_col(alias))
                    + field.get_db_converters(connection)
                )
                for field in fields
            ),
        )

    def select_list(self, connection: BaseDatabaseWrapper) -> str:
        quote = connection.ops.quote_name
        # Concrete fields always have a column; the stubs type it for every kind of field.
        return ", ".join(f"{self.alias}.{quote(str(field.column))}" for field in self.fields)

    def load(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> Any:
        converted = []
        for value, field, converters in zip(values, self.fields, self.converters, strict=True):
            for converter in converters:
                value = converter(value, field, connection)
            converted.append(value)
        return self.model.from_db(
            connection.alias, [field.attname for field in self.fields], converted
        )


@dataclass(frozen=True)
class _IntegrationWithScopeConfig:
    sql: str
    integration: _Columns
    scope_config: _Columns


@cache
def _integration_with_scope_config(alias: str) -> _IntegrationWithScopeConfig:
    connection = connections[alias]
    quote = connection.ops.quote_name
    integration = _Columns.of(Integration, "i", connection)
    scope_config = _Columns.of(ScopeConfig, "s", connection)
    # Names from the models' metadata only; the values are parameters.
    sql = (
        f"SELECT {integration.select_list(connection)}, {scope_config.select_list(connection)} "  # noqa: S608
        f"FROM {quote(Integration._meta.db_table)} i "
        f"INNER JOIN {quote(ScopeConfig._meta.db_table)} s "
        f"ON s.{quote('id')} = i.{quote('scope_config_id')} "
        f"WHERE i.{quote('id')} = %s AND i.{quote('environment_id')} = %s "
        f"AND i.{quote('deleted_at')} IS NULL"
    )
    return _IntegrationWithScopeConfig(sql, integration, scope_config)


def integration_with_scope_config(
    *, environment_id: str, integration_id: str, alias: str = "default"
) -> Integration | None:
    """The live integration `integration_id` of the environment, its scope config loaded."""
    statement = _integration_with_scope_config(alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [integration_id, environment_id])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(statement.integration.fields)
    integration: Integration = statement.integration.load(row[:split], connection)
    integration.scope_config = statement.scope_config.load(row[split:], connection)
    return integration

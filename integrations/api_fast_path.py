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
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections, router
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


# Per connection object: converters are bound to the connection that made them (SQLite's read
# its time zone), and each thread has its own. Weak keys let a closed thread's entry go.
_STATEMENTS: WeakKeyDictionary[BaseDatabaseWrapper, _IntegrationWithScopeConfig] = (
    WeakKeyDictionary()
)


def _integration_with_scope_config(connection: BaseDatabaseWrapper) -> _IntegrationWithScopeConfig:
    statement = _STATEMENTS.get(connection)
    if statement is not None:
        return statement
    quote = connection.ops.quote_name

    def column(model: type[Model], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        return quote(str(field.column))

    integration = _Columns.of(Integration, "i", connection)
    scope_config = _Columns.of(ScopeConfig, "s", connection)
    # Table and column names come from the models; the values are parameters. The last
    # condition is `Integration.objects.alive()`.
    sql = (
        f"SELECT {integration.select_list(connection)}, {scope_config.select_list(connection)} "  # noqa: S608
        f"FROM {quote(Integration._meta.db_table)} i "
        f"INNER JOIN {quote(ScopeConfig._meta.db_table)} s "
        f"ON s.{column(ScopeConfig, 'id')} = i.{column(Integration, 'scope_config')} "
        f"WHERE i.{column(Integration, 'id')} = %s "
        f"AND i.{column(Integration, 'environment')} = %s "
        f"AND i.{column(Integration, 'deleted_at')} IS NULL"
    )
    statement = _STATEMENTS[connection] = _IntegrationWithScopeConfig(
        sql, integration, scope_config
    )
    return statement


def integration_with_scope_config(
    *, environment_id: str, integration_id: str
) -> Integration | None:
    """The live integration `integration_id` of the environment, its scope config loaded."""
    connection = connections[router.db_for_read(Integration)]
    statement = _integration_with_scope_config(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [integration_id, environment_id])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(statement.integration.fields)
    integration: Integration = statement.integration.load(row[:split], connection)
    integration.scope_config = statement.scope_config.load(row[split:], connection)
    return integration

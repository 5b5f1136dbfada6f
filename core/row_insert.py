"""INSERT statements composed once per process for the hottest writes.

`Model.save()` compiles its INSERT anew on every call: for `POST /integrations/{id}/relink`, the
link and its audit row, that was a quarter of the request's CPU time (`make bench`, suite
`load`), more than sending both rows to the database. `row_insert` writes the same row the way
`save(force_insert=True)` does (each field's `pre_save` fills `auto_now_add`, its
`get_db_prep_save` turns the value into the database's, a database-made primary key comes back
with RETURNING), from a statement composed from the model's own metadata, so it follows the
model as it changes. Tests compare the rows it writes with the ORM's, on SQLite and PostgreSQL.
No signals are sent: use it only for models without `pre_save`/`post_save` receivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    # The primary key the database makes (an AutoField), read back after the insert.
    returned: Field[Any, Any] | None


# Per connection object, as the backend's quoting and RETURNING support are the connection's;
# each thread has its own, and weak keys let a closed thread's entry go.
_STATEMENTS: WeakKeyDictionary[BaseDatabaseWrapper, dict[type[Model], _Insert]] = (
    WeakKeyDictionary()
)


def _insert_statement(model: type[Model], connection: BaseDatabaseWrapper) -> _Insert:
    statements = _STATEMENTS.setdefault(connection, {})
    statement = statements.get(model)
    if statement is not None:
        return statement
    meta = model._meta
    returned = meta.auto_field
    # What `save()` would do differently for these is not composed here (PostgreSQL and
    # SQLite >= 3.35, the databases this site runs on, both have RETURNING).
    if (
        meta.parents
        or any(f.generated or f.has_db_default() for f in meta.concrete_fields)
        or (returned is not None and not connection.features.can_return_columns_from_insert)
    ):
        raise TypeError(f"row_insert cannot write {meta.label}: use save().")
    fields = tuple(field for field in meta.local_concrete_fields if field is not returned)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(str(field.column)) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returned is not None:
        sql += f" RETURNING {quote(str(returned.column))}"
    statement = statements[model] = _Insert(sql, fields, returned)
    return statement


def row_insert(instance: Model) -> None:
    """Insert `instance` as a new row, as `instance.save(force_insert=True)` would."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    statement = _insert_statement(model, connection)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for field in statement.fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, values)
        if statement.returned is not None:
            row = cursor.fetchone()
            assert row is not None
            setattr(instance, statement.returned.attname, row[0])
    instance._state.adding = False
    instance._state.db = alias

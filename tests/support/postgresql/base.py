"""PostgreSQL for the test suite: Django's own backend, except how the database is emptied
after each transactional test (and each browser test).

Django empties it with one `TRUNCATE` of every table, which gives each table and index a new
file and costs about half a second here, however few rows there are: several minutes of a run.
Deleting the rows costs milliseconds. Foreign keys Django creates on PostgreSQL are
`DEFERRABLE INITIALLY DEFERRED` and the flush runs in one transaction, so the order of the
deletes does not matter. Content types and permissions are kept: the flush is followed by
`post_migrate`, which would write every one of them again. Everything else is the production
backend.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations

# What post_migrate refills after every flush (django.contrib.contenttypes and auth).
KEPT = frozenset({"django_content_type", "auth_permission"})


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: object,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade:
            # A test that asked for fresh sequences (or a cascade) gets Django's TRUNCATE.
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables if table not in KEPT]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

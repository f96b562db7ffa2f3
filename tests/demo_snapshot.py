"""Exempelstad built once per test session, put back into each test's database in milliseconds.

Building the demo takes about half a second without its plan and two and a half with it, and
most tests that need it used to build it again. Instead, :func:`take` builds it once in the
session's test database, reads the rows the build added, and rolls the build back; the
``demo`` fixtures then :meth:`Snapshot.restore` those rows inside the test's own transaction
(rolled back after the test like any other row it writes). The ids are the ones the build
gave, so a restored demo is the same rows a fresh build in the fresh database makes.

A snapshot holds only if the database is as it was when it was taken: the tables the build
writes hold no rows of the test's own, and the rows the migrations left (content types,
permissions, the starter catalogue) are the same. Otherwise — after a transactional test's
flush, or when a test asks for both ``demo`` and ``demo_with_plan`` — :meth:`Snapshot.restore`
answers False and the fixture builds the demo as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

Rows = list[tuple]


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(include_views=False))


# The SQL below is built from table and column names Django's introspection gives (S608).


def _read(table: str) -> Rows:
    with connection.cursor() as cursor:
        sql = f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1"  # noqa: S608
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return [column.name for column in description]


def _counts_sql(tables: list[str]) -> str:
    """One statement that counts the rows of all ``tables`` (one round trip per test)."""
    quote = connection.ops.quote_name
    counts = [f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables]  # noqa: S608
    return "SELECT " + " + ".join(counts)


@dataclass
class Snapshot:
    inserts: list[tuple[str, Rows]]  # (INSERT statement, rows), in table order
    counts_sql: str  # counts the rows of every table the build writes
    baseline_count: int  # what counts_sql answers in the database the build started from
    baseline: dict[str, Rows]  # the migrations' rows the build's rows may refer to
    sequence_sql: list[str]  # moves PostgreSQL's id sequences past the restored ids

    def restore(self) -> bool:
        """Insert the demo's rows; False (and nothing written) if the database is not as the
        snapshot found it."""
        with connection.cursor() as cursor:
            cursor.execute(self.counts_sql)
            if cursor.fetchone()[0] != self.baseline_count:
                return False
        if any(_read(table) != rows for table, rows in self.baseline.items()):
            return False
        # One transaction even in a transactional test: foreign keys are checked at its end.
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, rows in self.inserts:
                cursor.executemany(sql, rows)
            for sql in self.sequence_sql:
                cursor.execute(sql)
        return True


def take(build: Callable[[], object]) -> Snapshot:
    """Run ``build`` in the test database, keep the rows it adds, and roll it back.

    Must run outside any test's transaction (from a session fixture with the database
    unblocked)."""
    tables = _tables()
    before = {table: _read(table) for table in tables}
    with transaction.atomic():
        build()
        after = {table: _read(table) for table in tables}
        transaction.set_rollback(True)
    quote = connection.ops.quote_name
    inserts: list[tuple[str, Rows]] = []
    written: list[str] = []
    for table in tables:
        old = set(before[table])
        if not old.issubset(after[table]):
            raise RuntimeError(f"the demo build changed or deleted rows of {table}")
        new = [row for row in after[table] if row not in old]
        if not new:
            continue
        written.append(table)
        columns = _columns(table)
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
        )
        inserts.append((sql, new))
    counts_sql = _counts_sql(written)
    with connection.cursor() as cursor:
        cursor.execute(counts_sql)
        baseline_count = cursor.fetchone()[0]
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in written]
    return Snapshot(
        inserts=inserts,
        counts_sql=counts_sql,
        baseline_count=baseline_count,
        baseline={table: rows for table, rows in before.items() if rows},
        sequence_sql=connection.ops.sequence_reset_sql(no_style(), models),
    )

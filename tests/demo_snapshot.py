"""Exempelstad built once per test session, put back into each test's database in milliseconds.

Building the demo takes about half a second without its plan and two and a half with it, and
most tests that need it used to build it again. Instead, :func:`take` builds it once in the
session's test database, reads the rows the build added, and rolls the build back; the
``demo`` fixtures then :meth:`Snapshot.restore` those rows inside the test's own transaction
(rolled back after the test like any other row it writes). The ids are the ones the build
gave, so a restored demo is the same rows a fresh build in the fresh database makes.

A snapshot holds if the database is as it was when it was taken: the tables the build writes
hold no rows of the test's own, and the rows the migrations left (content types, permissions,
the starter catalogue) are the same. After a transactional test's flush (every table emptied,
content types and permissions made again under new ids) it puts the migrations' rows back as
well. Otherwise — e.g. when a test asks for both ``demo`` and ``demo_with_plan`` —
:meth:`Snapshot.restore` answers False and the fixture builds the demo as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
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


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _insert_sql(table: str) -> str:
    quote = connection.ops.quote_name
    columns = _columns(table)
    return "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )


@dataclass
class Snapshot:
    inserts: list[tuple[str, Rows]]  # (INSERT statement, rows), in table order
    counts_sql: str  # counts the rows of every table the build writes
    baseline_count: int  # what counts_sql answers in the database the build started from
    baseline: dict[str, Rows]  # the migrations' rows the build's rows may refer to
    others_sql: str  # counts the rows of every table that held none before the build
    baseline_deletes: list[str]  # empties the baseline's tables (after a flush)
    baseline_inserts: list[tuple[str, Rows]]  # and fills them as the migrations left them
    sequence_sql: list[str]  # moves PostgreSQL's id sequences past the restored ids

    def restore(self) -> bool:
        """Insert the demo's rows; False (and nothing written) if the database is not as the
        snapshot found it, nor as a flush leaves it."""
        if _count(self.counts_sql) == self.baseline_count and all(
            _read(table) == rows for table, rows in self.baseline.items()
        ):
            self._write(self.inserts)
            return True
        if _count(self.others_sql) == 0:  # flushed: only the post-migrate rows, if any
            self._write([*self.baseline_inserts, *self.inserts], first=self.baseline_deletes)
            ContentType.objects.clear_cache()  # the content types are back under their old ids
            return True
        return False

    def _write(self, inserts: list[tuple[str, Rows]], first: list[str] | None = None) -> None:
        # One transaction even in a transactional test: foreign keys are checked at its end.
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in first or []:
                cursor.execute(sql)
            for sql, rows in inserts:
                cursor.executemany(sql, rows)
            for sql in self.sequence_sql:
                cursor.execute(sql)


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
    inserts: list[tuple[str, Rows]] = []
    written: list[str] = []
    for table in tables:
        old = set(before[table])
        if not old.issubset(after[table]):
            raise RuntimeError(f"the demo build changed or deleted rows of {table}")
        new = [row for row in after[table] if row not in old]
        if new:
            written.append(table)
            inserts.append((_insert_sql(table), new))
    counts_sql = _counts_sql(written)
    baseline = {table: rows for table, rows in before.items() if rows}
    restored = set(written) | set(baseline)
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in restored]
    return Snapshot(
        inserts=inserts,
        counts_sql=counts_sql,
        baseline_count=_count(counts_sql),
        baseline=baseline,
        others_sql=_counts_sql([t for t in tables if t not in baseline]),
        baseline_deletes=[f"DELETE FROM {connection.ops.quote_name(t)}" for t in baseline],  # noqa: S608
        baseline_inserts=[(_insert_sql(table), rows) for table, rows in baseline.items()],
        sequence_sql=connection.ops.sequence_reset_sql(no_style(), models),
    )

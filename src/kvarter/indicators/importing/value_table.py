"""The value table's raw SQL, shared by the import writer and the area aggregation.

A whole DeSO table is close to a million rows, so these read and write with plain cursors:
stored values are read a chunk of places at a time, new and changed ones written with
``executemany``. Only quoted column names and placeholders go into the SQL text; every value is
a parameter. The same text runs on SQLite and PostgreSQL (Django turns ``%s`` into ``?``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

from kvarter.indicators.models import IndicatorValue

# Most places in one IN (...) list, and most indicators or periods that narrow a read: together
# below the 999 parameters of the oldest SQLite Django supports. A longer list of indicators or
# periods is not used to narrow the read; the extra rows are never looked up.
IN_CHUNK = 400
NARROW_MAX = 200

# Stored row: (id, value, status, numerator, denominator).
Stored = tuple[int, float | None, str, float | None, float | None]


def chunked(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns() -> dict[str, str]:
    meta = IndicatorValue._meta
    return {f.name: _q(f.column) for f in meta.concrete_fields if f.column}


INSERT_FIELDS = (
    "indicator",
    "level",
    "region_code",
    "area",
    "period",
    "year",
    "sex",
    "value",
    "numerator",
    "denominator",
    "status",
    "source",
    "retrieved_on",
    "batch",
)
UPDATE_FIELDS = ("value", "numerator", "denominator", "status", "source", "retrieved_on", "batch")


def insert_sql() -> str:
    cols = _columns()
    names = ", ".join(cols[f] for f in INSERT_FIELDS)
    marks = ", ".join(["%s"] * len(INSERT_FIELDS))
    return f"INSERT INTO {_q(IndicatorValue._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608


def update_sql() -> str:
    cols = _columns()
    sets = ", ".join(f"{cols[f]} = %s" for f in UPDATE_FIELDS)
    return f"UPDATE {_q(IndicatorValue._meta.db_table)} SET {sets} WHERE {cols['id']} = %s"  # noqa: S608


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def load_stored(
    *,
    indicator_ids: Sequence[int],
    periods: Sequence[str],
    region_codes: Sequence[str] = (),
    area_ids: Sequence[int] = (),
) -> dict[tuple[Any, int, str, str], Stored]:
    """Stored values of these indicators and periods for these places.

    Keys are (place, indicator id, period, sex), the place being the region code or the area id.
    """
    cols = _columns()
    table = _q(IndicatorValue._meta.db_table)
    narrow = ""
    narrowing: list[Any] = []
    if len(indicator_ids) <= NARROW_MAX:
        narrow += f"{cols['indicator']} IN ({_marks(len(indicator_ids))}) AND "
        narrowing += indicator_ids
    if len(periods) <= NARROW_MAX:
        narrow += f"{cols['period']} IN ({_marks(len(periods))}) AND "
        narrowing += periods
    # Only quoted column names and placeholders are put into the text; values go as parameters.
    select = (
        f"SELECT {cols['id']}, {cols['region_code']}, {cols['area']}, {cols['indicator']}, "  # noqa: S608
        f"{cols['period']}, {cols['sex']}, {cols['value']}, {cols['status']}, "
        f"{cols['numerator']}, {cols['denominator']} FROM {table} WHERE {narrow}"
    )
    stored: dict[tuple[Any, int, str, str], Stored] = {}
    with connection.cursor() as cursor:
        for codes in chunked(region_codes, IN_CHUNK):
            cursor.execute(
                # No 'area IS NULL' here: an area's row has region code '', which no region
                # asked for has; and with it SQLite picks the area index and reads every region.
                select + f"{cols['region_code']} IN ({_marks(len(codes))})",
                [*narrowing, *codes],
            )
            for pk, code, _area, ind, period, sex, value, status, num, den in cursor.fetchall():
                stored[(code, ind, period, sex)] = (pk, value, status, num, den)
        for ids in chunked(area_ids, IN_CHUNK):
            cursor.execute(
                select + f"{cols['area']} IN ({_marks(len(ids))})",
                [*narrowing, *ids],
            )
            for pk, _code, area, ind, period, sex, value, status, num, den in cursor.fetchall():
                stored[(area, ind, period, sex)] = (pk, value, status, num, den)
    return stored

"""Time of the area profile API for one area with a whole DeSO table loaded.

Target (issue 5): GET /api/v1/areas/{id}/profile/ answers in ≤ 50 ms (median) while the value
table holds a DeSO-level table for the whole country: 6,000 DeSO × 10 years × 3 sexes ×
5 indicators = 900,000 values, plus the area's, its municipality's and the nation's values
(150 each). The rows are inserted directly with ``executemany`` (this measures reading, not
importing; ``bench/indicator_import.py`` times the import). Runs in a throwaway SQLite test
database, through Django's test client (JSON, anonymous: the profile is public), after
``ANALYZE`` as a database has statistics after a large import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import statistics
import time
from typing import Any

DESO = 6_000
YEARS = range(2015, 2025)
SEXES = ("T", "K", "M")
INDICATORS = 5
REQUESTS = 30
TARGET_MS = 50.0
CHUNK = 20_000
PRIMES = (7919, 104729, 1299709, 15485863)


def _setup() -> tuple[Any, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvarter.settings.test")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    with contextlib.suppress(RuntimeError):  # another benchmark of this run did it already
        setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    # An in-memory SQLite test database outlives destroy_test_db within one process, so the
    # rows of a benchmark run before this one would still be there.
    call_command("flush", interactive=False, verbosity=0)
    return connection, old_name


def _deso_codes(count: int) -> list[str]:
    """``count`` DeSO codes, 300 per municipality code (the shape SCB uses: 0580C1010)."""
    return [f"{1000 + n // 300:04d}{'ABC'[n // 100 % 3]}{n % 300 + 1:04d}" for n in range(count)]


def _value(*parts: int) -> float:
    """A plausible share with one decimal, a pure function of the row's position."""
    mixed = sum(part * prime for part, prime in zip(parts, PRIMES, strict=False))
    return round(10 + (mixed % 800) / 10, 1)


def _load() -> tuple[Any, int]:
    """The DeSO table, the area's values and its municipality's and the nation's."""
    from django.db import connection, transaction

    from kvarter.areas.models import Area, Municipality
    from kvarter.indicators.models import Indicator, IndicatorValue

    municipality = Municipality.objects.create(code="0580", name="Linköping")
    area = Area.objects.create(municipality=municipality, name="Skäggetorp", population=9000)
    indicators = [
        Indicator.objects.create(
            code=f"bench-{n}",
            name_sv=f"Bänkindikator {n}",
            name_en=f"Bench indicator {n}",
            unit="percent",
            direction=("higher", "lower", "neutral")[n % 3],
            source_kind="scb",
        )
        for n in range(INDICATORS)
    ]
    table = IndicatorValue._meta.db_table
    columns = [
        "indicator_id",
        "level",
        "region_code",
        "area_id",
        "period",
        "year",
        "sex",
        "value",
        "status",
        "source",
        "retrieved_on",
    ]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Only the model's own table and column names are put into the text.
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608
    retrieved = dt.date(2025, 3, 1)

    def rows() -> Any:
        for i, indicator in enumerate(indicators):
            for n, code in enumerate(_deso_codes(DESO)):
                for year in YEARS:
                    for s, sex in enumerate(SEXES):
                        yield (
                            indicator.pk, "deso", code, None, str(year), year, sex,
                            _value(i, n, year, s), "ok", "SCB TAB-bench", retrieved,
                        )  # fmt: skip
            for level, code, area_id in (
                ("area", "", area.pk),
                ("municipality", "0580", None),
                ("nation", "00", None),
            ):
                for year in YEARS:
                    for s, sex in enumerate(SEXES):
                        yield (
                            indicator.pk, level, code, area_id, str(year), year, sex,
                            _value(i, len(level), year, s), "ok", "SCB TAB-bench", retrieved,
                        )  # fmt: skip

    count = 0
    batch: list[tuple[Any, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows():
            batch.append(row)
            if len(batch) == CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return area, count


def run() -> None:
    connection, old_name = _setup()
    try:
        from django.test import Client

        started = time.perf_counter()
        area, count = _load()
        load_seconds = time.perf_counter() - started
        print(f"area profile API: {count:,} values loaded in {load_seconds:.1f} s")

        client = Client()
        url = f"/api/v1/areas/{area.pk}/profile/"
        queries: list[str] = []

        def count(execute: Any, sql: str, *args: Any) -> Any:
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            first = client.get(url, HTTP_ACCEPT="application/json")
        assert first.status_code == 200, first.status_code
        data = first.json()
        points = sum(len(s["points"]) for i in data["indicators"] for s in i["series"])
        assert len(data["indicators"]) == INDICATORS and points == INDICATORS * 9 * len(YEARS)

        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url, HTTP_ACCEPT="application/json")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        median = statistics.median(times)
        verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
        print(
            f"area profile API: one area, {INDICATORS} indicators, {points} points, "
            f"{len(queries)} queries: median of {REQUESTS} requests {median:.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}; target ≤ {TARGET_MS:.0f} ms) {verdict}"
        )
        one, five, _fifteen = os.getloadavg()
        print(f"area profile API: load average {one:.2f} (1 min), {five:.2f} (5 min)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    run()

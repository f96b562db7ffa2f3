"""Time and memory of importing a whole DeSO table from JSON-stat, and of importing it again.

Target (issue 5): 6,000 DeSO × 10 years × 3 sexes × 5 indicators ≈ 900,000 values, read from
SCB-style JSON-stat 2.0 and stored, in ≤ 20 s. Runs in a throwaway SQLite test database
(in memory) through the real service, the same door as ``kvarter import-indicators``. The
file comes from ``tests/indicators/generated.py`` (every 37th cell suppressed, as SCB's '..').

Memory is the process's peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``),
printed before and after the import; it includes the in-memory SQLite database, whose size is
printed beside it. ``tracemalloc`` is not used: it slows the import several times over.

:func:`load_deso_table` leaves the imported table in the database, for benchmarks that read it.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import time
from dataclasses import dataclass
from typing import Any

TARGET_SECONDS = 20.0
MEASURES = tuple(f"BENCH{n:03d}" for n in range(1, 6))  # ContentsCodes of the 5 indicators
TABLE_ID = "TAB9999"


def _setup() -> tuple[Any, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvarter.settings.test")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    return connection, old_name


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _database_mb() -> float:
    from django.db import connection

    if connection.vendor != "sqlite":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        size = cursor.fetchone()[0]
    return float(pages * size / 1024 / 1024)


@dataclass
class Loaded:
    """What :func:`load_deso_table` made: the file, its import, and the area of three DeSO."""

    data: bytes
    batch: Any  # ImportBatch
    seconds: float
    cpu_seconds: float
    area: Any  # an Area made of three of the table's DeSO
    indicators: list[Any]
    municipality: Any


def deso_table_bytes(*, regions: int = 6000, years: int = 10, suppress_every: int = 37) -> bytes:
    from tests.indicators.generated import deso_benchmark_bytes

    return deso_benchmark_bytes(
        measures=MEASURES, regions=regions, years=years, suppress_every=suppress_every
    )


def ensure_bench_catalogue() -> tuple[Any, list[Any], Any]:
    """Linköping, an area made of three DeSO and the five bench indicators (idempotent)."""
    from tests.indicators.generated import deso_codes

    from kvarter.areas.models import Area, AreaStatisticalUnit, Municipality
    from kvarter.indicators.models import Indicator

    municipality, _ = Municipality.objects.get_or_create(
        code="0580", defaults={"name": "Linköping"}
    )
    area, created = Area.objects.get_or_create(
        municipality=municipality, name="Bänkområdet", defaults={"population": 4000}
    )
    if created:
        for code in deso_codes(3):
            AreaStatisticalUnit.objects.create(area=area, code=code, kind="deso")
    indicators = [
        Indicator.objects.get_or_create(
            code=f"bench-import-{n}",
            defaults={
                "name_sv": f"Bänkindikator {n}",
                "name_en": f"Bench indicator {n}",
                "unit": ("percent", "count")[n % 2],
                "direction": "higher",
                "source_kind": "scb",
                "scb_table": TABLE_ID,
                "scb_measure": measure,
            },
        )[0]
        for n, measure in enumerate(MEASURES, start=1)
    ]
    return municipality, indicators, area


def load_deso_table(
    regions: int = 6000,
    years: int = 10,
    *,
    suppress_every: int = 37,
    data: bytes | None = None,
    progress: Any = None,
) -> Loaded:
    """Import the generated DeSO table (regions × years × 3 sexes × 5 indicators) and keep it.

    Call after Django is set up with a database (e.g. inside a benchmark's test database).
    """
    from kvarter.core.actors import SYSTEM
    from kvarter.indicators.services import indicator_file_import

    municipality, indicators, area = ensure_bench_catalogue()
    if data is None:
        data = deso_table_bytes(regions=regions, years=years, suppress_every=suppress_every)
    started, cpu = time.perf_counter(), time.process_time()
    batch = indicator_file_import(
        actor=SYSTEM,
        data=data,
        file_name=f"{TABLE_ID}_deso.json",
        retrieved_on=dt.date(2025, 3, 1),
        progress=progress,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Loaded(data, batch, seconds, cpu, area, indicators, municipality)


def run() -> None:
    connection, old_name = _setup()
    try:
        started = time.perf_counter()
        data = deso_table_bytes()
        generated = time.perf_counter() - started
        before, database_before = _peak_mb(), _database_mb()
        print(
            f"indicator import: generated JSON-stat {len(data) / 1e6:.1f} MB in {generated:.1f} s "
            f"(not counted); peak RSS so far {before:.0f} MB"
        )
        loaded = load_deso_table(data=data)
        batch = loaded.batch
        values = batch.added + batch.changed + batch.skipped
        # On a busy machine the wall clock waits for other work; CPU seconds do not.
        verdict = "ok" if loaded.seconds <= TARGET_SECONDS else "OVER TARGET"
        print(
            f"indicator import: {values:,} values (6,000 DeSO × 10 years × 3 sexes × 5 "
            f"indicators) parsed and stored in {loaded.seconds:.1f} s "
            f"(target ≤ {TARGET_SECONDS:.0f} s) {verdict}, CPU {loaded.cpu_seconds:.1f} s; "
            f"added {batch.added:,}, "
            f"area values aggregated {batch.aggregated}"
        )
        peak, database = _peak_mb(), _database_mb()
        print(
            f"indicator import: peak RSS {peak:.0f} MB (ru_maxrss), +{peak - before:.0f} MB "
            f"during the import, of which the in-memory SQLite database grew "
            f"{database - database_before:.0f} MB (to {database:.0f} MB)"
        )
        again = load_deso_table(data=data)
        print(
            f"indicator import again (same file): {again.seconds:.1f} s, CPU "
            f"{again.cpu_seconds:.1f} s; skipped "
            f"{again.batch.skipped:,}, added {again.batch.added}, changed {again.batch.changed}"
        )
        one, five, _fifteen = os.getloadavg()
        print(f"indicator import: load average {one:.2f} (1 min), {five:.2f} (5 min)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    run()

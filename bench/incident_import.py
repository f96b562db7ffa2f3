"""Rate and memory of importing five years of EST report history from CSV, scan on.

Target (issue 4): 1,000,000 reports over 5 years for a 150,000-inhabitant municipality,
imported at ≥ 30,000 rows/s with the personal-data scan on. The town and the file come from
:mod:`kvarter.safety.synthetic` (seeded; the situational-picture and hot-spot benchmarks use
the same :func:`~kvarter.safety.synthetic.load_incidents`). Runs in a throwaway SQLite test
database through the real service, the same door as ``kvarter import-incidents``.

Memory is the process's peak resident set size (``ru_maxrss``), printed before and after the
import; it includes the in-memory SQLite database, whose size is printed beside it.
"""

from __future__ import annotations

import os
import sys
import time

from bench.indicator_import import _database_mb, _peak_mb, _setup

TARGET_ROWS_PER_SECOND = 30_000


def run(n: int = 1_000_000, years: int = 5) -> None:
    connection, old_name = _setup()
    try:
        from kvarter.safety.synthetic import incident_history_csv, load_incidents

        started = time.perf_counter()
        data = incident_history_csv(n, years)
        generated = time.perf_counter() - started
        before, database_before = _peak_mb(), _database_mb()
        print(
            f"incident import: generated {n:,} reports over {years} years, CSV "
            f"{len(data) / 1e6:.0f} MB in {generated:.1f} s (not counted); peak RSS so far "
            f"{before:.0f} MB"
        )
        loaded = load_incidents(n, years, data=data)
        result = loaded.result
        rate = result.rows / loaded.seconds
        verdict = "ok" if rate >= TARGET_ROWS_PER_SECOND else "UNDER TARGET"
        print(
            f"incident import: {result.rows:,} rows checked (scan on) and stored in "
            f"{loaded.seconds:.1f} s = {rate:,.0f} rows/s (target ≥ {TARGET_ROWS_PER_SECOND:,}) "
            f"{verdict}; CPU {loaded.cpu_seconds:.1f} s = {result.rows / loaded.cpu_seconds:,.0f} "
            f"rows per CPU second (the wall clock waits for other work on a busy machine); "
            f"added {result.added:,}, "
            f"skipped {result.skipped:,}"
        )
        peak, database = _peak_mb(), _database_mb()
        print(
            f"incident import: peak RSS {peak:.0f} MB (ru_maxrss), +{peak - before:.0f} MB "
            f"during the import, of which the in-memory SQLite database grew "
            f"{database - database_before:.0f} MB (to {database:.0f} MB)"
        )
        again = load_incidents(n, years, data=data)
        print(
            f"incident import again (same file): {again.seconds:.1f} s = "
            f"{again.result.rows / again.seconds:,.0f} rows/s; skipped "
            f"{again.result.skipped:,}, added {again.result.added}"
        )
        one, five, _fifteen = os.getloadavg()
        print(f"incident import: load average {one:.2f} (1 min), {five:.2f} (5 min)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

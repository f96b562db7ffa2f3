"""The weekly situational picture for one area, with five years of history loaded.

Target (issue 4, acceptance 5): with 1,000,000 reports over 5 years for a 150,000-inhabitant
municipality, the weekly picture for one area in ≤ 0.3 s. The data is Bänkstad's generated
history (:func:`kvarter.safety.synthetic.load_incidents`, the same as the import and hot-spot
benchmarks), imported through the real service into a throwaway SQLite test database.

Timed: :func:`kvarter.safety.picture.selectors.situational_picture` for the busiest area, for twelve
weeks spread over the last four years (each with its four weeks before and the same week last
year in the data), as an EST member would read it (raw counts, the reports list and the
read log) and as a reader of aggregates (suppressed, no list). Printed: the median and the
worst of each, the rows the picture read, tracemalloc's peak of one picture and the process's
peak RSS (which includes the in-memory database).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from typing import Any

from bench.indicator_import import _database_mb, _peak_mb, _setup

TARGET_SECONDS = 0.3
WEEKS = 12
ROUNDS = 3


def _weeks(first: Any, last: Any) -> list[Any]:
    """Twelve ISO weeks between a year after the first event and the last full week."""
    from kvarter.safety.picture.rules import IsoWeek

    start = IsoWeek.parse(first.date()).shifted(53)
    end = IsoWeek.parse(last.date()).shifted(-1)
    span = (end.monday - start.monday).days // 7
    return [start.shifted(round(i * span / (WEEKS - 1))) for i in range(WEEKS)]


def _time(read: Any, weeks: list[Any]) -> list[float]:
    times = []
    for week in weeks:
        best = float("inf")
        for _ in range(ROUNDS):
            started = time.perf_counter()
            read(week)
            best = min(best, time.perf_counter() - started)
        times.append(best)
    return times


def run(n: int = 1_000_000, years: int = 5) -> None:
    connection, old_name = _setup()
    try:
        from django.db.models import Count, Max, Min

        from kvarter.accounts.models import RoleAssignment, User
        from kvarter.accounts.roles import Role
        from kvarter.core.actors import SYSTEM
        from kvarter.safety.models import IncidentEvent
        from kvarter.safety.picture.selectors import situational_picture
        from kvarter.safety.synthetic import load_incidents

        started = time.perf_counter()
        loaded = load_incidents(n, years)
        municipality = loaded.municipality
        print(
            f"situational picture: {loaded.result.rows:,} reports over {years} years loaded in "
            f"{time.perf_counter() - started:.0f} s (not counted); database "
            f"{_database_mb():.0f} MB"
        )
        busiest = (
            IncidentEvent.objects.filter(area__municipality=municipality)
            .values("area")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        assert busiest is not None
        area = next(a for a in loaded.town.areas if a.pk == busiest["area"])
        span = IncidentEvent.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
        weeks = _weeks(span["first"], span["last"])
        reader = User.objects.create(username="bench-reader", organisation=None)
        RoleAssignment.objects.create(user=reader, role=Role.READER, municipality=municipality)

        def as_member(week: Any) -> Any:
            return situational_picture(
                actor=SYSTEM, municipality=municipality, week=week, areas=[area], door="bench"
            )

        def as_reader(week: Any) -> Any:
            return situational_picture(
                actor=reader, municipality=municipality, week=week, areas=[area], door="bench"
            )

        as_member(weeks[0])  # warm-up: the first read fills Django's and SQLite's caches
        sample = as_member(weeks[len(weeks) // 2])
        print(
            f"situational picture: area {area.name} ({busiest['n']:,} events in {years} years), "
            f"{WEEKS} weeks {weeks[0]} … {weeks[-1]}; e.g. {sample.week}: "
            f"{sample.total.week.text} events, {len(sample.reports or [])} listed, "
            f"{len(sample.places)} place rows"
        )
        for name, read in (("EST member (raw)", as_member), ("reader (suppressed)", as_reader)):
            times = _time(read, weeks)
            median = statistics.median(times)
            verdict = "ok" if median <= TARGET_SECONDS else "OVER TARGET"
            print(
                f"situational picture, {name}: median {median * 1000:.0f} ms, worst "
                f"{max(times) * 1000:.0f} ms over {WEEKS} weeks (best of {ROUNDS} each; "
                f"target ≤ {TARGET_SECONDS * 1000:.0f} ms) {verdict}"
            )
        tracemalloc.start()
        as_member(weeks[-1])
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"situational picture: peak memory of one picture {peak / 1e6:.1f} MB (tracemalloc); "
            f"process peak RSS {_peak_mb():.0f} MB (ru_maxrss, the in-memory database included)"
        )
        one, five, _fifteen = os.getloadavg()
        print(f"situational picture: load average {one:.2f} (1 min), {five:.2f} (5 min)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

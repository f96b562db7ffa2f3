"""Time of importing a large action plan (``kvarter import-plan``) through the real service.

Target (issue 12 item 12): 8,000 measures in ≤ 10 s. The plan is generated (seeded): 20 goal
areas, measures naming up to three of 12 areas and one or two of 8 responsible units, a status,
comment and disposition on every row, so the follow-up round is written too. Runs in a
throwaway SQLite test database; prints the first import and a re-import of the same file.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time

from bench.indicator_import import _setup

TARGET_SECONDS = 10.0
AREAS = [f"Område {i}" for i in range(1, 13)]
UNITS = ["SOF", "KLF", "UAF", "KoF", "MoS", "TK", "BoB", "Polisen"]
STATUSES = ["Genomförd", "Pågår", "Ej genomförd"]
DISPOSITIONS = ["Vidmakthållen", "Vidareutvecklad", "Utgår"]
HEADER = [
    "Nr",
    "Utvecklingsområde",
    "Åtgärd",
    "Beskrivning",
    "Område",
    "Ansvarig",
    "Finansiering och tid",
    "Status",
    "Kommentar",
    "Hantering nästa plan",
]


def plan_csv(n: int, seed: int = 12) -> bytes:
    """An action plan of ``n`` measures in the contract format."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    goal_areas = 20
    per_area = -(-n // goal_areas)
    for index in range(n):
        major, minor = index // per_area + 1, index % per_area + 1
        areas = rng.sample(AREAS, rng.randint(0, 3))
        units = rng.sample(UNITS, rng.randint(1, 2))
        writer.writerow(
            [
                f"{major}.{minor}",
                f"Utvecklingsområde {major}",
                f"Åtgärd {major}.{minor}",
                f"Beskrivning av åtgärd {major}.{minor} med några ord till.",
                ", ".join(areas),
                " och ".join(units),
                "Genomförs inom ram. 2026",
                rng.choice(STATUSES),
                f"Kommentar {index}",
                rng.choice(DISPOSITIONS),
            ]
        )
    return out.getvalue().encode("utf-8")


def run(n: int = 8_000) -> None:
    connection, old_name = _setup()
    try:
        from kvarter.accounts.models import Organisation, OrganisationKind
        from kvarter.areas.models import Area, Municipality
        from kvarter.core.actors import SYSTEM
        from kvarter.followup.importers import plan_import

        municipality = Municipality.objects.create(code="0999", name="Benchstad")
        Area.objects.bulk_create(Area(municipality=municipality, name=name) for name in AREAS)
        Organisation.objects.bulk_create(
            Organisation(
                municipality=municipality,
                name=f"Enhet {short}",
                short_name=short,
                kind=OrganisationKind.MUNICIPAL_UNIT,
            )
            for short in UNITS
        )
        data = plan_csv(n)
        for label in ("plan import", "plan import again (same file)"):
            started = time.perf_counter()
            result = plan_import(
                actor=SYSTEM,
                municipality=municipality,
                plan_name="Benchplan",
                year=2026,
                raw=data,
                filename="plan.csv",
            )
            seconds = time.perf_counter() - started
            verdict = "ok" if seconds <= TARGET_SECONDS else "OVER TARGET"
            summary = result.summary
            print(
                f"{label}: {n:,} measures in {seconds:.1f} s (target ≤ {TARGET_SECONDS:.0f} s) "
                f"{verdict}; created {len(summary.created):,}, updated {len(summary.updated):,}, "
                f"unchanged {len(summary.unchanged):,}, reports {result.reports_recorded:,}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 8_000)

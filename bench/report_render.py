"""Time of the yearly follow-up report: build the document, then PDF, Word and Excel.

Targets (issue): a plan with 60 measures in 5 goal areas and 13 indicators (quantitative goal
criteria, with values for women and men) renders as PDF in ≤ 3 s, as Word and Excel in ≤ 1 s
each. Runs in a throwaway SQLite test database.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

TARGETS = {"document": None, "pdf": 3.0, "docx": 1.0, "xlsx": 1.0}
STATUSES = ["done", "in_progress", "not_done", "", None]  # '' and None: not reported
DISPOSITIONS = ["kept", "developed", "kept", "dropped", ""]
INDICATORS = 13


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


def _build() -> Any:
    from kvarter.accounts.models import Organisation
    from kvarter.areas.models import Area
    from kvarter.core.actors import SYSTEM
    from kvarter.demo import exempelstad
    from kvarter.followup.services import round_open, status_report
    from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

    municipality = exempelstad.build()
    areas = list(Area.objects.filter(municipality=municipality))
    units = list(Organisation.objects.filter(municipality=municipality).exclude(short_name=""))
    plan = plan_create(
        actor=SYSTEM,
        municipality=municipality,
        name="Bench-plan",
        start_year=2025,
        decision_reference="KS 2024-1",
    )
    round = round_open(actor=SYSTEM, plan=plan, year=2025)
    for g in range(1, 6):
        goal_area = goal_area_ensure(
            actor=SYSTEM, plan=plan, number=g, name=f"Målområde nummer {g}"
        )
        for m in range(1, 13):
            i = (g - 1) * 12 + m
            measure = measure_create(
                actor=SYSTEM,
                plan=plan,
                data={
                    "number": f"{g}.{m}",
                    "goal_area": goal_area,
                    "title": f"Åtgärd {i}: läxhjälp och sommarjobb för unga i området",
                    "areas": areas[i % len(areas) : i % len(areas) + i % 3],
                    "responsible_units": units[i % len(units) : i % len(units) + 1],
                    "financing": "Genomförs inom ram, 2025–2026",
                    "amount": 10_000 * i,
                },
            )
            status = STATUSES[i % len(STATUSES)]
            if status is not None:
                status_report(
                    actor=SYSTEM,
                    round=round,
                    measure=measure,
                    data={
                        "status": status,
                        "comment": "Arbetet har pågått enligt plan under året. " * 3,
                        "disposition": DISPOSITIONS[i % len(DISPOSITIONS)],
                    },
                )
    _add_goals(plan, round)
    return round


def _add_goals(plan: Any, round: Any) -> None:
    """13 goals, one own-figures catalogue indicator each (targets for everyone, women and
    men), municipality values 2019–2025, and two assessed qualitative criteria per goal."""
    from decimal import Decimal

    from kvarter.core.actors import SYSTEM
    from kvarter.followup.services import criterion_assess
    from kvarter.indicators.own_values_services import own_indicator_create, own_values_set
    from kvarter.plans import goal_services as gs

    goal_areas = list(plan.goal_areas.order_by("number"))
    for i in range(INDICATORS):
        goal = gs.goal_create(
            actor=SYSTEM,
            goal_area=goal_areas[i % len(goal_areas)],
            data={"number": i // len(goal_areas) + 1, "title": f"Mål {i + 1}: fler i arbete"},
        )
        indicator = own_indicator_create(
            actor=SYSTEM,
            municipality=plan.municipality,
            data={
                "name_sv": f"Bench-indikator {i + 1}: andel förvärvsarbetande 20–64 år",
                "unit": "percent",
                "direction": "higher",
                "by_sex": True,
            },
        )
        own_values_set(
            actor=SYSTEM,
            indicator=indicator,
            municipality=plan.municipality,
            values=[
                (year, sex, Decimal(50 + offset + (year - 2019) * (i % 4)))
                for year in range(2019, 2026)
                for sex, offset in (("T", 0), ("K", -4), ("M", 4))
            ],
        )
        gs.quantitative_criterion_create(
            actor=SYSTEM,
            goal=goal,
            data={
                "indicator": indicator,
                "baseline_year": 2022,
                "target_year": 2026,
                "target_value": Decimal(60),
                "target_value_women": Decimal(58),
                "target_value_men": Decimal(62),
            },
        )
        for text in ("Samverkan med Arbetsförmedlingen finns.", "Unga deltar i planeringen."):
            criterion = gs.qualitative_criterion_create(
                actor=SYSTEM, goal=goal, data={"text": text}
            )
            criterion_assess(
                actor=SYSTEM, round=round, criterion=criterion, assessment="partly_met"
            )


def _time(fn: Callable[[], Any]) -> tuple[float, float]:
    """Seconds of the first run and the median of three further runs."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return first, statistics.median(runs)


def run() -> None:
    connection, old_name = _setup()
    try:
        from kvarter.core.actors import SYSTEM
        from kvarter.followup.documents.report import followup_document
        from kvarter.reports.render.docx import render_docx
        from kvarter.reports.render.pdf import render_pdf
        from kvarter.reports.render.xlsx import render_xlsx

        round = _build()
        doc = followup_document(round, user=SYSTEM)
        steps: dict[str, Callable[[], Any]] = {
            "document": lambda: followup_document(round, user=SYSTEM),
            "pdf": lambda: render_pdf(doc),
            "docx": lambda: render_docx(doc),
            "xlsx": lambda: render_xlsx(doc),
        }
        for name, step in steps.items():
            first, median = _time(step)
            target = TARGETS[name]
            verdict = "" if target is None else (" ok" if median <= target else " OVER TARGET")
            limit = "" if target is None else f" (target ≤ {target:.0f} s)"
            print(
                f"follow-up report {name}: 60 measures, 5 goal areas, {INDICATORS} indicators: "
                f"first {first:.2f} s, "
                f"median of 3 {median:.2f} s{limit}{verdict}"
            )
        # Other work on the machine slows every figure; the load average tells how much.
        one, five, _fifteen = os.getloadavg()
        print(f"follow-up report: load average {one:.2f} (1 min), {five:.2f} (5 min)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

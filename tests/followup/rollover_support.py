"""A small plan with decisions, for the roll-over and lineage tests (built through services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.factories import AreaFactory, IndicatorFactory, MunicipalityFactory, OrganisationFactory

from kvarter.core.actors import SYSTEM
from kvarter.core.services import model_update
from kvarter.followup.models import FollowUpRound
from kvarter.followup.services import round_close, round_open, status_report
from kvarter.plans.goal_services import (
    goal_area_set_vision,
    goal_create,
    qualitative_criterion_create,
    quantitative_criterion_create,
    vision_create,
)
from kvarter.plans.models import Measure, Plan
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

# goal area number → measure numbers
NUMBERS = {1: ["1.1", "1.2", "1.3", "1.4", "1.5"], 2: ["2.1", "2.2", "2.3"]}


def build_plan(
    *, name: str = "Handlingsplan 2025", start: int = 2025, end: int = 2025
) -> dict[str, Any]:
    municipality = MunicipalityFactory()
    north = AreaFactory(municipality=municipality, name="Norr")
    south = AreaFactory(municipality=municipality, name="Söder")
    sof = OrganisationFactory(municipality=municipality, short_name="SOF")
    klf = OrganisationFactory(municipality=municipality, short_name="KLF")
    plan = plan_create(
        actor=SYSTEM, municipality=municipality, name=name, start_year=start, end_year=end
    )
    goal_areas = {
        1: goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name="Trygghet"),
        2: goal_area_ensure(actor=SYSTEM, plan=plan, number=2, name="Arbete"),
    }
    measures: dict[str, Measure] = {}
    for major, numbers in NUMBERS.items():
        for index, number in enumerate(numbers):
            measures[number] = measure_create(
                actor=SYSTEM,
                plan=plan,
                data={
                    "goal_area": goal_areas[major],
                    "number": number,
                    "title": f"Åtgärd {number}",
                    "description": f"Beskrivning av {number}.",
                    "areas": [north] if index % 2 == 0 else [south],
                    "responsible_text": "SOF och KLF",
                    "responsible_units": [sof, klf] if index == 0 else [sof],
                    "partners": "Föreningen Framåt",
                    "financing": "Genomförs inom ram",
                    "amount": 100_000 * (index + 1),
                    "start_date": dt.date(start, 1, 1),
                    "end_date": dt.date(end, 12, 31),
                    "extra": {"Kostnadsställe": f"K{number}"},
                },
            )
    round_ = round_open(actor=SYSTEM, plan=plan, year=end)
    return {
        "municipality": municipality,
        "north": north,
        "south": south,
        "sof": sof,
        "klf": klf,
        "plan": plan,
        "goal_areas": goal_areas,
        "measures": measures,
        "round": round_,
    }


def decide(
    round_: FollowUpRound, measures: dict[str, Measure], decisions: dict[str, Any]
) -> FollowUpRound:
    """Report each decision ('kept', ('merged', '1.1'), 'dropped' …) and close the round."""
    for number, decision in decisions.items():
        data: dict[str, Any] = {"status": "in_progress"}
        if isinstance(decision, tuple):
            data |= {"disposition": decision[0], "merged_into": measures[decision[1]]}
        else:
            data["disposition"] = decision
        status_report(actor=SYSTEM, round=round_, measure=measures[number], data=data)
    return round_close(actor=SYSTEM, round=round_)


def add_goals(s: dict[str, Any]) -> dict[str, Any]:
    """A vision on goal area 1, two goals with criteria, and measures 1.1, 1.2, 2.1 linked."""
    municipality, ga1, ga2 = s["municipality"], s["goal_areas"][1], s["goal_areas"][2]
    vision = vision_create(actor=SYSTEM, municipality=municipality, title="Attraktivt")
    goal_area_set_vision(actor=SYSTEM, goal_area=ga1, vision=vision)
    safety = goal_create(
        actor=SYSTEM, goal_area=ga1, data={"number": 1, "title": "Ökad trygghet"}
    )
    work = goal_create(
        actor=SYSTEM, goal_area=ga2, data={"number": 1, "title": "Fler i arbete"}
    )
    indicator = IndicatorFactory(code="forvarvsfrekvens-rollover", name_sv="Förvärvsfrekvens")
    quantitative = quantitative_criterion_create(
        actor=SYSTEM,
        goal=work,
        data={
            "indicator": indicator,
            "area": s["north"],
            "baseline_year": 2022,
            "target_year": 2026,
            "target_value": Decimal("70.5"),
            "target_value_women": Decimal("68"),
        },
    )
    qualitative = qualitative_criterion_create(
        actor=SYSTEM, goal=safety, data={"text": "De boende känner sig tryggare."}
    )
    for number, goals in (("1.1", [safety]), ("1.2", [safety]), ("2.1", [work])):
        model_update(
            instance=s["measures"][number],
            fields=["goals"],
            data={"goals": goals},
            actor=SYSTEM,
        )
    return {
        "vision": vision,
        "safety": safety,
        "work": work,
        "indicator": indicator,
        "quantitative": quantitative,
        "qualitative": qualitative,
    }


def plan_named(name: str) -> Plan:
    return Plan.objects.get(name=name)

"""Exempelstad's goals: a vision, goals per goal area and their criteria on catalogue indicators.

A criterion names a starter-catalogue indicator where one measures the same thing
(förvärvsfrekvens, långvarigt ekonomiskt bistånd, behörighet, trångboddhet, trygghet,
attraktivitet). When the demo's catalogue values are already there for the criterion's place
in the baseline year, the criterion reads them and its targets are set as the demo's planned
change from that baseline (so the goals stay plausible whatever the values are). Otherwise —
and always for the figures no catalogue source has (skadegörelse per 1 000, förskola, fritid)
— it reads an indicator of the municipality's own figures with invented but plausible values:
a baseline in 2022, yearly values up to 2025 (the latest published year for some is 2024, as
with real statistics), women and men apart where the demo sets targets for them. Built through
the services, like the rest of the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.followup.models import Assessment, FollowUpRound
from kvarter.followup.services import criterion_assess
from kvarter.indicators.models import Indicator, IndicatorValue, SourceKind
from kvarter.indicators.own_values_selectors import place_filter
from kvarter.indicators.own_values_services import own_indicator_create, own_values_set
from kvarter.plans.goal_services import (
    goal_area_set_vision,
    goal_create,
    qualitative_criterion_create,
    quantitative_criterion_create,
    vision_create,
)
from kvarter.plans.models import Direction, Measure, Plan, QualitativeCriterion
from kvarter.plans.services import measure_update

VISION = (
    "Alla stadsdelar i Exempelstad är trygga och attraktiva att bo, arbeta och växa upp i",
    "Kommunens övergripande mål för områdesutvecklingen, antaget av kommunfullmäktige 2023.",
)
BASELINE_YEAR, TARGET_YEAR = 2022, 2026
FIRST_YEAR = 2019


@dataclass(frozen=True)
class DemoCriterion:
    indicator: str
    unit: str
    direction: str
    # Baseline values (2022) and yearly change afterwards, for T, K and M.
    baseline: dict[str, float]
    slope: dict[str, float]
    target: Decimal | None
    target_women: Decimal | None = None
    target_men: Decimal | None = None
    area: str = ""  # where the target is set; empty: the whole municipality
    last_year: int = 2025
    catalogue: str = ""  # the starter catalogue's code for the same measure, if any


@dataclass(frozen=True)
class DemoGoal:
    title: str
    quantitative: list[DemoCriterion] = field(default_factory=list)
    qualitative: list[str] = field(default_factory=list)
    measures: tuple[int, ...] = ()  # minor numbers of the goal area's measures serving it


def _c(indicator: str, unit: str, direction: str, **kwargs: object) -> DemoCriterion:
    return DemoCriterion(indicator, unit, direction, **kwargs)  # type: ignore[arg-type]


UP, DOWN = Direction.INCREASE, Direction.DECREASE
PCT = "percent"
PER_1000 = "per_1000"
D = Decimal

GOALS: dict[int, list[DemoGoal]] = {
    1: [
        DemoGoal(
            "Ökad upplevd trygghet",
            [
                _c(
                    "Andel som känner sig trygga utomhus på kvällen",
                    PCT,
                    UP,
                    baseline={"T": 58.0, "K": 49.0, "M": 67.0},
                    slope={"T": 3.2, "K": 3.4, "M": 1.8},
                    target=D("70"),
                    target_women=D("65"),
                    target_men=D("75"),
                    catalogue="trygghet-utomhus-kvall",
                )
            ],
            [
                "Lägesbilden från EST används varje vecka av polis, kommun och bostadsbolag.",
                "Boende deltar i trygghetsvandringar i varje område minst två gånger per år.",
            ],
            (1, 4),
        ),
        DemoGoal(
            "Minskad skadegörelse",
            [
                _c(
                    "Anmälda skadegörelsebrott per 1 000 invånare",
                    PER_1000,
                    DOWN,
                    baseline={"T": 18.4},
                    slope={"T": -0.7},
                    target=D("13"),
                    last_year=2024,
                )
            ],
            [],
            (2, 3),
        ),
    ],
    2: [
        DemoGoal(
            "Ökad sysselsättning",
            [
                _c(
                    "Förvärvsfrekvens 20–64 år",
                    PCT,
                    UP,
                    baseline={"T": 58.2, "K": 52.1, "M": 64.0},
                    slope={"T": 1.9, "K": 2.6, "M": 1.1},
                    target=D("65"),
                    target_women=D("62"),
                    target_men=D("68"),
                    area="Norrby",
                    last_year=2024,
                    catalogue="forvarvsfrekvens-20-64",
                )
            ],
            ["Arbetsförmedlingen och kommunen har en gemensam kontaktpunkt i Norrby."],
            (1, 2, 3),
        ),
        DemoGoal(
            "Minskat långvarigt ekonomiskt bistånd",
            [
                _c(
                    "Andel invånare med långvarigt ekonomiskt bistånd",
                    PCT,
                    DOWN,
                    baseline={"T": 6.8},
                    slope={"T": -0.2},
                    target=D("5.0"),
                    last_year=2024,
                    catalogue="ekonomiskt-bistand-langvarigt",
                )
            ],
            [],
            (4,),
        ),
    ],
    3: [
        DemoGoal(
            "Fler elever behöriga till gymnasiet",
            [
                _c(
                    "Andel elever i årskurs 9 behöriga till yrkesprogram",
                    PCT,
                    UP,
                    baseline={"T": 71.0, "K": 74.0, "M": 68.0},
                    slope={"T": 2.4, "K": 2.0, "M": 2.9},
                    target=D("80"),
                    target_women=D("82"),
                    target_men=D("78"),
                    catalogue="behorighet-yrkesprogram",
                )
            ],
            ["Varje skola i området har en plan för läxhjälp och lovskola."],
            (1, 2),
        ),
        DemoGoal(
            "Stärkt språkutveckling i förskoleåldern",
            [
                _c(
                    "Andel barn 1–5 år inskrivna i förskola",
                    PCT,
                    UP,
                    baseline={"T": 84.0},
                    slope={"T": 3.0},
                    target=D("92"),
                )
            ],
            ["Språkombud finns på varje förskola i området."],
            (3,),
        ),
    ],
    4: [
        DemoGoal(
            "Fler unga i organiserad fritid",
            [
                _c(
                    "Andel 7–20 år aktiva i föreningslivet",
                    PCT,
                    UP,
                    baseline={"T": 41.0, "K": 33.0, "M": 48.0},
                    slope={"T": 1.5, "K": 2.9, "M": 0.3},
                    target=None,
                    target_women=D("45"),
                    target_men=D("52"),
                )
            ],
            [
                "Mötesplatsen har öppet alla helger under skolåret.",
                "Unga är med och planerar sommarlovets aktiviteter.",
            ],
            (1, 2, 3),
        ),
    ],
    5: [
        DemoGoal(
            "Minskad trångboddhet",
            [
                _c(
                    "Andel trångbodda enligt norm 2",
                    PCT,
                    DOWN,
                    baseline={"T": 28.5},
                    slope={"T": -0.6},
                    target=D("24"),
                    last_year=2024,
                    catalogue="trangboddhet",
                )
            ],
            [],
            (1,),
        ),
        DemoGoal(
            "Fler trivs i sitt bostadsområde",
            [
                _c(
                    "Andel nöjda med sitt bostadsområde",
                    PCT,
                    UP,
                    baseline={"T": 72.0, "K": 70.0, "M": 74.0},
                    slope={"T": 2.1, "K": 2.5, "M": 1.6},
                    target=D("80"),
                    catalogue="attraktivitet",
                )
            ],
            ["Utemiljön vid Norrby centrum är upprustad tillsammans med de boende."],
            (2, 3),
        ),
    ],
}

# How the qualitative criteria are assessed in the closed rounds: 2024 mostly partly met.
ASSESSMENT_WEIGHTS = {
    2024: [(Assessment.MET, 0.2), (Assessment.PARTLY_MET, 0.6), (Assessment.NOT_MET, 0.2)],
    2025: [(Assessment.MET, 0.5), (Assessment.PARTLY_MET, 0.4), (Assessment.NOT_MET, 0.1)],
}
MOTIVATIONS = {
    Assessment.MET: "Uppfyllt enligt samordningsgruppens genomgång.",
    Assessment.PARTLY_MET: "Delvis uppfyllt; arbetet är igång men inte i alla områden.",
    Assessment.NOT_MET: "Ej uppfyllt; resurser saknades under året.",
}


def build_goals(plan: Plan, municipality: Municipality, rng: random.Random) -> None:
    """The vision, goals and criteria of the demo plan; measures linked to goals."""
    # Visions and own-figures indicators outlive a plan: reuse them.
    vision = municipality.visions.filter(title=VISION[0]).first() or vision_create(
        actor=SYSTEM, municipality=municipality, title=VISION[0], description=VISION[1]
    )
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    measures = {m.number: m for m in plan.measures.prefetch_related("goals")}
    for goal_area in plan.goal_areas.order_by("number"):
        goal_area_set_vision(actor=SYSTEM, goal_area=goal_area, vision=vision)
        for number, demo in enumerate(GOALS[goal_area.number], start=1):
            goal = goal_create(
                actor=SYSTEM,
                goal_area=goal_area,
                data={"number": number, "title": demo.title},
            )
            for position, criterion in enumerate(demo.quantitative, start=1):
                area = areas.get(criterion.area)
                indicator, targets = _indicator_and_targets(criterion, municipality, area, rng)
                quantitative_criterion_create(
                    actor=SYSTEM,
                    goal=goal,
                    data={
                        "position": position,
                        "indicator": indicator,
                        "area": area,
                        "direction": criterion.direction,
                        "baseline_year": BASELINE_YEAR,
                        "target_year": TARGET_YEAR,
                        **targets,
                    },
                )
            for text in demo.qualitative:
                qualitative_criterion_create(actor=SYSTEM, goal=goal, data={"text": text})
            for minor in demo.measures:
                measure = measures[f"{goal_area.number}.{minor}"]
                _link(measure, goal)


TARGET_FIELDS = {"T": "target_value", "K": "target_value_women", "M": "target_value_men"}


def _targets(criterion: DemoCriterion) -> dict[str, Decimal | None]:
    return {
        "target_value": criterion.target,
        "target_value_women": criterion.target_women,
        "target_value_men": criterion.target_men,
    }


def _indicator_and_targets(
    criterion: DemoCriterion, municipality: Municipality, area: Area | None, rng: random.Random
) -> tuple[Indicator, dict[str, Decimal | None]]:
    """The catalogue indicator when its values are there at the place, with the demo's planned
    change from the real baseline as targets; else an own-figures indicator with demo values."""
    catalogue = Indicator.objects.filter(code=criterion.catalogue).first()
    if catalogue is not None:
        baselines = dict(
            IndicatorValue.objects.filter(indicator=catalogue, period=str(BASELINE_YEAR))
            .filter(place_filter(municipality, area), value__isnull=False)
            .values_list("sex", "value")
        )
        planned = _targets(criterion)
        wanted = {sex for sex, field_name in TARGET_FIELDS.items() if planned[field_name]}
        if wanted <= set(baselines):
            targets: dict[str, Decimal | None] = dict.fromkeys(TARGET_FIELDS.values())
            for sex in wanted:
                change = planned[TARGET_FIELDS[sex]] - Decimal(  # type: ignore[operator]
                    str(criterion.baseline.get(sex, criterion.baseline["T"]))
                )
                start = Decimal(repr(baselines[sex]))
                targets[TARGET_FIELDS[sex]] = (start + change).quantize(Decimal("0.1"))
            return catalogue, targets
    return _own_indicator(criterion, municipality, area, rng), _targets(criterion)


def _own_indicator(
    criterion: DemoCriterion, municipality: Municipality, area: Area | None, rng: random.Random
) -> Indicator:
    by_sex = any(sex != "T" for sex in criterion.baseline)
    indicator = Indicator.objects.filter(
        source_kind=SourceKind.OWN, name_sv=criterion.indicator
    ).first() or own_indicator_create(
        actor=SYSTEM,
        municipality=municipality,
        data={
            "name_sv": criterion.indicator,
            "unit": criterion.unit,
            "direction": "higher" if criterion.direction == UP else "lower",
            "by_sex": by_sex,
            "definition": "Demodata: påhittade värden för Exempelstad.",
        },
    )
    own_values_set(
        actor=SYSTEM,
        indicator=indicator,
        municipality=municipality,
        area=area,
        values=_demo_values(criterion, rng),
    )
    return indicator


def _link(measure: Measure, goal: object) -> None:
    goals = [*measure.goals.all(), goal]
    measure_update(actor=SYSTEM, measure=measure, data={"goals": goals})


def _demo_values(
    criterion: DemoCriterion, rng: random.Random
) -> list[tuple[int, str, Decimal | None]]:
    values: list[tuple[int, str, Decimal | None]] = []
    for sex, baseline in criterion.baseline.items():
        slope = criterion.slope[sex]
        for year in range(FIRST_YEAR, criterion.last_year + 1):
            # Flat before the baseline, then the trend, with a little noise every year.
            trend = slope * max(0, year - BASELINE_YEAR) + 0.3 * min(0, year - BASELINE_YEAR)
            noise = 0.0 if year == BASELINE_YEAR else rng.uniform(-0.8, 0.8)
            values.append((year, sex, Decimal(str(round(baseline + trend + noise, 1)))))
    return values


def assess_round(round: FollowUpRound, rng: random.Random) -> None:
    """Assess every qualitative criterion of the plan in ``round`` (a closed year's round)."""
    weights = ASSESSMENT_WEIGHTS[round.year]
    criteria = QualitativeCriterion.objects.filter(goal__goal_area__plan=round.plan).order_by(
        "goal__goal_area__number", "goal__number", "letter"
    )
    for criterion in criteria:
        choice = rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
        criterion_assess(
            actor=SYSTEM,
            round=round,
            criterion=criterion,
            assessment=choice,
            motivation=MOTIVATIONS[choice],
        )

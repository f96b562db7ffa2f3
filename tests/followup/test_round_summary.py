"""A round's counts: round_summary, round_progress, visible_measures and latest_round."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests.factories import MunicipalityFactory, UserFactory

from kvarter.accounts.models import Organisation
from kvarter.accounts.roles import Role
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.followup.models import RoundKind
from kvarter.followup.selectors import (
    latest_round,
    round_progress,
    round_summary,
    visible_measures,
)
from kvarter.followup.services import round_open, status_report
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

GOAL_AREAS = {1: "Fler i arbete", 2: "Utbildning", 3: "Trygghet"}
# number: (areas, units, status or None for no report at all, disposition, merged into)
MEASURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None, str, str]] = {
    "1.1": (("Norrby",), ("SOF",), "done", "kept", ""),
    "1.2": (("Västerdal",), ("UAF",), "in_progress", "developed", ""),
    "1.3": ((), ("KLF",), "not_done", "dropped", ""),
    "1.4": (("Åsen",), ("SOF",), None, "", ""),
    "2.1": (("Västerdal",), ("UAF",), "done", "merged", "2.3"),
    "2.2": (("Norrby", "Västerdal"), ("UAF",), "", "", ""),  # a comment but no status yet
    "2.3": ((), ("UAF", "KoF"), "in_progress", "kept", ""),
    "3.1": (("Västerdal",), ("Polisen",), "done", "dropped", ""),
    "3.2": (("Västerdal",), ("KoF",), "not_done", "", ""),
    "3.10": (("Norrby",), ("SOF",), "done", "kept", ""),
}

ALL_TOTAL = {"done": 4, "in_progress": 2, "not_done": 2, "not_reported": 2}
ALL_GOAL_AREAS = [
    {
        "number": 1,
        "name": "Fler i arbete",
        "counts": {"done": 1, "in_progress": 1, "not_done": 1, "not_reported": 1},
    },
    {
        "number": 2,
        "name": "Utbildning",
        "counts": {"done": 1, "in_progress": 1, "not_done": 0, "not_reported": 1},
    },
    {
        "number": 3,
        "name": "Trygghet",
        "counts": {"done": 2, "in_progress": 0, "not_done": 1, "not_reported": 0},
    },
]
ALL_DISPOSITIONS = {"kept": 3, "developed": 1, "merged": 1, "dropped": 2}


def build_followup_plan(municipality) -> SimpleNamespace:
    """Exempelstad's plan 2025 with ten measures in three goal areas and a mixed 2025 round."""
    plan = plan_create(
        actor=SYSTEM,
        municipality=municipality,
        name="Åtgärdsplan 2025",
        start_year=2025,
        decision_reference="KS 2024-754",
    )
    goal_areas = {
        n: goal_area_ensure(actor=SYSTEM, plan=plan, number=n, name=name)
        for n, name in GOAL_AREAS.items()
    }
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    units = {u.short_name: u for u in Organisation.objects.filter(municipality=municipality)}
    measures = {}
    for number, (area_names, unit_names, _status, _disposition, _into) in MEASURES.items():
        measures[number] = measure_create(
            actor=SYSTEM,
            plan=plan,
            data={
                "number": number,
                "goal_area": goal_areas[int(number.split(".")[0])],
                "title": f"Åtgärd {number}",
                "areas": [areas[name] for name in area_names],
                "responsible_units": [units[name] for name in unit_names],
                "financing": "Genomförs inom ram",
                "amount": 125_000 if number == "1.1" else None,
            },
        )
    round = round_open(actor=SYSTEM, plan=plan, year=2025)
    for number, (_areas, _units, status, disposition, into) in MEASURES.items():
        if status is None:
            continue
        status_report(
            actor=SYSTEM,
            round=round,
            measure=measures[number],
            data={
                "status": status,
                "comment": f"Kommentar till {number}",
                "disposition": disposition,
                "merged_into": measures[into] if into else None,
            },
        )
    return SimpleNamespace(plan=plan, round=round, measures=measures, areas=areas, units=units)


@pytest.fixture
def followup(demo):
    return build_followup_plan(demo)


def test_round_summary__everything__counts_per_status_goal_area_and_disposition(followup):
    summary = round_summary(followup.round, visible_measures(SYSTEM, followup.plan))
    assert summary == {
        "total": ALL_TOTAL,
        "goal_areas": ALL_GOAL_AREAS,
        "dispositions": ALL_DISPOSITIONS,
    }


def test_round_summary__other_round__every_measure_not_reported(followup):
    dr1 = round_open(actor=SYSTEM, plan=followup.plan, year=2025, kind=RoundKind.DR1)
    summary = round_summary(dr1, visible_measures(SYSTEM, followup.plan))
    assert summary["total"] == {"done": 0, "in_progress": 0, "not_done": 0, "not_reported": 10}
    assert summary["dispositions"] == {"kept": 0, "developed": 0, "merged": 0, "dropped": 0}


def test_round_summary__area_coordinator__own_areas_and_whole_municipality_only(
    followup, demo_users
):
    measures = visible_measures(demo_users["samordnare"], followup.plan)  # Norrby and Åsen
    assert [m.number for m in measures] == ["1.1", "1.3", "1.4", "2.2", "2.3", "3.10"]
    summary = round_summary(followup.round, measures)
    assert summary["total"] == {"done": 2, "in_progress": 1, "not_done": 1, "not_reported": 2}
    assert [g["counts"] for g in summary["goal_areas"]] == [
        {"done": 1, "in_progress": 0, "not_done": 1, "not_reported": 1},
        {"done": 0, "in_progress": 1, "not_done": 0, "not_reported": 1},
        {"done": 1, "in_progress": 0, "not_done": 0, "not_reported": 0},
    ]
    assert summary["dispositions"] == {"kept": 3, "developed": 0, "merged": 0, "dropped": 1}


def test_visible_measures__area_filter__that_area_and_whole_municipality(followup):
    measures = visible_measures(SYSTEM, followup.plan, area=followup.areas["Västerdal"])
    assert [m.number for m in measures] == ["1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2"]
    summary = round_summary(followup.round, measures)
    assert summary["total"] == {"done": 2, "in_progress": 2, "not_done": 2, "not_reported": 1}


def test_round_summary__unit_filter__only_its_measures_and_goal_areas(followup):
    measures = visible_measures(SYSTEM, followup.plan, unit=followup.units["UAF"])
    summary = round_summary(followup.round, measures)
    assert summary["total"] == {"done": 1, "in_progress": 2, "not_done": 0, "not_reported": 1}
    assert [g["number"] for g in summary["goal_areas"]] == [1, 2]


def test_visible_measures__user_of_another_municipality__not_found_or_forbidden(followup):
    outsider = UserFactory.create_with_role(Role.STRATEGIST, MunicipalityFactory())
    with pytest.raises(NotFoundOrForbidden):
        visible_measures(outsider, followup.plan)


def test_round_progress__per_unit__unreported_first(followup):
    progress = round_progress(followup.round, visible_measures(SYSTEM, followup.plan))
    rows = {p["unit"].short_name: (p["total"], p["reported"], p["not_reported"]) for p in progress}
    assert rows == {
        "SOF": (3, 2, 1),
        "UAF": (4, 3, 1),
        "KLF": (1, 1, 0),
        "KoF": (2, 2, 0),
        "Polisen": (1, 1, 0),
    }
    assert {p["unit"].short_name for p in progress[:2]} == {"SOF", "UAF"}


def test_latest_round__yearly_and_interim__latest_year_yearly_first(followup):
    assert latest_round(followup.plan) == followup.round
    round_open(actor=SYSTEM, plan=followup.plan, year=2025, kind=RoundKind.DR2)
    assert latest_round(followup.plan) == followup.round
    newer = round_open(actor=SYSTEM, plan=followup.plan, year=2026, kind=RoundKind.DR1)
    assert latest_round(followup.plan) == newer

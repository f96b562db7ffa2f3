"""Differencing attacks on the situational picture across weeks (decision 6, item 3).

A reader of aggregates opens the picture of every week of 60 weeks of data. The four-week mean
once was exact beside a hidden '< 3', so ``count[w] = count[w-4] + 4·(mean[w+1] − mean[w])``
gave every hidden weekly count away. Here an attacker collects every figure of every picture
(week, four-week mean, same week last year; rows total, category, area, place) as linear
equations and bounds, and asks an integer program for the least and the greatest value of each
hidden weekly figure: none may be pinned to one value."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.safety.picture.rules import IsoWeek
from kvarter.safety.picture.selectors import situational_picture

pytestmark = pytest.mark.django_db
T = 3
WEEKS = 60
FIRST = IsoWeek(2025, 1)
COUNTS = [0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 7]


@pytest.fixture
def history():
    rng = random.Random(60)
    municipality = MunicipalityFactory()
    areas = [AreaFactory(municipality=municipality) for _ in range(2)]
    categories = [IncidentCategoryFactory(municipality=municipality) for _ in range(2)]
    organisation = OrganisationFactory(municipality=municipality)
    truth: dict[tuple[IsoWeek, int, int], int] = {}
    for k in range(WEEKS):
        week = FIRST.shifted(k)
        for a, area in enumerate(areas):
            for c, category in enumerate(categories):
                n = rng.choice(COUNTS)
                truth[(week, a, c)] = n
                for i in range(n):
                    IncidentEventFactory(
                        area=area,
                        category=category,
                        place=None,
                        report__organisation=organisation,
                        occurred_at=week.start + dt.timedelta(hours=9 + i),
                    )
    reader = UserFactory.create_with_role(Role.READER, municipality)
    return municipality, areas, categories, reader, truth


def _rows(picture, areas, categories):
    """(row's cells as (area index, category index), the row) for every row of a picture."""
    everything = [(a, c) for a in range(len(areas)) for c in range(len(categories))]
    index_a = {area.pk: a for a, area in enumerate(areas)}
    index_c = {category.pk: c for c, category in enumerate(categories)}
    by_name = {area.name: a for a, area in enumerate(areas)}
    yield everything, picture.total
    for row in picture.categories:
        yield [(a, index_c[row.key]) for a in range(len(areas))], row
    for row in picture.by_area:
        yield [(index_a[row.key], c) for c in range(len(categories))], row
    for row in picture.places:
        yield [(by_name[row.area], c) for c in range(len(categories))], row


def test_picture__no_hidden_weekly_count_recovered_by_differencing_across_weeks(
    history,
) -> None:
    municipality, areas, categories, reader, truth = history
    variables: dict[tuple[IsoWeek, int, int], int] = {}
    equations: list[tuple[dict[int, int], float, float]] = []
    hidden_figures: list[dict[int, int]] = []
    week_text: dict[tuple[IsoWeek, str], tuple[int | None, str]] = {}
    mean_text: dict[IsoWeek, float | None] = {}

    def figure(weeks, cells):
        row: dict[int, int] = defaultdict(int)
        for week in weeks:
            for a, c in cells:
                row[variables.setdefault((week, a, c), len(variables))] += 1
        return row

    for k in range(WEEKS):
        week = FIRST.shifted(k)
        picture = situational_picture(actor=reader, municipality=municipality, week=str(week))
        previous = [week.shifted(-j) for j in range(1, 5)]
        for cells, row in _rows(picture, areas, categories):
            for shown, weeks, scale, own in (
                (row.week, [week], 1, True),
                (row.mean, previous, 4, False),
                (row.last_year, [week.same_week_last_year()], 1, False),
            ):
                terms = figure(weeks, cells)
                if shown.value is not None:
                    value = round(shown.value * scale)
                    assert value == sum(truth.get((w, a, c), 0) for w in weeks for a, c in cells)
                    equations.append((terms, value, value))
                elif shown.hidden == "small" and own:
                    equations.append((terms, 0, T - 1))
                elif shown.hidden == "secondary" and scale == 1:
                    equations.append((terms, T, np.inf))
                if own and shown.value is None:
                    hidden_figures.append(terms)
            if row is picture.total:
                week_text[(week, "total")] = (row.week.value, row.week.text)
                mean_text[week] = row.mean.value

    # The published attack, spelt out: it needs an exact mean on both sides of a hidden week.
    for k in range(4, WEEKS - 1):
        week = FIRST.shifted(k)
        hidden = week_text[(week, "total")][0] is None
        if hidden and week_text[(week.shifted(-4), "total")][0] is not None:
            assert mean_text[week.shifted(1)] is None or mean_text[week] is None

    n = len(variables)
    matrix = np.zeros((len(equations), n))
    low = np.zeros(len(equations))
    high = np.zeros(len(equations))
    for i, (terms, lo, hi) in enumerate(equations):
        for j, coefficient in terms.items():
            matrix[i, j] = coefficient
        low[i], high[i] = lo, hi
    constraints = LinearConstraint(matrix, low, high)
    integral = np.ones(n)
    assert hidden_figures, "the data must hide something"
    pinned = []
    for terms in hidden_figures:
        goal = np.zeros(n)
        for j, coefficient in terms.items():
            goal[j] = coefficient
        least = milp(goal, constraints=constraints, integrality=integral, bounds=Bounds(0, 50))
        most = milp(-goal, constraints=constraints, integrality=integral, bounds=Bounds(0, 50))
        assert least.status == 0 and most.status == 0
        if round(least.fun) == round(-most.fun):
            pinned.append(terms)
    assert pinned == []

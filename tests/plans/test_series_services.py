"""Setting many values of a series at once: permissions, all or nothing, stale grids."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.plans.goal_setup import ROLES, goal_world_fixture  # noqa: F401 - the fixture goal_world

from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.plans.goal_selectors import series_fingerprint
from kvarter.plans.models import SeriesValue
from kvarter.plans.series_services import series_values_set

pytestmark = pytest.mark.django_db

MAY_SET = {"admin": True, "strateg": True}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_series_values_set__every_role__even_nothing_needs_the_right(goal_world, role):
    w = goal_world
    user = w["users"][role]
    if MAY_SET.get(role):
        series_values_set(acting_user=user, series=w["series"], values=[])
    else:
        with pytest.raises(PermissionDenied):
            series_values_set(acting_user=user, series=w["series"], values=[])


def test_series_values_set__stale_state__refused_and_nothing_written(goal_world):
    w = goal_world
    state = series_fingerprint(w["series"])
    series_values_set(acting_user=SYSTEM, series=w["series"], values=[(2023, "T", Decimal(53))])
    assert series_fingerprint(w["series"]) != state
    with pytest.raises(StaleVersion):
        series_values_set(
            acting_user=SYSTEM,
            series=w["series"],
            values=[(2025, "T", Decimal(58))],
            expected_state=state,
        )
    assert not SeriesValue.objects.filter(year=2025).exists()


def test_series_values_set__one_bad_value__none_written(goal_world):
    w = goal_world
    with pytest.raises(ValidationError):
        series_values_set(
            acting_user=SYSTEM,
            series=w["series"],
            values=[(2025, "T", Decimal(58)), (1800, "T", Decimal(1))],
        )
    assert not SeriesValue.objects.filter(year=2025).exists()

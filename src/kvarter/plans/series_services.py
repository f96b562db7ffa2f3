"""Setting many values of an indicator series at once: the values grid and the API.

All values are set or none; a grid read earlier carries the fingerprint of the values it showed
(:func:`kvarter.plans.goal_selectors.series_fingerprint`) and is refused when someone has
changed the series' values since.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.plans.goal_selectors import series_fingerprint
from kvarter.plans.goal_services import series_value_set
from kvarter.plans.models import IndicatorSeries


@transaction.atomic
def series_values_set(
    *,
    acting_user: Any,
    series: IndicatorSeries,
    values: Iterable[tuple[int, str, Decimal | None]],
    expected_state: str | None = None,
) -> IndicatorSeries:
    """Set each (year, sex, value); a value of None removes that year's value for that sex."""
    if not resolver_for(acting_user).can_change_plans_of(series.municipality_id):
        raise PermissionDenied()
    # Lock the series so that two grids saved at once are checked one after the other.
    locked = IndicatorSeries.objects.select_for_update().get(pk=series.pk)
    if expected_state is not None and expected_state != series_fingerprint(locked):
        raise StaleVersion()
    for year, sex, value in values:
        series_value_set(acting_user=acting_user, series=locked, year=year, sex=sex, value=value)
    return locked

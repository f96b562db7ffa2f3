"""One area locator for filing (a point at a time) and import (a whole file at once)."""

from __future__ import annotations

import numpy as np

from kvarter.safety.geo import AreaLocator

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[15.0, 59.0], [15.01, 59.0], [15.01, 59.01], [15.0, 59.01], [15.0, 59.0]]],
}
# Overlaps the square's eastern half: there the first area by id wins in both lookups.
EAST = {
    "type": "Polygon",
    "coordinates": [
        [[15.005, 59.0], [15.02, 59.0], [15.02, 59.01], [15.005, 59.01], [15.005, 59.0]]
    ],
}


def test_areas_at__same_answer_as_area_at_for_every_point() -> None:
    locator = AreaLocator.from_boundaries([(7, EAST), (3, SQUARE), (9, None)])
    rng = np.random.default_rng(4)
    lons = rng.uniform(14.995, 15.025, 2_000)
    lats = rng.uniform(58.995, 59.015, 2_000)

    vectorised = locator.areas_at(lons, lats)

    one_by_one = [locator.area_at(lon, lat) or -1 for lon, lat in zip(lons, lats, strict=True)]
    assert vectorised.tolist() == one_by_one
    assert {3, 7, -1} <= set(one_by_one)
    assert 9 not in one_by_one  # an area without a boundary is never found by position

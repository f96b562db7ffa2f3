"""Hot spots: Gi* equals PySAL esda's to 1e-9, FDR keeps noise quiet, the database read is right.

esda and libpysal are the reference only (dev dependencies). Their weights are built here from
h3's string API, independently of ``neighbour_matrix``.
"""

from __future__ import annotations

import datetime
import json
import warnings
from collections import Counter

import h3
import numpy as np
import pytest
from shapely.geometry import shape
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    MunicipalityFactory,
    PlaceFactory,
)

from kvarter.areas.geometry import validate_geojson_geometry
from kvarter.safety.models import EstSettings
from kvarter.safety.picture import hotspot_stats
from kvarter.safety.picture.hotspot_stats import (
    MIN_CELLS,
    NotEnoughData,
    benjamini_hochberg,
    cell_counts,
    classify,
    getis_ord_gi_star,
    neighbour_matrix,
    randomisation_p_values,
    study_region,
)
from kvarter.safety.picture.hotspots import hotspots_for, hotspots_from_counts, hotspots_geojson

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

LINKOPING = (58.4108, 15.6214)
RESOLUTION = 9


def _to_ints(cells: list[str]) -> np.ndarray:
    return np.array(sorted(h3.str_to_int(c) for c in cells), dtype=np.uint64)


def _region(seed: int, *, radius: int = 12, keep: float = 0.75, centre: str | None = None):
    """A ragged region: a random part of a disk, so many cells sit at an edge or alone."""
    rng = np.random.default_rng(seed)
    centre = centre or h3.latlng_to_cell(*LINKOPING, RESOLUTION)
    disk = sorted(h3.grid_disk(centre, radius))
    chosen = [cell for cell in disk if rng.random() < keep]
    return _to_ints(chosen), rng


def _esda(cells: np.ndarray, y: np.ndarray, *, self_in_lists: bool):
    ids = [h3.int_to_str(int(c)) for c in cells]
    present = set(ids)
    neighbours = {
        cell: [n for n in h3.grid_disk(cell, 1) if n in present and (self_in_lists or n != cell)]
        for cell in ids
    }
    weights = {cell: [1.0] * len(cells_) for cell, cells_ in neighbours.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands in the ragged region
        w = libpysal.weights.W(neighbours, weights, id_order=ids, silence_warnings=True)
        return esda.G_Local(y, w, star=True, transform="B", permutations=0)


@pytest.mark.parametrize("self_in_lists", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5, 6, 7])
def test_gi_star__equals_esda_g_local__to_1e_9(seed: int, self_in_lists: bool) -> None:
    cells, rng = _region(seed)
    # Noise of varying strength with a cluster somewhere: sparse and dense counts both.
    y = rng.poisson(rng.uniform(0.3, 6.0), cells.size).astype(float)
    y[rng.integers(0, cells.size, 5)] += rng.integers(5, 40, 5)

    ours = getis_ord_gi_star(cells, y)
    reference = _esda(cells, y, self_in_lists=self_in_lists)

    np.testing.assert_allclose(ours.z, reference.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.p_one_sided, reference.p_norm, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.p, np.minimum(2 * reference.p_norm, 1), rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.g, reference.Gs, rtol=0, atol=1e-12)
    # The region really has edge cells (fewer than six neighbours) and full ones.
    cardinality = np.asarray(neighbour_matrix(cells).sum(axis=1)).ravel()
    assert cardinality.min() < 7 and cardinality.max() == 7


def test_gi_star__around_a_pentagon__equals_esda() -> None:
    pentagon = sorted(h3.get_pentagons(RESOLUTION))[3]
    cells, rng = _region(11, radius=6, keep=1.0, centre=pentagon)
    y = rng.poisson(2.0, cells.size).astype(float)
    ours = getis_ord_gi_star(cells, y)
    reference = _esda(cells, y, self_in_lists=False)
    np.testing.assert_allclose(ours.z, reference.Zs, rtol=0, atol=1e-9)
    row = int(np.searchsorted(cells, h3.str_to_int(pentagon)))
    assert neighbour_matrix(cells)[row].sum() == 6  # a pentagon and its five neighbours


def _grid_disk_matrix(cells: np.ndarray) -> np.ndarray:
    ids = [h3.int_to_str(int(c)) for c in cells]
    position = {cell: i for i, cell in enumerate(ids)}
    expected = np.zeros((len(ids), len(ids)))
    for cell in ids:
        for neighbour in h3.grid_disk(cell, 1):
            if neighbour in position:
                expected[position[cell], position[neighbour]] = 1
    return expected


# Linköping and Kiruna lie in base cell 4, whose pentagon is off the Norwegian coast (64.7 N,
# 10.5 E); (58.0, 10.0) straddles base cells 4 and 15; the last two are 0.2° and 1° from it.
PLACES = [LINKOPING, (67.85, 20.23), (58.0, 10.0), (55.0, 5.0), (64.9, 10.5), (65.7, 10.5)]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("resolution", [8, 9, 10])
def test_neighbour_matrix__same_as_h3_grid_disk_in_the_region(place, resolution) -> None:
    centre = h3.latlng_to_cell(*place, resolution)
    rng = np.random.default_rng(resolution)
    cells = _to_ints([c for c in h3.grid_disk(centre, 15) if rng.random() < 0.6])
    matrix = neighbour_matrix(cells).toarray()
    np.testing.assert_array_equal(matrix, _grid_disk_matrix(cells))
    assert (np.diag(matrix) == 1).all() and (matrix == matrix.T).all()


@pytest.mark.parametrize("place", PLACES)
def test_local_ij_pairs__where_used__exactly_grid_disk_without_the_spot_check(
    place, monkeypatch
) -> None:
    monkeypatch.setattr(hotspot_stats, "_agrees_with_grid_disk", lambda *args: True)
    cells = _to_ints(h3.grid_disk(h3.latlng_to_cell(*place, RESOLUTION), 40))
    pairs = hotspot_stats._pairs_by_local_ij(cells)
    assert pairs is not None
    found = np.zeros((cells.size, cells.size))
    found[pairs] = 1
    exact = hotspot_stats._pairs_by_grid_disk(cells)
    expected = np.zeros_like(found)
    expected[exact] = 1
    np.testing.assert_array_equal(found, expected)


def test_neighbour_matrix__scattered_region__same_as_h3_grid_disk() -> None:
    # Two districts 30 km apart: the IJ box is far larger than the region (a sorted search).
    first = h3.grid_disk(h3.latlng_to_cell(*LINKOPING, RESOLUTION), 6)
    second = h3.grid_disk(h3.latlng_to_cell(58.59, 16.18, RESOLUTION), 6)
    cells = _to_ints(first + second)
    assert hotspot_stats._pairs_by_local_ij(cells) is not None
    matrix = neighbour_matrix(cells).toarray()
    np.testing.assert_array_equal(matrix, _grid_disk_matrix(cells))


def test_local_ij_pairs__around_a_pentagon__not_used() -> None:
    pentagon = min(h3.get_pentagons(RESOLUTION), key=lambda p: abs(h3.cell_to_latlng(p)[0] - 64.7))
    assert h3.get_base_cell_number(pentagon) == 4  # off the Norwegian coast
    cells = _to_ints(h3.grid_disk(h3.grid_ring(pentagon, 5)[0], 10))
    assert hotspot_stats._pairs_by_local_ij(cells) is None
    np.testing.assert_array_equal(neighbour_matrix(cells).toarray(), _grid_disk_matrix(cells))


def test_local_ij_pairs__a_wrong_pair__caught_by_the_spot_check() -> None:
    cells = _to_ints(h3.grid_disk(h3.latlng_to_cell(*LINKOPING, RESOLUTION), 20))
    rows, columns = hotspot_stats._pairs_by_local_ij(cells)
    assert hotspot_stats._agrees_with_grid_disk(cells, rows, columns)
    wrong = columns.copy()
    first = np.flatnonzero(rows == 0)[1]
    wrong[first] = (wrong[first] + 7) % cells.size
    assert not hotspot_stats._agrees_with_grid_disk(cells, rows, wrong)


def test_cell_counts__same_as_counting_one_by_one_and_skips_missing() -> None:
    rng = np.random.default_rng(4)
    lat = LINKOPING[0] + rng.normal(0, 0.01, 2000)
    lon = LINKOPING[1] + rng.normal(0, 0.02, 2000)
    lat[::97] = np.nan
    cells, counts = cell_counts((lat, lon), RESOLUTION)
    expected = Counter(
        h3.latlng_to_cell(a, b, RESOLUTION)
        for a, b in zip(lat, lon, strict=True)
        if not np.isnan(a)
    )
    assert {h3.int_to_str(int(c)): int(n) for c, n in zip(cells, counts, strict=True)} == expected
    assert (np.diff(cells.astype(np.float64)) > 0).all()


def test_benjamini_hochberg__equals_the_textbook_step_up() -> None:
    rng = np.random.default_rng(9)
    p = np.concatenate([rng.uniform(size=300), rng.uniform(0, 0.001, 20)])
    m = p.size
    order = np.argsort(p)
    expected = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        expected[i] = running
    np.testing.assert_allclose(benjamini_hochberg(p), expected, rtol=1e-12)


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_classify__pure_noise__raw_p_finds_about_5_percent_fdr_none(seed: int) -> None:
    centre = h3.latlng_to_cell(*LINKOPING, RESOLUTION)
    cells = _to_ints(h3.grid_disk(centre, 35))  # 3,781 cells
    rng = np.random.default_rng(seed)
    y = rng.poisson(4.0, cells.size).astype(float)

    gi = getis_ord_gi_star(cells, y)
    raw = float((gi.p < 0.05).mean())
    result = classify(gi.z, gi.p)

    assert cells.size > 3000
    assert 0.03 <= raw <= 0.07, raw  # uncorrected: about one cell in twenty 'significant'
    assert (result.label != "none").sum() <= 1  # corrected: (close to) none
    assert (result.q >= gi.p - 1e-15).all()


@pytest.mark.parametrize("seed", [7, 8, 9, 10, 11])
def test_classify__planted_cluster__hot_after_fdr(seed: int) -> None:
    centre = h3.latlng_to_cell(*LINKOPING, RESOLUTION)
    cells = _to_ints(h3.grid_disk(centre, 30))
    rng = np.random.default_rng(seed)
    y = rng.poisson(2.0, cells.size).astype(float)
    hub = h3.grid_disk(h3.grid_ring(centre, 12)[0], 1)
    hub_rows = np.searchsorted(cells, _to_ints(hub))
    y[hub_rows] += rng.poisson(8.0, len(hub))

    gi = getis_ord_gi_star(cells, y)
    result = classify(gi.z, gi.p)

    hub_centre = np.searchsorted(cells, h3.str_to_int(hub[0]))
    assert result.label[hub_centre] == "hot" and result.bin[hub_centre] == 3
    assert int(np.argmax(gi.z)) == hub_centre
    assert (result.label[hub_rows] == "hot").all()
    assert (result.label != "cold").all()
    # Most hot cells are the cluster and its edge. (A few chance hot cells elsewhere happen:
    # Gi*'s normal approximation is generous in the upper tail of sparse counts.)
    hot = [h3.int_to_str(int(c)) for c in cells[result.label == "hot"]]
    near = sum(h3.grid_distance(cell, hub[0]) <= 2 for cell in hot)
    assert near >= 0.7 * len(hot)


def _noise(radius: int, rate: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    cells = _to_ints(h3.grid_disk(h3.latlng_to_cell(*LINKOPING, RESOLUTION), radius))
    return cells, np.random.default_rng(seed).poisson(rate, cells.size).astype(float)


@pytest.mark.parametrize("seed", [21, 22, 23])
@pytest.mark.parametrize("rate", [0.05, 0.3])
def test_randomisation_p__sparse_noise__normal_p_finds_chance_spots_randomisation_none(
    rate: float, seed: int
) -> None:
    cells, y = _noise(35, rate, seed)
    weights = neighbour_matrix(cells)
    gi = getis_ord_gi_star(cells, y, weights=weights)

    normal = classify(gi.z, gi.p)
    exact = classify(gi.z, randomisation_p_values(y, weights))

    # A week's sparse counts: the normal tail is too generous even after the FDR correction.
    assert (normal.label == "hot").sum() >= 3
    assert (exact.label != "none").sum() == 0


def test_randomisation_p__equals_a_seeded_monte_carlo_of_the_same_null() -> None:
    cells, y = _noise(20, 0.8, 5)
    weights = neighbour_matrix(cells)
    p = randomisation_p_values(y, weights)
    rng = np.random.default_rng(20261130)
    sums = np.asarray(weights @ y).ravel()
    size = np.asarray(weights.sum(axis=1)).ravel().astype(int)
    for row in [0, 5, int(np.argmax(sums)), int(np.argmin(sums)), cells.size // 2]:
        draws = rng.choice(y, size=(200_000, size[row]), replace=True).sum(axis=1)
        simulated = min(1.0, 2 * min((draws >= sums[row]).mean(), (draws <= sums[row]).mean()))
        assert abs(p[row] - simulated) < 0.01, (row, p[row], simulated)


def test_randomisation_p__planted_sparse_cluster__still_hot() -> None:
    centre = h3.latlng_to_cell(*LINKOPING, RESOLUTION)
    cells, y = _noise(35, 0.3, 7)
    hub = h3.grid_disk(h3.grid_ring(centre, 12)[0], 1)
    hub_rows = np.searchsorted(cells, _to_ints(hub))
    y[hub_rows] += np.array([3, 2, 4, 3, 2, 3, 4])
    weights = neighbour_matrix(cells)
    gi = getis_ord_gi_star(cells, y, weights=weights)
    result = classify(gi.z, randomisation_p_values(y, weights))
    hot = set(np.flatnonzero(result.label == "hot").tolist())
    assert hot and hot <= set(hub_rows.tolist())
    assert int(np.searchsorted(cells, h3.str_to_int(hub[0]))) in hot


def test_randomisation_p__not_counts__refused() -> None:
    cells, y = _noise(5, 2.0, 1)
    with pytest.raises(ValueError, match="counts"):
        randomisation_p_values(y + 0.5, neighbour_matrix(cells))


def test_study_region__boundary_cells_and_observed_cells_and_fallback_ring() -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[15.0, 59.0], [15.02, 59.0], [15.02, 59.02], [15.0, 59.02], [15.0, 59.0]]],
    }
    outside = h3.str_to_int(h3.latlng_to_cell(59.1, 15.3, RESOLUTION))
    region = study_region(np.array([outside], dtype=np.uint64), RESOLUTION, boundaries=[square])
    inside = set(h3.geo_to_cells(square, RESOLUTION))
    assert {h3.int_to_str(int(c)) for c in region} == inside | {h3.int_to_str(outside)}

    ring = study_region(np.array([outside], dtype=np.uint64), RESOLUTION)
    assert ring.size == 19  # the cell and two rings around it


@pytest.mark.parametrize(
    ("size", "value"),
    [(MIN_CELLS - 1, None), (100, 0.0), (100, 3.0)],
    ids=["too-few-cells", "nothing-happened", "no-variation"],
)
def test_gi_star__not_enough_data__refused(size: int, value: float | None) -> None:
    cells, rng = _region(1, radius=10, keep=1.0)
    cells = cells[:size]
    y = rng.poisson(2.0, size).astype(float) if value is None else np.full(size, value)
    with pytest.raises(NotEnoughData) as caught:
        getis_ord_gi_star(cells, y)
    assert caught.value.code == "hotspots_not_enough_data"


def test_hotspots_from_counts__few_events__not_enough_data() -> None:
    cells, counts = cell_counts(([59.005] * 5, [15.005] * 5), RESOLUTION)
    with pytest.raises(NotEnoughData):
        hotspots_from_counts(cells, counts, RESOLUTION)


# --- the database read ------------------------------------------------------------------------

BIG_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[15.0, 59.0], [15.05, 59.0], [15.05, 59.03], [15.0, 59.03], [15.0, 59.0]]],
}
WEEK = (datetime.date(2026, 11, 16), datetime.date(2026, 11, 23))


def _at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def town(db):
    municipality = MunicipalityFactory()
    EstSettings.objects.create(municipality=municipality, h3_resolution=RESOLUTION)
    area = AreaFactory(municipality=municipality, boundary=BIG_SQUARE)
    other_area = AreaFactory(municipality=municipality, boundary=None)
    category = IncidentCategoryFactory(municipality=municipality)
    other_category = IncidentCategoryFactory(municipality=municipality)
    return municipality, area, other_area, category, other_category


def _event(area, category, lat, lon, when, state="approved", **extra):
    report = IncidentReportFactory(
        municipality=area.municipality, submitted_at=when, review_state=state
    )
    return IncidentEventFactory(
        report=report,
        area=area,
        category=category,
        occurred_at=when,
        latitude=lat,
        longitude=lon,
        **extra,
    )


def test_hotspots_for__reads_only_approved_events_in_period_area_and_categories(town) -> None:
    municipality, area, other_area, category, other_category = town
    rng = np.random.default_rng(3)
    counted = []
    for i in range(25):  # a cluster at the square's middle
        lat, lon = 59.015 + rng.normal(0, 0.0004), 15.025 + rng.normal(0, 0.0008)
        counted.append((lat, lon))
        _event(area, category, lat, lon, _at(16 + i % 7, i % 24))
    for _ in range(15):  # scattered
        lat, lon = rng.uniform(59.001, 59.029), rng.uniform(15.001, 15.049)
        counted.append((lat, lon))
        _event(area, category, lat, lon, _at(18))
    place = PlaceFactory(area=area, latitude=59.002, longitude=15.002)
    _event(area, category, None, None, _at(19), place=place)  # the place's position
    counted.append((59.002, 15.002))
    # Monday 00:30 local time is in the week although it is Sunday in UTC.
    _event(
        area, category, 59.02, 15.01, datetime.datetime(2026, 11, 15, 23, 30, tzinfo=datetime.UTC)
    )
    counted.append((59.02, 15.01))
    # Not counted: awaiting review, rejected, before and after the week, another area or
    # category, without any position.
    far = (59.028, 15.048)
    _event(area, category, *far, _at(17), state="pending")
    _event(area, category, *far, _at(17), state="rejected")
    _event(area, category, *far, _at(15, 22))  # Sunday 23:00 local: the week before
    _event(area, category, *far, datetime.datetime(2026, 11, 22, 23, 30, tzinfo=datetime.UTC))
    _event(other_area, category, *far, _at(17))
    _event(area, other_category, *far, _at(17))
    _event(area, category, None, None, _at(17))

    result = hotspots_for(municipality, *WEEK, categories=[category], areas=[area])

    expected = Counter(h3.latlng_to_cell(lat, lon, RESOLUTION) for lat, lon in counted)
    assert {c.h3: c.count for c in result if c.count} == expected
    inside = set(h3.geo_to_cells(BIG_SQUARE, RESOLUTION))
    assert {c.h3 for c in result} == inside | set(expected)
    hottest = result[0]
    assert hottest.classification == "hot"
    assert hottest.h3 in {h3.latlng_to_cell(59.015, 15.025, RESOLUTION)} | set(
        h3.grid_disk(h3.latlng_to_cell(59.015, 15.025, RESOLUTION), 1)
    )
    assert all(c.classification != "hot" or c.z > 0 for c in result)
    exact = hotspots_for(
        municipality, *WEEK, categories=[category], areas=[area], p_values="randomisation"
    )
    assert [(c.h3, c.count, c.z) for c in exact] == [(c.h3, c.count, c.z) for c in result]
    # One busy cell with quiet neighbours: the normal p calls it hot; under randomisation any
    # neighbourhood holding that cell would be as extreme, so it is not significant.
    assert exact[0].p > result[0].p and all(0 <= c.p <= 1 for c in exact)


def test_hotspots_for__empty_week__not_enough_data(town) -> None:
    municipality, area, _other, category, _other_category = town
    _event(area, category, 59.01, 15.01, _at(10))
    with pytest.raises(NotEnoughData):
        hotspots_for(municipality, *WEEK)


def test_hotspots_geojson__valid_feature_collection_with_suppression() -> None:
    centre = h3.latlng_to_cell(*LINKOPING, RESOLUTION)
    cells = _to_ints(h3.grid_disk(centre, 6))
    rng = np.random.default_rng(2)
    counts = rng.poisson(1.5, cells.size)
    counts[0] = 2
    counted = counts > 0
    result = hotspots_from_counts(cells[counted], counts[counted], RESOLUTION)

    collection = json.loads(json.dumps(hotspots_geojson(result, smallest_count_shown=3)))

    assert collection["type"] == "FeatureCollection"
    region = study_region(cells[counted], RESOLUTION)
    assert len(collection["features"]) == len(result) == region.size
    assert {f["properties"]["h3"] for f in collection["features"]} == {
        h3.int_to_str(int(c)) for c in region
    }
    for feature, cell in zip(collection["features"], result, strict=True):
        geometry = feature["geometry"]
        validate_geojson_geometry(geometry)
        ring = geometry["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 7
        polygon = shape(geometry)
        assert polygon.exterior.is_ccw  # RFC 7946 right-hand rule
        lon, lat = polygon.centroid.x, polygon.centroid.y
        assert h3.latlng_to_cell(lat, lon, RESOLUTION) == feature["properties"]["h3"]
        properties = feature["properties"]
        assert properties["class"] in {"hot", "cold", "none"}
        if cell.count < 3:  # zero included (decision 6)
            assert properties["count"] is None and properties["count_suppressed"]
        else:
            assert properties["count"] == cell.count

"""Hot spots on H3 cells: Getis-Ord Gi* with a false-discovery-rate correction, without Django.

The steps, each a plain function over NumPy arrays:

1. ``cell_counts``: points (latitude, longitude) → the H3 cells they fall in and how many each.
2. ``study_region``: the cells the statistic runs over. Gi* compares every cell with the mean
   of all cells, so the cells where nothing happened must be in it as zeros — with only the
   cells that had events every cell is compared with other busy cells and the picture is
   meaningless. The region is every cell whose centre lies inside the areas' boundaries (the
   places the operational group is responsible for), plus every cell with an event (an event
   just outside a drawn boundary still counts). Without any boundary it falls back to the
   cells with events and the cells within ``FALLBACK_RING`` steps of them.
3. ``neighbour_matrix``: binary weights, built once as a sparse matrix: a cell and the six
   cells around it (H3 ``grid_disk(cell, 1)``, the cell itself included — the 'star' of Gi*),
   restricted to the region. Cells at the region's edge simply have fewer neighbours. The
   neighbours come from H3's local IJ coordinates in one vectorised lookup, five times faster
   than a ``grid_disk`` call per cell; near a pentagon (Sweden's base cell 4 has one off the
   Norwegian coast) or if a spot check disagrees, it uses ``grid_disk`` per cell.
4. ``getis_ord_gi_star``: z-scores and normal p-values, the same numbers as PySAL's
   ``esda.G_Local(y, w, star=True, transform='B')`` (its ``Zs`` and ``p_norm``).
5. ``classify``: Benjamini–Hochberg false discovery rate over all cells of the region on the
   two-sided p-values; hot (z > 0) or cold (z < 0) where the adjusted q is below 0.05, and
   confidence bins like ArcGIS's ``Gi_Bin`` (±3, ±2, ±1 for q < 0.01, 0.05, 0.10).

Without the correction about one cell in twenty would come out 'hot' or 'cold' at p < 0.05
on pure noise; with it, noise gives (almost always) none.

Cells are H3 indexes as unsigned 64-bit integers (sorted, unique); ``h3.int_to_str`` gives the
hexadecimal id that maps and GeoJSON show.

p-values: the normal ones (esda's ``p_norm``, doubled for two sides) are the default. With
sparse counts — a week's reports over hundreds of cells, mostly 0 and 1 — the normal
approximation is too generous in the upper tail: on pure noise of 0.3 events per cell the
FDR-corrected normal p-values still mark 5–11 of 3,781 cells hot (and 8–20 at 0.05 events per
cell). ``randomisation_p_values`` gives the exact tail probability of each neighbourhood's sum
under randomisation instead (no random numbers, so no seed); on the same noise it marks none,
and a planted cluster is still found. The price: a single busy cell with quiet neighbours is
not significant under randomisation (any neighbourhood holding that cell would be as extreme),
where the normal p-value calls it hot. Permutation p-values (esda's ``p_sim``) are not offered:
with FDR over thousands of cells they would need hundreds of thousands of permutations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import h3
import numpy as np
from h3.api import basic_int as h3int
from numpy.typing import ArrayLike, NDArray
from scipy import signal, sparse
from scipy.special import ndtr
from scipy.stats import false_discovery_control

# Fewer cells than this and Gi*'s normal approximation means little (ArcGIS asks for 30 too).
MIN_CELLS = 30
# Fewer events than this in the whole region and any 'cluster' is a handful of reports.
MIN_EVENTS = 20
# Significance of the false-discovery-rate-adjusted p-value (q) for hot and cold.
ALPHA = 0.05
# q thresholds of the confidence bins 3, 2, 1 (99, 95, 90 %), as ArcGIS's Gi_Bin.
BIN_LEVELS = (0.01, 0.05, 0.10)
# Without boundaries: the region is the cells with events and the cells this many steps away.
FALLBACK_RING = 2

Cells = NDArray[np.uint64]


class NotEnoughData(ValueError):
    """Too few cells or events, or no variation: Gi* would only show noise. ``code`` is stable."""

    code = "hotspots_not_enough_data"

    def __init__(self, message: str, *, cells: int, events: int) -> None:
        super().__init__(message)
        self.cells = cells
        self.events = events


def cell_counts(points: tuple[ArrayLike, ArrayLike], resolution: int) -> tuple[Cells, NDArray]:
    """The H3 cells (sorted) that the points (latitudes, longitudes) fall in, and their counts.

    Points with a missing coordinate (NaN) are left out. h3 has no array version of
    ``latlng_to_cell``; its integer API over ``map`` takes about 0.6 s per million points.
    """
    latitudes = np.asarray(points[0], dtype=np.float64).ravel()
    longitudes = np.asarray(points[1], dtype=np.float64).ravel()
    if latitudes.shape != longitudes.shape:
        raise ValueError("latitudes and longitudes differ in length")
    whole = np.isfinite(latitudes) & np.isfinite(longitudes)
    if not whole.all():
        latitudes, longitudes = latitudes[whole], longitudes[whole]
    indexes = np.fromiter(
        map(h3int.latlng_to_cell, latitudes.tolist(), longitudes.tolist(), repeat(resolution)),
        dtype=np.uint64,
        count=latitudes.size,
    )
    cells, counts = np.unique(indexes, return_counts=True)
    return cells, counts.astype(np.int64)


def study_region(
    observed: ArrayLike,
    resolution: int,
    *,
    boundaries: Iterable[Mapping[str, Any] | None] = (),
    ring: int = FALLBACK_RING,
) -> Cells:
    """The cells Gi* runs over (sorted): inside the boundaries plus the observed cells.

    ``boundaries`` are GeoJSON Polygons or MultiPolygons in WGS 84 (longitude, latitude); a
    cell is inside when its centre is. Without boundaries: the observed cells and every cell
    within ``ring`` steps of one.
    """
    observed_cells = np.asarray(observed, dtype=np.uint64).ravel()
    parts: list[Cells] = [observed_cells]
    drawn = [b for b in boundaries if b]
    for boundary in drawn:
        inside = h3int.geo_to_cells(dict(boundary), resolution)
        parts.append(np.fromiter(inside, dtype=np.uint64, count=len(inside)))
    if not drawn and ring > 0:
        disks = [h3int.grid_disk(cell, ring) for cell in observed_cells.tolist()]
        parts.append(np.fromiter(chain.from_iterable(disks), dtype=np.uint64))
    return np.unique(np.concatenate(parts))


def values_on(region: Cells, cells: Cells, counts: ArrayLike) -> NDArray[np.float64]:
    """The counts laid out on the region's cells (zeros where nothing happened).

    Every counted cell must be in the region (``study_region`` includes the observed cells).
    """
    values = np.zeros(region.size, dtype=np.float64)
    positions = np.searchsorted(region, cells)
    if cells.size and (positions.max() >= region.size or (region[positions] != cells).any()):
        raise ValueError("a counted cell is outside the study region")
    values[positions] = np.asarray(counts, dtype=np.float64)
    return values


def neighbour_matrix(cells: Cells) -> sparse.csr_matrix:
    """Binary weights: row i has a 1 for cell i itself and each of its H3 neighbours in ``cells``.

    ``cells`` must be sorted and unique (as ``study_region`` gives them). The neighbours are
    those of ``grid_disk(cell, 1)``, found without a call per neighbour: every cell gets its
    local IJ coordinates (one h3 call per cell), and the six neighbours are the six IJ steps,
    looked up in one vectorised search. Where local IJ is not safe — a conversion fails, a
    pentagon is near, or a spot check against ``grid_disk`` disagrees — it takes one
    ``grid_disk`` call per cell instead (five times slower, same matrix).
    """
    if cells.size == 0:
        return sparse.csr_matrix((0, 0), dtype=np.float64)
    pairs = _pairs_by_local_ij(cells)
    if pairs is None:
        pairs = _pairs_by_grid_disk(cells)
    rows, columns = pairs
    data = np.ones(rows.size, dtype=np.float64)
    return sparse.csr_matrix((data, (rows, columns)), shape=(cells.size, cells.size))


# The cell itself and its six neighbours as steps in H3's local IJ coordinates.
_IJ_STEPS = ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1))
_SPOT_CHECKS = 64
# A lookup grid over the region's IJ box when the box holds at most this many cells per cell.
_DENSE_BOX_FACTOR = 16


def _pairs_by_grid_disk(cells: Cells) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(row, column) of every cell and neighbour, by one ``grid_disk`` call per cell."""
    n = cells.size
    disks = [h3int.grid_disk(cell, 1) for cell in cells.tolist()]
    lengths = np.fromiter(map(len, disks), dtype=np.int64, count=n)
    neighbours = np.fromiter(chain.from_iterable(disks), dtype=np.uint64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    columns = np.searchsorted(cells, neighbours)
    inside = columns < n
    inside[inside] = cells[columns[inside]] == neighbours[inside]
    return rows[inside], columns[inside].astype(np.int64)


def _pairs_by_local_ij(cells: Cells) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """(row, column) pairs from local IJ coordinates, or None where those are not safe."""
    n = cells.size
    origin = int(cells[n // 2])
    resolution = h3int.get_resolution(origin)
    try:
        flat = chain.from_iterable(map(h3int.cell_to_local_ij, repeat(origin), cells.tolist()))
        ij = np.fromiter(flat, dtype=np.int64, count=2 * n).reshape(n, 2)
    except h3.H3BaseException:
        return None
    low, high = ij.min(axis=0) - 2, ij.max(axis=0) + 2
    for pentagon in h3int.get_pentagons(resolution):
        try:
            where = np.asarray(h3int.cell_to_local_ij(origin, pentagon))
        except h3.H3BaseException:
            continue  # beyond reach of the origin: not near the region
        if ((where >= low) & (where <= high)).all():
            return None
    span = int(high[1] - low[1]) + 1
    keys = (ij[:, 0] - low[0]) * span + (ij[:, 1] - low[1])
    box = int(high[0] - low[0] + 1) * span
    if box <= _DENSE_BOX_FACTOR * n:  # compact region: a grid over the IJ box
        grid = np.full(box, -1, dtype=np.int64)
        grid[keys] = np.arange(n, dtype=np.int64)

        def columns_at(target: NDArray[np.int64]) -> NDArray[np.int64]:
            return grid[target]

    else:  # scattered region: a search among the sorted keys
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]

        def columns_at(target: NDArray[np.int64]) -> NDArray[np.int64]:
            positions = np.minimum(np.searchsorted(sorted_keys, target), n - 1)
            return np.where(sorted_keys[positions] == target, order[positions], -1)

    rows_parts, column_parts = [], []
    for di, dj in _IJ_STEPS:
        columns = columns_at(keys + (di * span + dj))
        found = np.flatnonzero(columns >= 0)
        rows_parts.append(found)
        column_parts.append(columns[found])
    rows, columns = np.concatenate(rows_parts), np.concatenate(column_parts)
    if not _agrees_with_grid_disk(cells, rows, columns):
        return None
    return rows, columns


def _agrees_with_grid_disk(cells: Cells, rows: NDArray, columns: NDArray) -> bool:
    """Spot check: the pairs of up to ``_SPOT_CHECKS`` evenly spread cells equal grid_disk's."""
    n = cells.size
    checked = np.unique(np.linspace(0, n - 1, _SPOT_CHECKS).astype(np.int64))
    disks = [h3int.grid_disk(cell, 1) for cell in cells[checked].tolist()]
    lengths = np.fromiter(map(len, disks), dtype=np.int64, count=checked.size)
    neighbours = np.fromiter(chain.from_iterable(disks), dtype=np.uint64, count=int(lengths.sum()))
    positions = np.minimum(np.searchsorted(cells, neighbours), n - 1)
    inside = cells[positions] == neighbours
    expected = np.sort(np.repeat(checked, lengths)[inside] * n + positions[inside])
    chosen = np.isin(rows, checked)
    found = np.sort(rows[chosen] * n + columns[chosen])
    return bool(np.array_equal(found, expected))


@dataclass(frozen=True)
class GiStar:
    """Gi* per cell: the statistic, its expectation and variance, z and the normal p-values."""

    g: NDArray[np.float64]
    expected: NDArray[np.float64]
    variance: NDArray[np.float64]
    z: NDArray[np.float64]
    p_one_sided: NDArray[np.float64]  # P(Z ≥ |z|): esda's p_norm
    p: NDArray[np.float64]  # two-sided, 2·P(Z ≥ |z|): the one the FDR correction uses


def getis_ord_gi_star(
    cells: Cells, values: ArrayLike, *, weights: sparse.spmatrix | None = None
) -> GiStar:
    """Getis-Ord Gi* with binary weights including the cell itself (Getis & Ord 1992, Ord &
    Getis 1995), in esda's form so that the numbers are the same as
    ``esda.G_Local(values, w, star=True, transform='B')``:

        G*_i = Σ_j w_ij y_j / Σ_j y_j                   (w_ii = 1)
        E[G*_i] = W_i / n                               W_i = Σ_j w_ij
        Var[G*_i] = W_i (n − W_i) / (n − 1) / n² · s² / ȳ²
        ȳ = Σ y / n,  s² = Σ y² / n − ȳ²                (population variance, as esda)
        z_i = (G*_i − E[G*_i]) / √Var[G*_i]

    ``weights`` defaults to ``neighbour_matrix(cells)``; a given matrix must have the diagonal
    set. Raises ``NotEnoughData`` when fewer than ``MIN_CELLS`` cells, a zero total or no
    variation make the statistic meaningless.
    """
    y = np.asarray(values, dtype=np.float64).ravel()
    n = y.size
    total = y.sum()
    if n < MIN_CELLS or total <= 0 or np.all(y == y[0]):
        raise NotEnoughData(
            f"För lite data för heta punkter: {n} rutor och {total:g} händelser (minst "
            f"{MIN_CELLS} rutor med olika antal behövs). / Not enough data for hot spots: "
            f"{n} cells and {total:g} events (at least {MIN_CELLS} cells with differing "
            "counts are needed).",
            cells=n,
            events=int(total),
        )
    w = neighbour_matrix(np.asarray(cells, dtype=np.uint64)) if weights is None else weights
    w = sparse.csr_matrix(w)
    if w.shape != (n, n):
        raise ValueError("weights and values differ in size")

    statistic = (w @ y) / total
    mean = total / n
    mean_of_squares = (y**2).sum() / n
    variance_of_values = mean_of_squares - mean**2
    cardinality = np.asarray(w.sum(axis=1)).ravel()
    expected = cardinality / n
    variance = cardinality * (n - cardinality)
    variance /= n - 1
    variance *= 1 / n**2
    variance *= variance_of_values / mean**2
    z = (statistic - expected) / np.sqrt(variance)
    p_one_sided = ndtr(-np.abs(z))
    return GiStar(
        g=statistic,
        expected=expected,
        variance=variance,
        z=z,
        p_one_sided=p_one_sided,
        p=np.minimum(2 * p_one_sided, 1.0),
    )


@dataclass(frozen=True)
class Classification:
    """Per cell: the FDR-adjusted p-value (q), the confidence bin −3…3 and hot/cold/none."""

    q: NDArray[np.float64]
    bin: NDArray[np.int8]
    label: NDArray[np.str_]


def benjamini_hochberg(p: ArrayLike) -> NDArray[np.float64]:
    """Benjamini–Hochberg adjusted p-values (q) over all the given p-values."""
    p_values = np.asarray(p, dtype=np.float64)
    if p_values.size == 0:
        return p_values.copy()
    return np.asarray(false_discovery_control(p_values, method="bh"), dtype=np.float64)


def randomisation_p_values(values: ArrayLike, weights: sparse.spmatrix) -> NDArray[np.float64]:
    """Two-sided p-values of each cell's neighbourhood sum under randomisation, exactly.

    Under the null hypothesis of Gi*, the counts of a cell and its neighbours are a random draw
    from the counts of the region; with binary weights G*_i only depends on their sum S_i over
    the W_i cells of the neighbourhood. Its distribution is that of W_i draws from the
    region's counts, computed exactly by convolution (one per neighbourhood size, at most
    seven) — with replacement, which gives slightly heavier tails than without and so errs on
    the careful side. p_i = min(1, 2 · min(P(S ≥ S_i), P(S ≤ S_i))).

    ``values`` must be counts (whole numbers ≥ 0) and ``weights`` binary with the diagonal set.
    """
    y = np.asarray(values, dtype=np.float64).ravel()
    counts = np.rint(y).astype(np.int64)
    if counts.size == 0 or (counts != y).any() or counts.min() < 0:
        raise ValueError("randomisation p-values need counts (whole numbers ≥ 0)")
    w = sparse.csr_matrix(weights)
    cardinality = np.rint(np.asarray(w.sum(axis=1)).ravel()).astype(np.int64)
    sums = np.rint(w @ y).astype(np.int64)
    one = np.bincount(counts) / counts.size  # the distribution of one draw
    upper = np.ones(counts.size)
    lower = np.ones(counts.size)
    distribution = np.ones(1)
    for size in range(1, int(cardinality.max()) + 1):
        distribution = np.clip(signal.convolve(distribution, one, method="auto"), 0, None)
        rows = np.flatnonzero(cardinality == size)
        if rows.size:
            at_least = np.cumsum(distribution[::-1])[::-1]  # P(S ≥ s), summed from the tail
            at_most = np.cumsum(distribution)
            upper[rows] = at_least[sums[rows]]
            lower[rows] = at_most[sums[rows]]
    return np.minimum(1.0, 2 * np.minimum(upper, lower))


def classify(z: ArrayLike, p: ArrayLike, *, alpha: float = ALPHA) -> Classification:
    """Hot where q < alpha and z > 0, cold where q < alpha and z < 0, else none.

    ``p`` are two-sided p-values; q is adjusted over all cells at once. Bins: ±3 for q < 0.01,
    ±2 for q < 0.05, ±1 for q < 0.10 (Benjamini–Hochberg at each of those levels), sign of z.
    """
    z_scores = np.asarray(z, dtype=np.float64)
    q = benjamini_hochberg(p)
    strength = np.zeros(z_scores.size, dtype=np.int8)
    for level, rank in zip(sorted(BIN_LEVELS, reverse=True), (1, 2, 3), strict=True):
        strength[q < level] = rank
    bins = (strength * np.sign(z_scores)).astype(np.int8)
    significant = q < alpha
    label = np.full(z_scores.size, "none", dtype="<U4")
    label[significant & (z_scores > 0)] = "hot"
    label[significant & (z_scores < 0)] = "cold"
    return Classification(q=q, bin=bins, label=label)


def check_enough_events(total: int, cells: int) -> None:
    """Refuse fewer than ``MIN_EVENTS`` events in the region (``NotEnoughData``)."""
    if total < MIN_EVENTS:
        raise NotEnoughData(
            f"För få händelser för heta punkter: {total} (minst {MIN_EVENTS} behövs). / "
            f"Too few events for hot spots: {total} (at least {MIN_EVENTS} are needed).",
            cells=cells,
            events=total,
        )


def cell_boundaries(cells: Sequence[int] | Cells) -> list[tuple[tuple[float, float], ...]]:
    """Each cell's corners as (latitude, longitude), counter-clockwise, not closed."""
    return [tuple(h3int.cell_to_boundary(int(cell))) for cell in np.asarray(cells).tolist()]

"""Gi* hot spots over all cells: Kvarter's vectorised pipeline against libpysal + esda.

Target (issue 4, acceptance 5): Gi* over all cells ≥ 10× faster than a plain libpysal-weights
+ ``esda.G_Local`` pipeline on the same cells, both printed, with peak memory.

Data: 1,000,000 generated event positions (seeded) in a town of 150,000 inhabitants — the
14 × 10 km box of the synthetic Bänkstad (SWEREF 99 TM E 581–595 km, N 6,605–6,615 km, as
``kvarter.safety.synthetic``) — 55 % clustered around 24 places (σ 120 m), the rest spread
evenly. The study region is every cell of the box plus every cell with an event.

Both pipelines start from the same region cells and counts (points → cells → counts is
shared and timed on its own) and end with z, p and the Benjamini–Hochberg q per cell:

(a) Kvarter: sparse neighbour matrix from h3 (one ``grid_disk`` per cell, one vectorised
    lookup), Gi* in NumPy, q by scipy;
(b) reference: the h3 neighbour dict, ``libpysal.weights.W(neighbours)``,
    ``esda.G_Local(y, w, star=True, transform='B', permutations=0)``, q by scipy.

Times are the median of seven runs (three at resolution 11) after a warm-up, the best beside
it (the machine may be busy); memory is tracemalloc's peak of one more run of each pipeline
(NumPy's allocations included) and the process's peak RSS. Pure Python and NumPy: no database.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import h3
import numpy as np
from pyproj import Transformer
from scipy.stats import false_discovery_control

from kvarter.safety.picture.hotspot_stats import (
    cell_counts,
    classify,
    getis_ord_gi_star,
    neighbour_matrix,
    randomisation_p_values,
    study_region,
    values_on,
)

EVENTS = 1_000_000
SEED = 20261130
RESOLUTIONS = (9, 10, 11)  # 9 is the default (about 0.1 km² per cell)
TARGET_SPEED_UP = 10.0
BOX = (581_000.0, 6_605_000.0, 595_000.0, 6_615_000.0)  # SWEREF 99 TM E min, N min, E max, N max


def _points(seed: int = SEED, n: int = EVENTS) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(latitudes, longitudes) of n events and the box as a GeoJSON polygon in WGS 84."""
    rng = np.random.default_rng(seed)
    e0, n0, e1, n1 = BOX
    places_e = rng.uniform(e0 + 500, e1 - 500, 24)
    places_n = rng.uniform(n0 + 500, n1 - 500, 24)
    weights = rng.uniform(0.2, 1.0, 24)
    clustered = rng.random(n) < 0.55
    place = rng.choice(24, size=n, p=weights / weights.sum())
    east = np.where(clustered, places_e[place] + rng.normal(0, 120, n), rng.uniform(e0, e1, n))
    north = np.where(clustered, places_n[place] + rng.normal(0, 120, n), rng.uniform(n0, n1, n))
    east, north = np.clip(east, e0, e1), np.clip(north, n0, n1)
    transformer = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    lon, lat = transformer.transform(east, north)
    corners_e = np.linspace(e0, e1, 15).tolist()
    corners_n = np.linspace(n0, n1, 11).tolist()
    ring_e = corners_e + [e1] * 11 + corners_e[::-1] + [e0] * 11
    ring_n = [n0] * 15 + corners_n + [n1] * 15 + corners_n[::-1]
    ring_lon, ring_lat = transformer.transform(ring_e, ring_n)
    ring = [[x, y] for x, y in zip(ring_lon, ring_lat, strict=True)]
    ring.append(ring[0])
    return np.asarray(lat), np.asarray(lon), {"type": "Polygon", "coordinates": [ring]}


def kvarter_pipeline(region: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    gi = getis_ord_gi_star(region, values, weights=neighbour_matrix(region))
    result = classify(gi.z, gi.p)
    return gi.z, gi.p, result.q


def reference_pipeline(region: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    import esda
    import libpysal

    ids = [h3.int_to_str(cell) for cell in region.tolist()]
    present = set(ids)
    neighbours = {
        cell: [other for other in h3.grid_disk(cell, 1) if other in present and other != cell]
        for cell in ids
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.W(neighbours, id_order=ids, silence_warnings=True)
        g = esda.G_Local(values, w, star=True, transform="B", permutations=0)
    p = np.minimum(2 * g.p_norm, 1.0)
    return g.Zs, p, false_discovery_control(p, method="bh")


def _median_time(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median and best of ``runs`` runs after a warm-up (imports, caches), and the result."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def _peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def run() -> None:
    lat, lon, box = _points()
    for resolution in RESOLUTIONS:
        started = time.perf_counter()
        cells, counts = cell_counts((lat, lon), resolution)
        counting = time.perf_counter() - started
        region = study_region(cells, resolution, boundaries=[box])
        values = values_on(region, cells, counts)

        runs = 7 if region.size < 50_000 else 3
        ours_s, ours_best, ours = _median_time(
            lambda: kvarter_pipeline(region, values),  # noqa: B023
            runs,
        )
        theirs_s, theirs_best, theirs = _median_time(
            lambda: reference_pipeline(region, values),  # noqa: B023
            runs,
        )
        ours_mb = _peak_mb(lambda: kvarter_pipeline(region, values))  # noqa: B023
        theirs_mb = _peak_mb(lambda: reference_pipeline(region, values))  # noqa: B023
        z_diff = float(np.max(np.abs(ours[0] - theirs[0])))
        q_diff = float(np.max(np.abs(ours[2] - theirs[2])))
        speed_up = theirs_s / ours_s
        verdict = "ok" if speed_up >= TARGET_SPEED_UP else "UNDER TARGET"
        hot = int(((ours[2] < 0.05) & (ours[0] > 0)).sum())
        cold = int(((ours[2] < 0.05) & (ours[0] < 0)).sum())
        print(
            f"hot spots res {resolution}: {EVENTS:,} events → {cells.size:,} cells with events, "
            f"{region.size:,} cells in the region; points → cells → counts {counting:.2f} s "
            f"(shared); {hot:,} hot, {cold:,} cold at FDR q < 0.05"
        )
        print(
            f"hot spots res {resolution}: Kvarter (adjacency + Gi* + FDR) median of {runs} "
            f"{ours_s * 1000:.1f} ms (best {ours_best * 1000:.1f}), peak {ours_mb:.1f} MB; "
            f"libpysal W + esda.G_Local + FDR {theirs_s * 1000:.1f} ms "
            f"(best {theirs_best * 1000:.1f}), peak {theirs_mb:.1f} MB; speed-up "
            f"{speed_up:.1f}× of the medians (target ≥ {TARGET_SPEED_UP:.0f}×) {verdict}, "
            f"{theirs_best / ours_best:.1f}× of the best runs; "
            f"max |Δz| {z_diff:.1e}, max |Δq| {q_diff:.1e}"
        )
        weights = neighbour_matrix(region)
        exact_s, _best, exact_p = _median_time(
            lambda: randomisation_p_values(values, weights),  # noqa: B023
            runs,
        )
        exact_hot = int((classify(ours[0], exact_p).label == "hot").sum())
        print(
            f"hot spots res {resolution}: exact p-values under randomisation (the option for "
            f"sparse weeks) {exact_s * 1000:.1f} ms more; {exact_hot:,} hot at FDR q < 0.05"
        )
        end_to_end = (counting + theirs_s) / (counting + ours_s)
        print(
            f"hot spots res {resolution}: with the shared counting step both ways: "
            f"{counting + ours_s:.2f} s vs {counting + theirs_s:.2f} s ({end_to_end:.1f}×)"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    one, five, _fifteen = os.getloadavg()
    print(f"hot spots: peak RSS {rss:.0f} MB; load average {one:.2f} (1 min), {five:.2f} (5 min)")


if __name__ == "__main__":
    run()

"""Hot spots for the situational picture: approved events → H3 cells → Gi* → FDR → map cells.

``hotspots_for`` reads the events of a municipality in a period (approved reports only,
optionally some categories and areas), counts them per H3 cell at the municipality's
resolution (``EstSettings.h3_resolution``, 9 by default: about 0.1 km² per cell), runs
Getis-Ord Gi* over the study region (the cells inside the areas' boundaries plus every cell
with an event; see ``hotspot_stats``) and classifies each cell as hot, cold or none after a
Benjamini–Hochberg false-discovery-rate correction. ``hotspots_geojson`` turns the cells into
a GeoJSON FeatureCollection for Leaflet, the API and exports.

p-values are the normal ones by default (the same as esda's); ``p_values='randomisation'``
gives exact ones under randomisation, which keep a week's sparse counts from showing chance
hot spots (``hotspot_stats`` has the figures).

Too little data is said honestly: ``NotEnoughData`` (code ``hotspots_not_enough_data``) when
fewer than ``MIN_EVENTS`` (20) events or ``MIN_CELLS`` (30) cells, or no variation between
cells — rather than a map of noise.

The counts per cell are aggregates: callers showing them to someone who may not see raw reports
pass ``smallest_count_shown`` to ``hotspots_geojson`` so that small counts are suppressed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import h3
import numpy as np
from django.db.models import F, Model
from django.db.models.functions import Coalesce
from django.utils import timezone

from kvarter.areas.models import Area
from kvarter.core.suppression import is_small
from kvarter.safety.models import EstSettings, IncidentEvent, ReviewState
from kvarter.safety.picture.hotspot_stats import (
    MIN_CELLS,
    MIN_EVENTS,
    NotEnoughData,
    cell_boundaries,
    cell_counts,
    check_enough_events,
    classify,
    getis_ord_gi_star,
    neighbour_matrix,
    randomisation_p_values,
    study_region,
    values_on,
)

__all__ = [
    "MIN_CELLS",
    "MIN_EVENTS",
    "HotspotCell",
    "NotEnoughData",
    "cell_counts",
    "getis_ord_gi_star",
    "hotspots_for",
    "hotspots_from_counts",
    "hotspots_geojson",
]

DEFAULT_RESOLUTION = 9
PValues = Literal["normal", "randomisation"]


@dataclass(frozen=True)
class HotspotCell:
    """One H3 cell of the study region with its count and Gi* result."""

    h3: str
    boundary: tuple[tuple[float, float], ...]  # corners (latitude, longitude), not closed
    count: int
    z: float
    p: float  # two-sided: normal (esda's p_norm × 2) or exact under randomisation
    fdr_q: float  # Benjamini–Hochberg adjusted over all cells of the region
    bin: int  # −3…3: cold/hot at 99, 95, 90 % on the adjusted p (as ArcGIS's Gi_Bin)
    classification: str  # 'hot', 'cold' or 'none' (q < 0.05)


def hotspots_from_counts(
    cells: np.ndarray,
    counts: np.ndarray,
    resolution: int,
    *,
    boundaries: Iterable[Mapping[str, Any] | None] = (),
    p_values: PValues = "normal",
) -> list[HotspotCell]:
    """Gi* hot spots from counted cells (``cell_counts``): the pure part of ``hotspots_for``.

    Returns every cell of the study region, the empty ones included, hottest first.
    """
    if p_values not in ("normal", "randomisation"):
        raise ValueError(f"unknown p_values: {p_values!r}")
    region = study_region(cells, resolution, boundaries=boundaries)
    check_enough_events(int(np.asarray(counts).sum()), region.size)
    values = values_on(region, cells, counts)
    weights = neighbour_matrix(region)
    gi = getis_ord_gi_star(region, values, weights=weights)
    p = gi.p if p_values == "normal" else randomisation_p_values(values, weights)
    classes = classify(gi.z, p)
    order = np.argsort(-gi.z, kind="stable")
    corners = cell_boundaries(region[order])
    return [
        HotspotCell(
            h3=h3.int_to_str(int(region[i])),
            boundary=corners[k],
            count=int(values[i]),
            z=float(gi.z[i]),
            p=float(p[i]),
            fdr_q=float(classes.q[i]),
            bin=int(classes.bin[i]),
            classification=str(classes.label[i]),
        )
        for k, i in enumerate(order.tolist())
    ]


def _moment(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """A date is local midnight (Europe/Stockholm); a naive datetime is local time."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _ids(items: Iterable[Any] | None) -> list[Any] | None:
    if items is None:
        return None
    return [item.pk if isinstance(item, Model) else item for item in items]


def hotspots_for(
    municipality: Any,
    start: datetime.date | datetime.datetime,
    end: datetime.date | datetime.datetime,
    categories: Iterable[Any] | None = None,
    areas: Iterable[Any] | None = None,
    *,
    p_values: PValues = "normal",
) -> list[HotspotCell]:
    """Hot spots of the municipality's approved events with ``start ≤ occurred_at < end``.

    ``municipality`` is a Municipality or its id; ``categories`` and ``areas`` are objects or
    ids (None: all). Dates are whole local days (Europe/Stockholm), the end excluded: a week
    is ``hotspots_for(m, monday, next_monday)``. An event without its own position takes its
    named place's. The region is the chosen areas' boundaries (all the municipality's areas
    when none are chosen) plus the cells with events. ``p_values='randomisation'`` takes the
    exact p-values under randomisation instead of the normal ones (better for a week's sparse
    counts; see ``hotspot_stats``). Raises ``NotEnoughData``.
    """
    municipality_id = municipality.pk if isinstance(municipality, Model) else municipality
    resolution = (
        EstSettings.objects.filter(municipality_id=municipality_id)
        .values_list("h3_resolution", flat=True)
        .first()
    ) or DEFAULT_RESOLUTION
    category_ids, area_ids = _ids(categories), _ids(areas)

    events = IncidentEvent.objects.filter(
        report__municipality_id=municipality_id,
        report__review_state=ReviewState.APPROVED,
        occurred_at__gte=_moment(start),
        occurred_at__lt=_moment(end),
    )
    if category_ids is not None:
        events = events.filter(category_id__in=category_ids)
    if area_ids is not None:
        events = events.filter(area_id__in=area_ids)
    positions = (
        events.annotate(
            lat=Coalesce(F("latitude"), F("place__latitude")),
            lon=Coalesce(F("longitude"), F("place__longitude")),
        )
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("lat", "lon")
    )
    points = np.array(list(positions), dtype=np.float64).reshape(-1, 2)

    area_rows = Area.objects.filter(municipality_id=municipality_id, boundary__isnull=False)
    if area_ids is not None:
        area_rows = area_rows.filter(pk__in=area_ids)
    boundaries = list(area_rows.values_list("boundary", flat=True))

    cells, counts = cell_counts((points[:, 0], points[:, 1]), resolution)
    return hotspots_from_counts(cells, counts, resolution, boundaries=boundaries, p_values=p_values)


def hotspots_geojson(
    cells: Iterable[HotspotCell], *, smallest_count_shown: int | None = None
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946: longitude, latitude; counter-clockwise rings).

    Each feature is a cell's hexagon with ``h3``, ``count``, ``z``, ``p``, ``fdr_q``, ``bin``
    and ``class``. With ``smallest_count_shown`` (for readers who may not see raw reports)
    a count below it (zero included, the rule of :mod:`kvarter.core.suppression`) is given as
    null with ``count_suppressed`` true.
    """
    features = []
    for cell in cells:
        ring = [[lon, lat] for lat, lon in cell.boundary]
        ring.append(ring[0])
        suppressed = smallest_count_shown is not None and is_small(
            cell.count, smallest_count_shown
        )
        features.append(
            {
                "type": "Feature",
                "id": cell.h3,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "h3": cell.h3,
                    "count": None if suppressed else cell.count,
                    "count_suppressed": suppressed,
                    "z": cell.z,
                    "p": cell.p,
                    "fdr_q": cell.fdr_q,
                    "bin": cell.bin,
                    "class": cell.classification,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

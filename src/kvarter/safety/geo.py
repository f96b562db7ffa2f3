"""Where things are: place geometries (a point or polygon inside its area) and which area a
position lies in (point-in-polygon over a prepared STRtree index, not a loop over polygons).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from kvarter.areas.geometry import GeometryError, to_wgs84_polygon
from kvarter.areas.models import Area
from kvarter.core.error_codes import error

# About 10 cm in degrees: a place drawn on the area's own edge still lies in the area.
EDGE_TOLERANCE_DEGREES = 1e-6


def _invalid(field: str, code: str, **params: Any) -> ValidationError:
    return ValidationError({field: error(code, **params)})


# --- geometry of places ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceGeometry:
    """A validated place geometry (rounded WGS 84 GeoJSON) and its representative point."""

    geometry: dict[str, Any]
    latitude: float
    longitude: float


def _geometry_error(code: str, **params: Any) -> ValidationError:
    return _invalid("geometry", code, **params)


def _point(geometry: Mapping[str, Any]) -> dict[str, Any]:
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list | tuple)
        or len(coordinates) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
        or not all(math.isfinite(c) for c in coordinates)
    ):
        raise _geometry_error("malformed_geometry")
    lon, lat = float(coordinates[0]), float(coordinates[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _geometry_error("coordinates_out_of_range", system="WGS 84")
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


def area_shape(area: Area) -> BaseGeometry | None:
    """The area's boundary as a shapely geometry, or None for an area without one."""
    if not area.boundary:
        return None
    return shape(area.boundary)


def place_geometry_clean(geometry: Any, area: Area) -> PlaceGeometry:
    """Validate a Point or Polygon (WGS 84) that must lie in ``area``; compute its point."""
    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Point", "Polygon"):
        raise _geometry_error("not_point_or_polygon")
    if geometry["type"] == "Point":
        cleaned = _point(geometry)
    else:
        try:
            cleaned = to_wgs84_polygon(geometry)
        except GeometryError as error:
            raise _geometry_error(error.code, **error.params) from error
    parsed = shape(cleaned)
    representative = parsed if isinstance(parsed, Point) else parsed.representative_point()
    boundary = area_shape(area)
    if boundary is not None and not boundary.buffer(EDGE_TOLERANCE_DEGREES).covers(parsed):
        raise _geometry_error("place_outside_area", area=area.name)
    return PlaceGeometry(
        geometry=cleaned,
        latitude=round(representative.y, 7),
        longitude=round(representative.x, 7),
    )


# --- where is a position? --------------------------------------------------------------------


class AreaLocator:
    """Point-in-polygon over a municipality's areas with a prepared geometry index (STRtree).

    Built once per filing (or import); ``area_at`` answers in microseconds, not a loop over
    polygons. Areas without a boundary are never found by position.
    """

    def __init__(self, areas: list[Area]) -> None:
        self._build([(a.pk, a.boundary) for a in areas])

    @classmethod
    def from_boundaries(cls, boundaries: list[tuple[int, Any]]) -> AreaLocator:
        """From (area id, GeoJSON boundary or None) pairs, as an import reads them."""
        locator = cls.__new__(cls)
        locator._build(boundaries)
        return locator

    def _build(self, boundaries: list[tuple[int, Any]]) -> None:
        # In id order, so that where areas overlap the first by id wins in both lookups.
        with_boundary = sorted((pk, boundary) for pk, boundary in boundaries if boundary)
        self._ids = [pk for pk, _ in with_boundary]
        self._shapes = [shape(boundary) for _, boundary in with_boundary]
        for geometry in self._shapes:
            shapely.prepare(geometry)
        self._index = shapely.STRtree(self._shapes)
        self._by_id = dict(zip(self._ids, self._shapes, strict=True))

    @classmethod
    def for_municipality(cls, municipality_id: int) -> AreaLocator:
        return cls(list(Area.objects.filter(municipality_id=municipality_id).order_by("pk")))

    def areas_at(self, longitudes: np.ndarray, latitudes: np.ndarray) -> np.ndarray:
        """The area id for each position (-1: in no area), vectorised for a whole file.

        Each boundary tests only the positions inside its bounding box that no earlier area
        (by id) holds; no point objects are made.
        """
        hit = np.full(len(longitudes), -1, dtype=np.int64)
        for area_id, geometry in zip(self._ids, self._shapes, strict=True):
            min_x, min_y, max_x, max_y = geometry.bounds
            candidates = np.flatnonzero(
                (hit < 0)
                & (longitudes >= min_x)
                & (longitudes <= max_x)
                & (latitudes >= min_y)
                & (latitudes <= max_y)
            )
            if len(candidates):
                inside = shapely.intersects_xy(
                    geometry, longitudes[candidates], latitudes[candidates]
                )
                hit[candidates[inside]] = area_id
        return hit

    def area_at(self, longitude: float, latitude: float) -> int | None:
        """The id of the area the position lies in (the first by id where areas overlap)."""
        hits = self._index.query(Point(longitude, latitude), predicate="intersects")
        if len(hits) == 0:
            return None
        return min(self._ids[i] for i in hits)

    def has_boundary(self, area_id: int) -> bool:
        return area_id in self._by_id

    def contains(self, area_id: int, longitude: float, latitude: float) -> bool:
        """Whether the position lies in the area (on its edge counts); True without a boundary."""
        geometry = self._by_id.get(area_id)
        if geometry is None:
            return True
        point = Point(longitude, latitude)
        return (
            bool(geometry.intersects(point)) or geometry.distance(point) <= EDGE_TOLERANCE_DEGREES
        )

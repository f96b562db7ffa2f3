"""Area geometry: GeoJSON validation and SWEREF 99 TM → WGS 84, without Django.

Boundaries are stored as RFC 7946 GeoJSON in WGS 84 (longitude, latitude). Swedish municipal
GIS writes SWEREF 99 TM (EPSG:3006) metres, so importers transform on the way in.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"

# The names a GeoJSON 'crs' member (GeoJSON 2008, still written by QGIS and ArcGIS) may use.
_CRS_ALIASES = {
    "urn:ogc:def:crs:ogc:1.3:crs84": WGS84,
    "urn:ogc:def:crs:epsg::4326": WGS84,
    "epsg:4326": WGS84,
    "crs84": WGS84,
    "urn:ogc:def:crs:epsg::3006": SWEREF99TM,
    "epsg:3006": SWEREF99TM,
    "sweref99tm": SWEREF99TM,
    "sweref 99 tm": SWEREF99TM,
}
SUPPORTED_CRS = (WGS84, SWEREF99TM)
COORDINATE_DECIMALS = 7  # about 1 cm: finer than any boundary a municipality draws
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    """A geometry or coordinate system that Kvarter cannot take; ``code`` is stable.

    The message is the code's in :mod:`kvarter.core.error_codes` (with ``params``), rendered
    in the active language when the error is shown; this module itself needs no Django.
    """

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        from kvarter.core.error_codes import message

        return message(self.code, **self.params)


def normalise_crs_name(name: str) -> str:
    key = name.strip().lower()
    if key in _CRS_ALIASES:
        return _CRS_ALIASES[key]
    raise GeometryError("unknown_crs", name=repr(name))


def crs_of_feature_collection(collection: Mapping[str, Any]) -> str:
    """The CRS named in the file's ``crs`` member; RFC 7946 files have none and are WGS 84."""
    crs = collection.get("crs")
    if crs is None:
        return WGS84
    name = crs.get("properties", {}).get("name") if isinstance(crs, Mapping) else None
    if not isinstance(name, str):
        raise GeometryError("unknown_crs", name="''")
    return normalise_crs_name(name)


@cache
def _transformer(source: str) -> Transformer:
    return Transformer.from_crs(source, WGS84, always_xy=True)


def _round(geometry: BaseGeometry) -> dict[str, Any]:
    def round_coords(value: Any) -> Any:
        if isinstance(value, tuple | list) and value and isinstance(value[0], int | float):
            return [round(float(c), COORDINATE_DECIMALS) for c in value]
        return [round_coords(v) for v in value]

    geo = mapping(geometry)
    return {"type": geo["type"], "coordinates": round_coords(geo["coordinates"])}


def _parse_polygon(geometry: Any) -> BaseGeometry:
    if not isinstance(geometry, Mapping) or geometry.get("type") not in POLYGON_TYPES:
        kind = geometry.get("type") if isinstance(geometry, Mapping) else type(geometry).__name__
        raise GeometryError("not_a_polygon", kind=kind)
    try:
        parsed = shape(geometry)
    except Exception as error:
        raise GeometryError("malformed_geometry") from error
    if parsed.is_empty:
        raise GeometryError("empty_geometry")
    if not parsed.is_valid:
        raise GeometryError("invalid_geometry", reason=explain_validity(parsed))
    return parsed


def _check_wgs84_range(geometry: BaseGeometry) -> None:
    min_x, min_y, max_x, max_y = geometry.bounds
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise GeometryError("coordinates_out_of_range", system="WGS 84")


def to_wgs84_polygon(geometry: Any, source_crs: str = WGS84) -> dict[str, Any]:
    """Validate a polygon in ``source_crs`` and return it as rounded WGS 84 GeoJSON."""
    parsed = _parse_polygon(geometry)
    if source_crs != WGS84:
        parsed = shapely.transform(parsed, _transformer(source_crs).transform, interleaved=False)
        if not parsed.is_valid:  # a transform can in rare cases fold a thin ring
            raise GeometryError("invalid_geometry", reason=explain_validity(parsed))
    _check_wgs84_range(parsed)
    return _round(parsed)


def validate_geojson_geometry(geometry: Any) -> None:
    """Raise :class:`GeometryError` unless ``geometry`` is a valid WGS 84 polygon."""
    _check_wgs84_range(_parse_polygon(geometry))


def bounds(geometries: list[Mapping[str, Any]]) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) over the geometries, or None when there are none."""
    shapes = [shape(g) for g in geometries if g]
    if not shapes:
        return None
    xs0, ys0, xs1, ys1 = zip(*(s.bounds for s in shapes), strict=True)
    return min(xs0), min(ys0), max(xs1), max(ys1)

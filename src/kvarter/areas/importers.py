"""GeoJSON FeatureCollection → validated area rows, every problem listed at once.

Parsing and validation only; :func:`kvarter.areas.services.areas_import` writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kvarter.areas.geometry import (
    GeometryError,
    crs_of_feature_collection,
    normalise_crs_name,
    to_wgs84_polygon,
)
from kvarter.areas.models import statistical_unit_kind
from kvarter.core.error_codes import problem
from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.text import parse_list

UNIT_PROPERTIES = ("deso", "regso", "deso_codes", "regso_codes")
POPULATION_PROPERTIES = ("population", "befolkning", "folkmängd")


@dataclass(frozen=True)
class AreaRow:
    row: int
    name: str
    boundary: dict[str, Any]
    statistical_unit_codes: tuple[str, ...] = ()
    population: int | None = None


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int | None, field_name: str, code: str, /, **params: Any) -> None:
        self.problems.append(problem(row, field_name, code, **params))


def read_feature_collection(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRejected(
            [problem(None, "", "not_json")]
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportRejected(
            [problem(None, "type", "not_feature_collection")]
        )
    if not isinstance(data.get("features"), list):
        raise ImportRejected(
            [problem(None, "features", "no_features")]
        )
    return data


def _codes(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return parse_list(str(value))


def _population(value: Any, row: int, collector: _Collector) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        number = -1
    if number < 0:
        collector.add(row, "population", "invalid_population", value=repr(value))
        return None
    return number


def _first(properties: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def parse_areas(
    raw: bytes, *, name_property: str = "name", crs: str | None = None
) -> list[AreaRow]:
    """Validate the whole file; raise :class:`ImportRejected` with every problem found."""
    data = read_feature_collection(raw)
    collector = _Collector()
    try:
        source_crs = normalise_crs_name(crs) if crs else crs_of_feature_collection(data)
    except GeometryError as error:
        raise ImportRejected([problem(None, "crs", error.code, **error.params)]) from error

    rows: list[AreaRow] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            collector.add(index, "type", "not_a_feature")
            continue
        properties = feature.get("properties") or {}
        name = str(properties.get(name_property) or "").strip()
        if not name:
            collector.add(index, name_property, "missing_name", name=repr(name_property))
        elif name.lower() in seen:
            collector.add(
                index, name_property, "duplicate_name", name=repr(name), first=seen[name.lower()]
            )
        else:
            seen[name.lower()] = index
        try:
            boundary = to_wgs84_polygon(feature.get("geometry"), source_crs)
        except GeometryError as error:
            collector.add(index, "geometry", error.code, **error.params)
            boundary = None
        codes = _codes(_first(properties, UNIT_PROPERTIES))
        for code in codes:
            if statistical_unit_kind(code) is None:
                collector.add(index, "deso", "invalid_statistical_unit", code=repr(code))
        population = _population(_first(properties, POPULATION_PROPERTIES), index, collector)
        if name and boundary is not None:
            rows.append(AreaRow(index, name, boundary, tuple(codes), population))
    if not data["features"]:
        collector.add(None, "features", "no_features")
    if collector.problems:
        raise ImportRejected(collector.problems)
    return rows

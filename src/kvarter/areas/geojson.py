"""Areas as a GeoJSON FeatureCollection, for the map page and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kvarter.areas.models import Area
from kvarter.areas.selectors import current_classification


def feature_collection(areas: Iterable[Area], *, url_for: Any = None) -> dict[str, Any]:
    features = []
    for area in areas:
        if not area.boundary:
            continue
        classification = current_classification(area)
        features.append(
            {
                "type": "Feature",
                "id": area.pk,
                "geometry": area.boundary,
                "properties": {
                    "id": area.pk,
                    "name": area.name,
                    "municipality": area.municipality.code,
                    "population": area.population,
                    "police_classification": (
                        classification.classification if classification else None
                    ),
                    "police_classification_label": (
                        str(classification.get_classification_display()) if classification else ""
                    ),
                    "police_classification_year": classification.year if classification else None,
                    "url": url_for(area) if url_for else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

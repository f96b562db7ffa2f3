"""Exempelstad's EST: settings, default categories and resources, named places.

Built through the catalogue services like the rest of the demo; safe to run again. The places
are written in SWEREF 99 TM metres, as the municipality's GIS would give them, and stored in
WGS 84; each lies inside its area (the service refuses it otherwise). Report history is not
made here: the CSV import builds it.
"""

from __future__ import annotations

from typing import Any

from pyproj import Transformer

from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.safety.catalogue.services import est_defaults_create, place_create
from kvarter.safety.models import Place

# area → (place name, what it is, SWEREF 99 TM east, north); a polygon has four corners.
PLACES: dict[str, list[tuple[str, tuple[tuple[float, float], ...]]]] = {
    "Norrby": [
        (
            "Norrby centrum",
            ((511900, 6567520), (512020, 6567520), (512020, 6567620), (511900, 6567620)),
        ),
        ("Tunneln vid skolan", ((511700, 6567300),)),
        ("Bollplanen", ((512200, 6567800),)),
    ],
    "Västerdal": [
        (
            "Västerdals torg",
            ((509180, 6565560), (509280, 6565560), (509280, 6565660), (509180, 6565660)),
        ),
        ("Gångbron", ((509000, 6565300),)),
    ],
    "Åsen": [
        (
            "Åsens centrum",
            ((514650, 6565850), (514760, 6565850), (514760, 6565950), (514650, 6565950)),
        ),
        ("Parkeringen vid Åsvägen", ((514400, 6565600),)),
    ],
    "Söderängen": [
        ("Söderängsskolan", ((511700, 6562600),)),
        ("Busshållplatsen Ängsgatan", ((511400, 6562300),)),
    ],
    "Kvarnbacken": [
        ("Kvarnbackens lekplats", ((514300, 6563000),)),
        ("Cykelvägen vid kvarnen", ((514100, 6562750),)),
    ],
}


def _wgs84(points: tuple[tuple[float, float], ...]) -> dict[str, Any]:
    transformer = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    lonlat = [list(transformer.transform(east, north)) for east, north in points]
    if len(lonlat) == 1:
        return {"type": "Point", "coordinates": lonlat[0]}
    return {"type": "Polygon", "coordinates": [[*lonlat, lonlat[0]]]}


def build_est(municipality: Municipality) -> None:
    """Settings, catalogue and places; the EST reporter 'vard' is one of the demo users."""
    est_defaults_create(actor=SYSTEM, municipality=municipality)
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    for area_name, places in PLACES.items():
        area = areas.get(area_name)
        if area is None:
            continue
        existing = set(Place.objects.filter(area=area).values_list("name", flat=True))
        for name, points in places:
            if name not in existing:
                place_create(actor=SYSTEM, area=area, name=name, geometry=_wgs84(points))

"""Codes of areas, boundaries and organisations."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "invalid_code": _("The code is not valid."),
    "area_other_municipality": _("The area belongs to another municipality."),
    "areas_required": _("Choose at least one area."),
    "parent_other_municipality": _("The parent organisation belongs to another municipality."),
    "unknown_municipality": _(
        "Municipality %(code)s does not exist; give --municipality-name to create it."
    ),
    "invalid_statistical_unit": _(
        "%(code)s is not a DeSO or RegSO code (e.g. 0580C1010, 0580R001)."
    ),
    "unknown_crs": _(
        "Unknown coordinate reference system %(name)s; Kvarter takes WGS 84 (EPSG:4326) and "
        "SWEREF 99 TM (EPSG:3006)."
    ),
    "not_a_polygon": _("The geometry must be a Polygon or MultiPolygon, not %(kind)s."),
    "malformed_geometry": _("The geometry cannot be read."),
    "empty_geometry": _("The geometry is empty."),
    "invalid_geometry": _("Invalid geometry: %(reason)s."),
    "coordinates_out_of_range": _(
        "The coordinates are outside %(system)s; are they swapped, or in another coordinate "
        "reference system?"
    ),
    "not_feature_collection": _("The file must be a GeoJSON FeatureCollection."),
    "no_features": _("The file holds no areas (no features)."),
    "not_a_feature": _("Not a Feature."),
    "missing_name": _("The property %(name)s is missing or empty."),
    "duplicate_name": _("The name %(name)s is already used by row %(first)s."),
    "invalid_population": _("The population must be a whole number ≥ 0, not %(value)s."),
}

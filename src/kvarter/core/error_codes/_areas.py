"""Codes of areas, boundaries and organisations."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "invalid_code": _("The code is not valid."),
    "area_other_municipality": _("The area belongs to another municipality."),
    "areas_required": _("Choose at least one area."),
    "parent_other_municipality": _("The parent organisation belongs to another municipality."),
    "unknown_municipality": _("The municipality does not exist."),
    "invalid_statistical_unit": _("Not a DeSO or RegSO code."),
    "unknown_crs": _("The file's coordinate reference system is not known."),
    "not_a_polygon": _("The geometry must be a Polygon or MultiPolygon."),
    "malformed_geometry": _("The geometry is not valid GeoJSON."),
    "empty_geometry": _("The geometry is empty."),
    "invalid_geometry": _("The geometry is not valid."),
    "coordinates_out_of_range": _(
        "The coordinates are out of range for %(system)s; are they swapped?"
    ),
    "not_feature_collection": _("The file must be a GeoJSON FeatureCollection."),
    "no_features": _("The FeatureCollection has no features list."),
    "not_a_feature": _("Not a Feature."),
    "missing_name": _("The feature has no name."),
    "duplicate_name": _("The name appears more than once in the file."),
    "invalid_population": _("The population is not a whole number."),
}

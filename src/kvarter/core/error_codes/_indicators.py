"""Codes of indicators, their values and the statistics importers."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "unknown_indicator": _("Unknown indicator."),
    "ambiguous_indicator": _("More than one indicator matches."),
    "no_indicator": _("The file names no indicator."),
    "not_own_indicator": _("Only the municipality's own indicators take values here."),
    "indicator_shared": _("The indicator is shared and cannot be changed here."),
    "not_by_sex": _("The indicator is not reported for women and men."),
    "invalid_year": _("A year between 1900 and 2100."),
    "year_missing": _("Give the year of these values."),
    "year_twice": _("This year is already in the table."),
    "future_date": _("The date retrieved cannot be in the future."),
    "invalid_period": _("Not a valid period."),
    "unknown_period": _("Unknown period."),
    "unknown_region": _("Unknown region code."),
    "outside_municipality": _(
        "The file has values for other municipalities; you can only import for your "
        "municipality, its county and the nation."
    ),
    "area_needs_municipality": _("An area's values need the municipality's code."),
    "area_with_region_code": _("A value for an area cannot also have a region code."),
    "unknown_sex": _("Unknown sex."),
    "invalid_sex": _("Not a valid sex."),
    "unknown_status": _("Unknown status of the value."),
    "bad_status": _("Unknown status of the value."),
    "not_a_number": _("Not a number."),
    "hidden_with_value": _("A hidden value cannot have a number."),
    "hidden_value_has_number": _("A hidden value cannot have a number."),
    "duplicate_value": _("The same value is given twice."),
    "not_jsonstat": _("The file is not JSON-stat."),
    "not_kolada": _("The file is not a Kolada answer."),
    "not_supported": _("This kind of data is not supported."),
    "collection": _("The file is a JSON-stat collection; import one dataset at a time."),
    "no_dimensions": _("The dataset has no dimensions."),
    "no_category": _("A dimension has no categories."),
    "no_time": _("The dataset has no time dimension."),
    "no_values": _("The dataset has no values."),
    "bad_id": _("The dataset's dimension ids are not valid."),
    "bad_size": _("The dataset's sizes are not valid."),
    "bad_index": _("A dimension's index is not valid."),
    "bad_row": _("The row is not valid."),
    "wrong_size": _("The number of values does not match the dimensions."),
    "ambiguous_dimension": _("More than one dimension matches."),
    "ambiguous_measure": _("More than one measure matches."),
}

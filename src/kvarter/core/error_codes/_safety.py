"""Codes of EST: incident reports (filed or imported), catalogue, deployments, problem places."""

from django.utils.translation import gettext_lazy as _

CODES = {
    # One incident event, whichever door it comes through (kvarter.safety.event_rules).
    "unknown_field": _("The event has unknown fields."),
    "category_required": _("Choose a category."),
    "unknown_category": _("The category is not in the municipality's catalogue."),
    "category_inactive": _("The category is no longer in use."),
    "organisation_required": _("Give the reporting organisation."),
    "unknown_organisation": _("The organisation is not one of the municipality's."),
    "unknown_area": _("The area is not one of the municipality's."),
    "unknown_place": _("The place is not one of the area's."),
    "ambiguous_place": _("There are several places with this name; give the area."),
    "place_not_in_area": _("The place belongs to another area."),
    "where_required": _("Say where it happened: a place, an area or a position."),
    "invalid_position": _("Give both coordinates of the position as numbers."),
    "two_positions": _("Give either lat/lon or n/e, not both."),
    "position_outside_areas": _("The position is outside the municipality's areas."),
    "position_outside_area": _("The position is outside the area %(area)s."),
    "occurred_at_required": _(
        "Give when it happened as a date and time, e.g. 2025-03-14T22:15."
    ),
    "occurred_in_future": _("The time is in the future."),
    "occurred_too_long_ago": _("Events older than %(days)s days come in through the import."),
    "invalid_severity": _("Severity is 1, 2 or 3."),
    "invalid_unsafety": _("Unknown answer on unsafety."),
    "invalid_text": _("The description must be text."),
    "text_too_long": _("The description may be at most %(limit)s characters."),
    "duplicate_id": _("The id is already used on row %(first)s."),
    "id_too_long": _("The id may be at most %(limit)s characters."),
    # A report.
    "events_required": _("The report has no events."),
    "too_many_events": _("At most %(limit)s events per report."),
    "organisation_not_in_municipality": _("The organisation belongs to another municipality."),
    "organisation_not_yours": _("You report for your own organisation."),
    "client_key_taken": _("The key is already in use."),
    "invalid_client_key": _("Invalid key."),
    "already_reviewed": _("The report has already been reviewed."),
    "incident_import_denied": _("You may not import incident reports in this municipality."),
    "raw_not_allowed": _(
        "You may not read single reports in every chosen area; choose only your areas or "
        "download counts."
    ),
    "not_est_member": _("You are not a member of the municipality's EST group."),
    # The catalogue.
    "category_name_taken": _("A category with this name exists."),
    "resource_name_taken": _("A resource with this name exists."),
    "place_name_taken": _("The area already has a place with this name."),
    "not_point_or_polygon": _("The place must be a GeoJSON Point or Polygon."),
    "place_outside_area": _("The place does not lie within the area %(area)s."),
    # The situational picture.
    "invalid_week": _("Unknown week."),
    "invalid_area": _("Area ids."),
    # Deployments and problem places.
    "invalid_weekday": _("Weekdays are 1–7."),
    "resource_other_municipality": _("The resource belongs to another municipality."),
    "place_other_area": _("The place is not in the area."),
    "dates_out_of_order": _("The last day is before the first."),
    "deployment_too_long": _(
        "A deployment is decided for at most a year; long-term work belongs to problem places."
    ),
    "half_time_span": _("Give both the start and the end time, or neither."),
    "purpose_required": _("Give the purpose."),
    "invalid_outcome": _("Unknown outcome."),
    "outcome_required": _("Say whether the deployment was carried out."),
    "outcome_before_start": _("The outcome is recorded once the deployment has begun."),
    "not_editable": _("These fields cannot be changed: %(fields)s."),
    "reason_required": _("Give the reason."),
    "already_flagged": _("The place is already a problem place."),
    "already_closed": _("Already closed."),
    "closed_before_flagged": _("The closing day is before the day it was flagged."),
    "unknown_measure": _("Unknown measure: %(numbers)s."),
}

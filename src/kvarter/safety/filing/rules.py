"""The rules one filed event must pass, checked before anything is stored.

:func:`validate_event` turns an event mapping into an unsaved :class:`IncidentEvent`, or adds
every problem to the report's errors keyed ``events.<n>.<field>``. The text is scanned for
personal data and refused naming only the kind found — never the text, never the number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kvarter.areas.models import Area, Municipality
from kvarter.core.error_codes import error
from kvarter.safety import event_rules as rules
from kvarter.safety.geo import AreaLocator
from kvarter.safety.models import (
    IncidentCategory,
    IncidentEvent,
    Place,
    Unsafety,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A phone's clock may run a little fast; more than this ahead is a mistake.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
# The phone form is for what just happened; older history comes in through the CSV import.
DEFAULT_MAX_AGE = dt.timedelta(days=30)
MAX_EVENTS = 20
WGS84_DEGREES = ((-90.0, 90.0), (-180.0, 180.0))  # latitude, longitude

EVENT_KEYS = frozenset(
    {
        "category",
        "area",
        "place",
        "latitude",
        "longitude",
        "occurred_at",
        "text",
        "severity",
        "unsafety",
    }
)


@dataclass
class Errors:
    """Every problem of a report, keyed ``events.<n>.<field>`` (0-based ``n``)."""

    by_field: dict[str, list[ValidationError]]

    def add(self, field: str, error: ValidationError) -> None:
        self.by_field.setdefault(field, []).append(error)

    def count(self) -> int:
        return sum(len(v) for v in self.by_field.values())

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def event_field(index: int, name: str) -> str:
    """The error key of an event's field: ``events.0.text``."""
    return f"events.{index}.{name}"


def _pk(value: Any) -> int | None:
    """An id from a model instance, an int or a digit string; None for empty; -1 for garbage."""
    if value is None or value == "":
        return None
    if hasattr(value, "pk"):
        return int(value.pk)
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _float(value: Any) -> float | str | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "invalid"
    return number if number == number and abs(number) != float("inf") else "invalid"


def _when(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            return None
        if parsed is None:
            return None
        moment = parsed
    else:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment


@dataclass
class Lookups:
    """The municipality's categories, areas and places, read once per report."""

    categories: dict[int, IncidentCategory]
    areas: dict[int, Area]
    places: dict[int, Place]
    locator: AreaLocator

    @classmethod
    def load(cls, municipality: Municipality, events: Sequence[Mapping[str, Any]]) -> Lookups:
        place_ids = {p for e in events if (p := _pk(e.get("place"))) not in (None, -1)}
        areas = list(Area.objects.filter(municipality=municipality).order_by("pk"))
        return cls(
            categories={
                c.pk: c for c in IncidentCategory.objects.filter(municipality=municipality)
            },
            areas={a.pk: a for a in areas},
            places={
                p.pk: p
                for p in Place.objects.filter(pk__in=place_ids, area__municipality=municipality)
            },
            locator=AreaLocator(areas),
        )


def validate_event(
    index: int,
    event: Mapping[str, Any],
    lookups: Lookups,
    errors: Errors,
    *,
    now: dt.datetime,
    max_age: dt.timedelta | None,
) -> IncidentEvent | None:
    """An unsaved event, or None with the problems added to ``errors``. Never echoes a text.

    The fields are checked by :mod:`kvarter.safety.event_rules`, as the CSV import checks them.
    """

    def check(name: str, validator: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return validator(*args, **kwargs)
        except ValidationError as refused:
            for one in refused.error_list:
                errors.add(event_field(index, name), one)
            return None

    if set(event) - EVENT_KEYS:
        # The names are not repeated: whatever a client sends is never echoed back.
        errors.add(f"events.{index}", error("unknown_field"))
    before = errors.count()

    # What: an active category of the municipality.
    category = lookups.categories.get(_pk(event.get("category")) or 0)
    check(
        "category",
        rules.validate_category,
        given=event.get("category") not in (None, ""),
        found=category is not None,
        active=category is None or category.active,
    )

    # Where: a place, an area, a position, or some of them that agree.
    place_id, area_id = _pk(event.get("place")), _pk(event.get("area"))
    place = lookups.places.get(place_id) if place_id is not None else None
    if place_id is not None:
        check("place", rules.validate_place, found=place is not None)
    area = lookups.areas.get(area_id) if area_id is not None else None
    if area_id is not None:
        check("area", rules.validate_area, found=area is not None)
    latitude, longitude = _float(event.get("latitude")), _float(event.get("longitude"))
    position: tuple[float, float] | None = None
    if latitude is not None or longitude is not None:
        position = check(
            "latitude",
            rules.validate_coordinates,
            latitude if isinstance(latitude, float) else None,
            longitude if isinstance(longitude, float) else None,
            ranges=WGS84_DEGREES,
            system="WGS 84",
        )
    if place is not None:
        if area is not None and place.area_id != area.pk:
            errors.add(event_field(index, "place"), error("place_not_in_area"))
        area = area or lookups.areas[place.area_id]
    if position is not None:
        if area is None:
            found = lookups.locator.area_at(position[1], position[0])
            if found is None:
                errors.add(event_field(index, "latitude"), error("position_outside_areas"))
            else:
                area = lookups.areas[found]
        elif not lookups.locator.contains(area.pk, position[1], position[0]):
            errors.add(
                event_field(index, "latitude"), error("position_outside_area", area=area.name)
            )
    elif place is not None:
        position = (place.latitude, place.longitude)
    if place_id is None and area_id is None and latitude is None and longitude is None:
        check("area", rules.validate_where, area=False, place=False, position=False)

    # When: not in the future, not too old for the form.
    occurred_at = check(
        "occurred_at",
        rules.validate_occurred_at,
        _when(event.get("occurred_at")),
        now=now,
        future_tolerance=FUTURE_TOLERANCE,
        max_age=max_age,
    )

    # How bad, and does it make people feel unsafe (both optional).
    severity = event.get("severity")
    severity = None if severity in ("", None) else _pk(severity)
    check("severity", rules.validate_severity, severity)
    unsafety = event.get("unsafety") or ""
    if unsafety not in Unsafety.values and unsafety != "":
        errors.add(event_field(index, "unsafety"), error("invalid_unsafety"))

    # The text: short, and no personal data. Only the kind of data found is named.
    text = event.get("text") or ""
    if not isinstance(text, str):
        errors.add(event_field(index, "text"), error("invalid_text"))
        text = ""
    text = text.strip()
    check("text", rules.validate_text, text)

    if errors.count() > before:
        return None
    assert category is not None and area is not None and occurred_at is not None
    return IncidentEvent(
        category=category,
        area=area,
        place=place,
        occurred_at=occurred_at,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
        text=text,
        severity=severity,
        unsafety=unsafety,
    )

"""The rules one filed event must pass, checked before anything is stored.

:func:`validate_event` turns an event mapping into an unsaved :class:`IncidentEvent`, or adds
every problem to the report's errors keyed ``events.<n>.<field>``. The text is scanned for
personal data and refused naming only the kind found — never the text, never the number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kvarter.areas.models import Area, Municipality
from kvarter.core.personal_data import describe, scan
from kvarter.safety.geo import AreaLocator
from kvarter.safety.models import (
    TEXT_MAX_LENGTH,
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

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

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
    """An unsaved event, or None with the problems added to ``errors``. Never echoes a text."""

    def bad(name: str, message: str, code: str) -> None:
        errors.add(event_field(index, name), message, code)

    unknown = sorted(set(event) - EVENT_KEYS)
    if unknown:
        errors.add(
            f"events.{index}",
            # The names are not repeated: whatever a client sends is never echoed back.
            "Händelsen har okända fält / The event has unknown fields.",
            "unknown_field",
        )
    before = sum(len(v) for v in errors.by_field.values())

    # What: an active category of the municipality.
    category = lookups.categories.get(_pk(event.get("category")) or 0)
    if category is None:
        bad(
            "category",
            "Välj en kategori / Choose a category."
            if event.get("category") in (None, "")
            else "Okänd kategori / Unknown category.",
            "category_required" if event.get("category") in (None, "") else "unknown_category",
        )
    elif not category.active:
        bad(
            "category",
            "Kategorin används inte längre / The category is no longer in use.",
            "category_inactive",
        )

    # Where: a place, an area, a position, or some of them that agree.
    place_id, area_id = _pk(event.get("place")), _pk(event.get("area"))
    place = lookups.places.get(place_id) if place_id is not None else None
    if place_id is not None and place is None:
        bad("place", "Okänd plats / Unknown place.", "unknown_place")
    area = lookups.areas.get(area_id) if area_id is not None else None
    if area_id is not None and area is None:
        bad("area", "Okänt område / Unknown area.", "unknown_area")
    latitude, longitude = _float(event.get("latitude")), _float(event.get("longitude"))
    position: tuple[float, float] | None = None
    if latitude == "invalid" or longitude == "invalid" or (latitude is None) != (longitude is None):
        bad(
            "latitude",
            "Ange både latitud och longitud som tal / Give both latitude and longitude as numbers.",
            "invalid_position",
        )
    elif isinstance(latitude, float) and isinstance(longitude, float):
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            bad(
                "latitude",
                "Positionen ligger utanför WGS 84 (grader) / The position is "
                "outside WGS 84 degrees.",
                "coordinates_out_of_range",
            )
        else:
            position = (latitude, longitude)
    if place is not None:
        if area is not None and place.area_id != area.pk:
            bad(
                "place",
                "Platsen hör till ett annat område / The place belongs to another area.",
                "place_not_in_area",
            )
        area = area or lookups.areas[place.area_id]
    if position is not None:
        if area is None:
            found = lookups.locator.area_at(position[1], position[0])
            if found is None:
                bad(
                    "latitude",
                    "Positionen ligger utanför kommunens områden / The position is "
                    "outside the municipality's areas.",
                    "position_outside_areas",
                )
            else:
                area = lookups.areas[found]
        elif not lookups.locator.contains(area.pk, position[1], position[0]):
            bad(
                "latitude",
                f"Positionen ligger utanför området {area.name} / The position is "
                f"outside the area {area.name}.",
                "position_outside_area",
            )
    elif place is not None:
        position = (place.latitude, place.longitude)
    if area is None and place_id is None and area_id is None and position is None:
        bad(
            "area",
            "Ange var det hände: plats, område eller position / Say where it happened: "
            "a place, an area or a position.",
            "where_required",
        )

    # When: not in the future, not too old for the form.
    occurred_at = _when(event.get("occurred_at"))
    if occurred_at is None:
        bad(
            "occurred_at",
            "Ange när det hände (datum och tid) / Give when it happened (date and time).",
            "occurred_at_required",
        )
    elif occurred_at > now + FUTURE_TOLERANCE:
        bad(
            "occurred_at",
            "Tiden ligger i framtiden / The time is in the future.",
            "occurred_in_future",
        )
    elif max_age is not None and occurred_at < now - max_age:
        bad(
            "occurred_at",
            f"Händelser äldre än {max_age.days} dagar lämnas via import / "
            f"Events older than {max_age.days} days come in through the import.",
            "occurred_too_long_ago",
        )

    # How bad, and does it make people feel unsafe (both optional).
    severity = event.get("severity")
    if severity in ("", None):
        severity = None
    else:
        severity = _pk(severity)
        if severity not in (1, 2, 3):
            bad(
                "severity",
                "Allvarlighet är 1, 2 eller 3 / Severity is 1, 2 or 3.",
                "invalid_severity",
            )
    unsafety = event.get("unsafety") or ""
    if unsafety not in Unsafety.values and unsafety != "":
        bad("unsafety", "Okänt svar om otrygghet / Unknown answer on unsafety.", "invalid_unsafety")

    # The text: short, and no personal data. Only the kind of data found is named.
    text = event.get("text") or ""
    if not isinstance(text, str):
        bad("text", "Beskrivningen ska vara text / The description must be text.", "invalid_text")
        text = ""
    text = text.strip()
    if len(text) > TEXT_MAX_LENGTH:
        bad(
            "text",
            f"Beskrivningen får vara högst {TEXT_MAX_LENGTH} tecken / The description "
            f"may be at most {TEXT_MAX_LENGTH} characters.",
            "text_too_long",
        )
    findings = scan(text, vehicle_registrations=True) if text else []
    if findings:
        bad("text", describe(findings), "personal_data")

    if sum(len(v) for v in errors.by_field.values()) > before:
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

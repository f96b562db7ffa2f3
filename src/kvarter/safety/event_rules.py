"""The field validators of one incident event, the same whichever door it comes through.

The phone, the API and the report page (:mod:`kvarter.safety.filing.rules`) and the CSV history
import (:mod:`kvarter.safety.history.importers`) look values up their own way — ids against a loaded
catalogue, names against a casefolded one — and then ask these validators, so an event is
refused for the same reasons with the same codes everywhere. Each raises a ValidationError made
by :func:`kvarter.core.error_codes.error` (a registered code, a lazy message in the active
language); :func:`validate_text` may raise several at once.

They are plain functions of plain values (no database), cheap enough for the import's loop
over hundreds of thousands of rows: nothing is built unless a value is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from kvarter.core.error_codes import error
from kvarter.core.personal_data import describe, scan
from kvarter.safety.models import TEXT_MAX_LENGTH

SEVERITY_VALUES = (1, 2, 3)
Range = tuple[float, float]


def validate_category(*, given: bool, found: bool, active: bool = True) -> None:
    """What happened: a category of the municipality's catalogue, still in use."""
    if not found:
        raise error("unknown_category" if given else "category_required")
    if not active:
        raise error("category_inactive")


def validate_organisation(*, given: bool, found: bool) -> None:
    """Who reported: one of the municipality's organisations."""
    if not found:
        raise error("unknown_organisation" if given else "organisation_required")


def validate_area(*, found: bool) -> None:
    """A named area (when one is named) is one of the municipality's."""
    if not found:
        raise error("unknown_area")


def validate_place(*, found: bool) -> None:
    """A named place (when one is named) is one of the area's."""
    if not found:
        raise error("unknown_place")


def validate_where(*, area: bool, place: bool, position: bool) -> None:
    """Where: a place, an area or a position, at least one of them."""
    if not (area or place or position):
        raise error("where_required")


def validate_coordinates(
    first: float | None,
    second: float | None,
    *,
    ranges: tuple[Range, Range],
    system: str,
) -> tuple[float, float]:
    """A position as two numbers inside ``ranges`` (first, second) of the reference ``system``."""
    if first is None or second is None:
        raise error("invalid_position")
    (low1, high1), (low2, high2) = ranges
    if not (low1 <= first <= high1 and low2 <= second <= high2):
        raise error("coordinates_out_of_range", system=system)
    return first, second


def validate_occurred_at(
    moment: dt.datetime | None,
    *,
    now: dt.datetime,
    future_tolerance: dt.timedelta,
    max_age: dt.timedelta | None = None,
) -> dt.datetime:
    """When: a date and time, not in the future (beyond the tolerance), not too old.

    ``moment`` and ``now`` must both be aware or both naive in the same zone.
    """
    if moment is None:
        raise error("occurred_at_required")
    if moment > now + future_tolerance:
        raise error("occurred_in_future")
    if max_age is not None and moment < now - max_age:
        raise error("occurred_too_long_ago", days=max_age.days)
    return moment


def validate_severity(value: int | None) -> None:
    """How bad, when given: 1, 2 or 3 (``value`` is what the door could read as a number)."""
    if value is not None and value not in SEVERITY_VALUES:
        raise error("invalid_severity")


def validate_text(text: str) -> None:
    """The description: short, and without personal data (only the kind found is named).

    Both problems are raised together when both are there.
    """
    problems = []
    if len(text) > TEXT_MAX_LENGTH:
        problems.append(error("text_too_long", limit=TEXT_MAX_LENGTH))
    findings = scan(text, vehicle_registrations=True) if text else []
    if findings:
        problems.append(error("personal_data", describe(findings)))
    if problems:
        raise ValidationError(problems)

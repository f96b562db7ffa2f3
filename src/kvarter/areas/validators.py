"""Named validators other apps call when they link rows to areas."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from kvarter.areas.models import Area
from kvarter.core.error_codes import error


def validate_areas_in_municipality(
    areas: Iterable[Area], municipality_id: int, *, field: str = "areas"
) -> None:
    """A plan, role or report may only point at areas of its own municipality."""
    if any(area.municipality_id != municipality_id for area in areas):
        raise ValidationError(
            {
                field: error("area_other_municipality")
            }
        )

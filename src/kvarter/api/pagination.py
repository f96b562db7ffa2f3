"""The API's pagination: DRF's ``limit``/``offset``, with bounds.

Without bounds, ``?limit=99999999999999999999`` reaches the database as a LIMIT it cannot hold
(``bigint out of range``: a server error). A ``limit`` above :data:`MAX_LIMIT` or an
``offset`` above :data:`MAX_OFFSET` is a 400, and so is one that is not a whole number (DRF
would silently serve the first page instead), as the schema says.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


def _bounded(request: Request, name: str, *, low: int, high: int) -> int | None:
    """The query parameter ``name`` as a whole number in ``low..high``; ``None`` when absent."""
    if name not in request.query_params:
        return None
    try:
        value = int(request.query_params[name])
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError(
            {
                name: ValidationError(
                    _("Must be a whole number from %(low)s to %(high)s."),
                    code="out_of_range",
                    params={"low": low, "high": high},
                )
            }
        )
    return value


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int | None:
        value = _bounded(request, self.limit_query_param, low=1, high=MAX_LIMIT)
        return self.default_limit if value is None else value

    def get_offset(self, request: Request) -> int:
        value = _bounded(request, self.offset_query_param, low=0, high=MAX_OFFSET)
        return 0 if value is None else value

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": MAX_LIMIT},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

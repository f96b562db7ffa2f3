"""One JSON shape for every API error: ``{"errors": [{"code", "field", "message"}]}``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied, StaleVersion
from kvarter.core.importing import ImportRejected


def _django_errors(error: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "code": e.code or "invalid", "message": " ".join(e.messages)}
            for field, errors in error.error_dict.items()
            for e in errors
        ]
    return [
        {"field": None, "code": e.code or "invalid", "message": " ".join(e.messages)}
        for e in error.error_list
    ]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, NotFoundOrForbidden):
        return Response(
            {"errors": [{"field": None, "code": "not_found", "message": "Not found."}]},
            status=status.HTTP_404_NOT_FOUND,
        )
    if isinstance(exc, PermissionDenied):
        return Response(
            {"errors": [{"field": None, "code": exc.code, "message": str(exc)}]},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, StaleVersion):
        return Response({"errors": _django_errors(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response({"errors": _django_errors(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ImportRejected):
        return Response(
            {
                "errors": [
                    {"row": p.row, "field": p.field, "code": p.code, "message": p.message}
                    for p in exc.problems
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "errors" not in response.data:
        detail = response.data.get("detail")
        if detail is not None:
            code = getattr(detail, "code", "error")
            response.data = {"errors": [{"field": None, "code": code, "message": str(detail)}]}
        else:
            response.data = {"errors": list(_drf_errors(response.data))}
    return response


def _drf_errors(detail: Any, field: str | None = None) -> Iterator[dict[str, Any]]:
    """DRF's nested error details, flat: a nested field's path joined with dots
    (``values.0.value``), each message a sentence and never the repr of a dict or list."""
    if isinstance(detail, dict):
        for key, inner in detail.items():
            path = str(key) if field is None else f"{field}.{key}"
            yield from _drf_errors(inner, path)
    elif isinstance(detail, list):
        nested = any(isinstance(item, dict | list) for item in detail)
        for index, item in enumerate(detail):
            if nested and isinstance(item, dict) and not item:
                continue  # a list item without errors
            yield from _drf_errors(item, f"{field}.{index}" if nested and field else field)
    else:
        yield {"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}

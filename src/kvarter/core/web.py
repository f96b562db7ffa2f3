"""Helpers shared by HTML views: map domain errors to HTTP answers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn 'not found or forbidden' into 404 and 'denied' into 403, one place for all views."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden as error:
            raise Http404 from error
        except PermissionDenied as error:
            raise DjangoPermissionDenied(str(error)) from error

    return wrapper

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from kvarter.core.doors import Door, entered_through

NUL_IN_ADDRESS = _("The address contains a null character, which is not allowed.")


class DoorMiddleware:
    """Marks every request as coming through the API or the web pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        door = Door.API if request.path.startswith("/api/") else Door.WEB
        with entered_through(door):
            return self.get_response(request)


class RefuseNulMiddleware:
    """Answers 400 to an address with a NUL character in its path or query.

    PostgreSQL cannot hold a NUL in text, so ``?municipality=%00`` would reach the database
    and end in a server error on any filter that uses it. Refused here, once, for every door.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = str(NUL_IN_ADDRESS)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"errors": [{"field": None, "code": "null_character", "message": message}]},
                    status=400,
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

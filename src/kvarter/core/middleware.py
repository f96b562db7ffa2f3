from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kvarter.core.doors import Door, entered_through


class DoorMiddleware:
    """Marks every request as coming through the API or the web pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        door = Door.API if request.path.startswith("/api/") else Door.WEB
        with entered_through(door):
            return self.get_response(request)

"""Production posture for every answer: security headers, no caching of raw EST data, staff-only
admin and API docs, and session lifetimes. Configured in settings (settings/env.py reads the
environment); see docs/architecture.md#configuration.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Answers that carry raw EST data (single reports, their places and texts, raw exports, the
# situational picture): no browser or proxy may keep a copy.
RAW_EST_PATHS = re.compile(
    r"^/(?:est/|api/v1/(?:incident-reports|est)/|api/v1/municipalities/[^/]+/situational-picture/)"
)
STAFF_ONLY_PATHS = ("/django-admin/", "/api/docs/", "/api/schema/")

SESSION_STARTED = "_kvarter_session_started"
SESSION_SEEN = "_kvarter_session_seen"
SEEN_RESOLUTION = 60  # seconds: the last-seen time is written at most once a minute


def content_security_policy(tile_url: str = "") -> str:
    """No inline script, no foreign origins except the configured map tile server's images."""
    images = ["'self'", "data:"]
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "*"))
        if parts.scheme in ("http", "https") and parts.hostname:
            images.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Leaflet, htmx and Swagger UI set inline styles; style attributes cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer; no-store on raw EST data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy(getattr(settings, "KVARTER_TILE_URL", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if RAW_EST_PATHS.match(request.path):
            add_never_cache_headers(response)
        return response


class StaffOnlyMiddleware:
    """With KVARTER_STAFF_ONLY_TOOLS (on in production), the Django admin and the API docs and
    schema answer only logged-in staff: others are sent to the login page or refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.KVARTER_STAFF_ONLY_TOOLS and request.path.startswith(STAFF_ONLY_PATHS):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_staff:
                raise PermissionDenied
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Ends a login after KVARTER_SESSION_HOURS in all, or after KVARTER_SESSION_IDLE_MINUTES
    without a request, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is not None and seen is not None:
            too_old = now - int(started) > settings.KVARTER_SESSION_SECONDS
            idle = now - int(seen) > settings.KVARTER_SESSION_IDLE_SECONDS
            if too_old or idle:
                logout(request)  # flushes the session; the request goes on as anonymous
                return
        if started is None:
            session[SESSION_STARTED] = now
        if seen is None or now - int(seen) >= SEEN_RESOLUTION:
            session[SESSION_SEEN] = now

"""Login lockout behind the reverse proxy (django-axes).

Axes locks a username+address pair after AXES_FAILURE_LIMIT failures. For that to mean the
attacker's address and not the proxy's, ``client_ip`` reads X-Forwarded-For, trusting exactly
KVARTER_TRUSTED_PROXY_COUNT proxies. ``LockoutBackend`` also refuses an address that has
failed for KVARTER_LOGIN_SPRAY_LIMIT different usernames within the cool-off time (a spray of
one try per username).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off, get_lockout_message
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client as seen by the outermost trusted proxy."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.KVARTER_TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    chain = [*forwarded, remote] if remote else forwarded
    # The last `trusted` entries were added by our proxies; the one before is the client.
    if len(chain) > trusted:
        return chain[-(trusted + 1)]
    return chain[0] if chain else remote


def is_spraying(request: HttpRequest) -> bool:
    address = client_ip(request)
    if not address:
        return False
    cool_off = get_cool_off(request) or timedelta(hours=1)
    usernames = (
        AccessAttempt.objects.filter(
            ip_address=address,
            failures_since_start__gt=0,
            attempt_time__gte=timezone.now() - cool_off,
        )
        .values("username")
        .distinct()
        .count()
    )
    return usernames >= settings.KVARTER_LOGIN_SPRAY_LIMIT


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(
        self,
        request: HttpRequest,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None and settings.AXES_ENABLED and is_spraying(request):
            kwargs.get("response_context", {})["error"] = get_lockout_message()
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("Too many usernames tried from one address")
        return super().authenticate(request, username, password, **kwargs)

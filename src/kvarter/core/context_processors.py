from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kvarter import __version__


def kvarter(request: HttpRequest) -> dict[str, Any]:
    """Site-wide settings for templates; the menu's municipalities come from
    ``kvarter.home.context_processors.navigation`` (core reads no domain)."""
    return {
        "kvarter_version": __version__,
        "kvarter_tile_url": settings.KVARTER_TILE_URL,
        "kvarter_tile_attribution": settings.KVARTER_TILE_ATTRIBUTION,
    }

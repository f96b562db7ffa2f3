from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kvarter import __version__


def kvarter(request: HttpRequest) -> dict[str, Any]:
    from kvarter.areas.selectors import municipality_list

    return {
        "kvarter_version": __version__,
        "kvarter_tile_url": settings.KVARTER_TILE_URL,
        "kvarter_tile_attribution": settings.KVARTER_TILE_ATTRIBUTION,
        # Lazy: evaluated only by templates that draw the menu.
        "nav_municipalities": municipality_list(actor=getattr(request, "user", None)),
    }

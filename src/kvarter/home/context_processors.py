from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kvarter.areas.selectors import municipality_list


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The municipalities in the site menu (base.html), as the user may see them."""
    return {
        # Lazy: evaluated only by templates that draw the menu.
        "nav_municipalities": municipality_list(actor=getattr(request, "user", None)),
    }

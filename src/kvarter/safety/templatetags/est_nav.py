"""``{% est_nav_url as url %}``: where the menu's EST link goes for this user, or "" for none."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability

register = template.Library()


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def est_nav_url(context: Any) -> str:
    """EST members go to the situational picture, reporters to the report form; others who
    read aggregates to the picture; everyone else gets no link."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    resolver = resolver_for(user)
    if resolver.is_superuser or resolver.municipality_ids_with(Capability.VIEW_RAW_INCIDENTS):
        return _url("safety:picture") or _url("safety:report")
    if resolver.municipality_ids_with(Capability.FILE_INCIDENTS):
        return _url("safety:report")
    if resolver.municipality_ids_with(Capability.VIEW_MUNICIPALITY_INTERNALS):
        return _url("safety:picture")
    return ""

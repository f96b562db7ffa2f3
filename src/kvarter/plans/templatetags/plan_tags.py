"""Template helpers for plan pages, also used by the follow-up app's plan page.

``{% can_change_plan plan as can_edit %}`` gives the resolver's answer; ``{{ amount|kronor }}``
writes whole kronor with space-grouped thousands ('1 500 000 kr').
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for

register = template.Library()


@register.simple_tag(takes_context=True)
def can_change_plan(context: template.Context, plan: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(plan is not None and resolver_for(user).can_change_plans_of(plan.municipality_id))


@register.filter
def kronor(amount: int | None) -> str:
    if amount is None:
        return ""
    grouped = f"{int(amount):,}".replace(",", "\u00a0")
    return _("%(amount)s kr") % {"amount": grouped}

"""Roll-over notes on the round and plan pages: ``{% load followup_rollover %}``."""

from __future__ import annotations

from typing import Any

from django import template

from kvarter.accounts.permissions import resolver_for
from kvarter.followup.lineage import plan_origin
from kvarter.followup.rollover import successor_of

register = template.Library()


@register.inclusion_tag("followup/_rollover_action.html", takes_context=True)
def rollover_action(context: dict[str, Any], round: Any) -> dict[str, Any]:
    """On a closed round's page: 'Create next year's plan', or the plan it was rolled over to."""
    user = context["request"].user
    plan = round.plan
    return {
        "round": round,
        "shown": round.is_closed,
        "successor": successor_of(plan) if round.is_closed else None,
        "may_change": resolver_for(user).can_change_plans_of(plan.municipality_id),
    }


@register.inclusion_tag("followup/_plan_origin.html")
def plan_origin_note(plan: Any) -> dict[str, Any]:
    """On a plan's page: the plan it was rolled over from, and its merged and dropped measures."""
    return {"plan": plan, "origin": plan_origin(plan)}

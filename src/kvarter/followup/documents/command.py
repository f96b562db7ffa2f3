"""``kvarter report followup PLAN --format pdf|docx|xlsx|json|html --out FILE``: the follow-up
of a round (default: the latest), registered with :mod:`kvarter.reports.registry`.

The CLI is a trusted door: it acts as :data:`kvarter.core.actors.SYSTEM`, which sees every
measure of the plan. ``--area`` and ``--unit`` narrow the report like the web page's filters;
``--format json`` writes the counts the documents are built from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.followup.documents.report import followup_document
from kvarter.followup.goal_fulfilment import round_report_summary
from kvarter.followup.models import FollowUpRound, RoundKind
from kvarter.followup.selectors import latest_round, visible_measures
from kvarter.plans.models import Plan
from kvarter.reports.formats import render


def followup_report_file(options: Mapping[str, Any]) -> bytes:
    """The follow-up report of the plan named in ``options`` as a file in its format."""
    if not options.get("plan"):
        raise CommandError(gettext("Give the plan."))
    plan = _plan(options["plan"], options.get("municipality"))
    round = _round(plan, options.get("round"))
    area = _area(plan, options.get("area"))
    unit = _unit(plan, options.get("unit"))
    fmt: str = options["format"]
    if fmt == "json":
        measures = visible_measures(SYSTEM, plan, area=area, unit=unit)
        summary = round_report_summary(round, measures, area=area, unit=unit)
        return json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8")
    doc = followup_document(
        round, user=SYSTEM, area=area, unit=unit, language=options.get("language") or "sv"
    )
    return render(doc, fmt)


def _plan(name_or_id: str, municipality_code: str | None) -> Plan:
    plans = Plan.objects.select_related("municipality")
    if municipality_code:
        plans = plans.filter(municipality__code=municipality_code)
    found = list(plans.filter(name__iexact=name_or_id))
    if not found and name_or_id.isdigit():
        found = list(plans.filter(pk=int(name_or_id)))
    if not found:
        raise CommandError(gettext("No such plan: %(name)s") % {"name": name_or_id})
    if len(found) > 1:
        raise CommandError(
            gettext("Several municipalities have a plan of that name; give --municipality.")
        )
    return found[0]


def _round(plan: Plan, spec: str | None) -> FollowUpRound:
    if not spec:
        latest = latest_round(plan)
        if latest is None:
            raise CommandError(gettext("The plan has no round: %(plan)s") % {"plan": plan})
        return latest
    year_text, _, kind = spec.partition(":")
    if not year_text.isdigit() or (kind and kind not in RoundKind.values):
        raise CommandError(gettext("--round is YEAR or YEAR:KIND: %(round)s") % {"round": spec})
    found = plan.rounds.filter(year=int(year_text), kind=kind or RoundKind.YEARLY).first()
    if found is None:
        raise CommandError(gettext("No such round: %(round)s") % {"round": spec})
    return found


def _area(plan: Plan, name: str | None) -> Area | None:
    if not name:
        return None
    area = Area.objects.filter(municipality_id=plan.municipality_id, name__iexact=name).first()
    if area is None:
        raise CommandError(gettext("No such area: %(name)s") % {"name": name})
    return area


def _unit(plan: Plan, abbreviation: str | None) -> Organisation | None:
    if not abbreviation:
        return None
    units = Organisation.objects.filter(municipality_id=plan.municipality_id)
    unit = (
        units.filter(short_name__iexact=abbreviation).first()
        or units.filter(name__iexact=abbreviation).first()
    )
    if unit is None:
        raise CommandError(gettext("No such unit: %(name)s") % {"name": abbreviation})
    return unit

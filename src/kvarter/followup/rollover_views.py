"""Pages for the roll-over (preview, then confirm) and for a measure's lineage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import PermissionDenied
from kvarter.core.web import domain_errors
from kvarter.followup.lineage import measure_lineage
from kvarter.followup.models import Disposition
from kvarter.followup.rollover import (
    plan_roll_over,
    roll_over_defaults,
    rollover_outline,
    successor_of,
)
from kvarter.followup.rollover_planning import RENUMBER_CONSECUTIVE, RENUMBER_KEEP
from kvarter.followup.selectors import access_round_by_id
from kvarter.plans.selectors import access_measure_by_id


class RollOverForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the new plan"), max_length=200)
    start_year = forms.IntegerField(
        label=gettext_lazy("First year"), min_value=2000, max_value=2100
    )
    end_year = forms.IntegerField(label=gettext_lazy("Last year"), min_value=2000, max_value=2100)
    renumber = forms.ChoiceField(
        label=gettext_lazy("Numbering"),
        choices=[
            (RENUMBER_KEEP, gettext_lazy("Keep the numbers (gaps where measures end)")),
            (
                RENUMBER_CONSECUTIVE,
                gettext_lazy("Number again without gaps within each goal area (1.1, 1.2 …)"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=RENUMBER_KEEP,
    )
    carry_undecided = forms.BooleanField(
        label=gettext_lazy("Carry over measures with no decision, as kept"),
        required=False,
        help_text=gettext_lazy("Otherwise they are left out of the new plan."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot come before the first year."))
        return data


@login_required
@domain_errors
def round_roll_over(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: the preview with default values; POST: a new preview, or (confirm) the roll-over."""
    round_ = access_round_by_id(request.user, round_id)
    plan = round_.plan
    if not resolver_for(request.user).can_change_plans_of(plan.municipality_id):
        raise PermissionDenied()
    successor = successor_of(plan)
    if successor is not None:
        messages.info(request, _("The plan has already been rolled over; this is the new plan."))
        return redirect("followup:plan", successor.pk)
    if not round_.is_closed:
        messages.error(request, _("Close the follow-up round before creating the next plan."))
        return redirect("followup:round", round_.pk)

    defaults = roll_over_defaults(round_)
    initial = {
        "name": defaults.name,
        "start_year": defaults.start_year,
        "end_year": defaults.end_year,
        "renumber": RENUMBER_KEEP,
    }
    form = RollOverForm(request.POST or None, initial=initial)
    renumber, carry_undecided = RENUMBER_KEEP, False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        renumber, carry_undecided = data["renumber"], data["carry_undecided"]
        if request.POST.get("confirm"):
            try:
                new_plan, outline = plan_roll_over(actor=request.user, round=round_, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The plan %(name)s is created as a draft with %(n)s measures.")
                    % {"name": new_plan.name, "n": outline.counts["carried"]},
                )
                return redirect("followup:plan", new_plan.pk)
    outline = rollover_outline(round_, renumber=renumber, carry_undecided=carry_undecided)
    return render(
        request,
        "followup/rollover_preview.html",
        {
            "round": round_,
            "plan": plan,
            "form": form,
            "outline": outline,
            "dispositions": Disposition.choices,
        },
    )


@login_required
@domain_errors
def measure_lineage_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access_measure_by_id(request.user, measure_id)
    lineage = measure_lineage(request.user, measure)
    return render(
        request,
        "followup/measure_lineage.html",
        {"measure": measure, "plan": measure.plan, "lineage": lineage},
    )

"""The goals judged: a plan's goals page (in its latest round), a round's goal fulfilment page
and the inline (htmx) assessment of qualitative criteria.

Everyone who may read the plan sees how each goal stands in the round: the quantitative
criteria judged for everyone, women and men, and the qualitative criteria's assessments.
Strategists and administrators assess the qualitative criteria while the round is open.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import PermissionDenied
from kvarter.core.forms import add_service_errors
from kvarter.core.web import domain_errors
from kvarter.followup.forms import AssessmentForm
from kvarter.followup.goal_overview import plan_goals_overview, round_goal_rows
from kvarter.followup.models import CriterionAssessment, FollowUpRound
from kvarter.followup.selectors import access_round_by_id
from kvarter.followup.services import criterion_assess
from kvarter.plans.goal_selectors import access, municipality_visions
from kvarter.plans.models import QualitativeCriterion
from kvarter.plans.selectors import access_plan_by_id


def _can_assess(request: HttpRequest, round_: FollowUpRound) -> bool:
    manages = resolver_for(request.user).can_manage_rounds_of(round_.plan.municipality_id)
    return manages and not round_.is_closed


@login_required
@domain_errors
def plan_goals(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id)
    return render(
        request,
        "plans/goals/plan_goals.html",
        {
            "plan": plan,
            "overview": plan_goals_overview(request.user, plan),
            "visions": municipality_visions(plan.municipality_id),
            "can_edit": resolver_for(request.user).can_change_plans_of(plan.municipality_id),
        },
    )


@login_required
@domain_errors
def round_goals(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access_round_by_id(request.user, round_id)
    return render(
        request,
        "plans/goals/round_goals.html",
        {
            "round": round_,
            "plan": round_.plan,
            "rows": round_goal_rows(round_),
            "can_assess": _can_assess(request, round_),
        },
    )


def _criterion_url(round_: FollowUpRound, criterion: QualitativeCriterion) -> str:
    return reverse("goals:assess", args=[round_.pk, criterion.pk])


@login_required
@domain_errors
def assessment_edit(request: HttpRequest, round_id: int, criterion_id: int) -> HttpResponse:
    """GET: the inline form; POST: save it. Answers htmx with the criterion's block."""
    round_ = access_round_by_id(request.user, round_id)
    criteria = QualitativeCriterion.objects.filter(goal__goal_area__plan=round_.plan)
    criterion = access(criteria.select_related("goal__goal_area"), criterion_id)
    if not resolver_for(request.user).can_manage_rounds_of(round_.plan.municipality_id):
        raise PermissionDenied()
    existing = CriterionAssessment.objects.filter(round=round_, criterion=criterion).first()
    htmx = bool(request.headers.get("HX-Request"))
    if round_.is_closed and request.method != "POST":
        return _block_response(request, round_, criterion, existing, htmx=htmx)
    initial: dict[str, Any] = {"version": existing.version if existing else 0}
    if existing:
        initial |= {"assessment": existing.assessment, "motivation": existing.motivation}
    form = AssessmentForm(request.POST or None, initial=initial, prefix_id=f"c{criterion.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            saved, _changed = criterion_assess(
                actor=request.user,
                round=round_,
                criterion=criterion,
                assessment=form.cleaned_data["assessment"],
                motivation=form.cleaned_data["motivation"],
                expected_version=form.expected_version(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _block_response(request, round_, criterion, saved, htmx=htmx, saved=True)
    context = {"round": round_, "criterion": criterion, "form": form, "plan": round_.plan}
    template = "plans/goals/_assessment_form.html" if htmx else "plans/goals/assessment_page.html"
    # htmx swaps a 422 in place (see base.html); a full page answers 200 with the errors.
    return render(request, template, context, status=422 if form.errors and htmx else 200)


def _block_response(
    request: HttpRequest,
    round_: FollowUpRound,
    criterion: QualitativeCriterion,
    assessment: CriterionAssessment | None,
    *,
    htmx: bool,
    saved: bool = False,
) -> HttpResponse:
    if htmx:
        return render(
            request,
            "plans/goals/_criterion_block.html",
            {
                "round": round_,
                "criterion": criterion,
                "assessment": assessment,
                "can_assess": _can_assess(request, round_),
            },
        )
    if saved:
        messages.success(request, _("The assessment is saved."))
    return redirect(reverse("goals:round_goals", args=[round_.pk]) + f"#c{criterion.pk}")

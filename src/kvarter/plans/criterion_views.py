"""Forms for the criteria of a goal: quantitative (an indicator against a target) and
qualitative (a written criterion). Editors only; the same form pattern as :mod:`goal_views`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from kvarter.core.web import domain_errors
from kvarter.plans import goal_services as services
from kvarter.plans.goal_forms import (
    QualitativeCriterionForm,
    QuantitativeCriterionForm,
)
from kvarter.plans.goal_selectors import access
from kvarter.plans.goal_views import (
    confirm_delete,
    form_page,
    form_values,
    goal_in_plan,
    goals_url,
)
from kvarter.plans.models import (
    Plan,
    QualitativeCriterion,
    QuantitativeCriterion,
)
from kvarter.plans.selectors import access_plan_by_id


@login_required
@domain_errors
def quantitative_new(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    goal = goal_in_plan(plan, goal_id)
    form = QuantitativeCriterionForm(request.POST or None, initial={"version": 0}, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New quantitative criterion for goal %(code)s") % {"code": goal.code},
        save=lambda: services.quantitative_criterion_create(
            actor=request.user, goal=goal, data=form.data_for_service()
        ),
        done=goals_url(plan, f"g{goal.pk}"),
        back=goals_url(plan, f"g{goal.pk}"),
        saved_message=_("The criterion is saved."),
    )


def _quantitative(plan: Plan, criterion_id: int) -> QuantitativeCriterion:
    criteria = QuantitativeCriterion.objects.filter(goal__goal_area__plan=plan)
    return access(criteria.select_related("goal__goal_area"), criterion_id)


@login_required
@domain_errors
def quantitative_edit(request: HttpRequest, plan_id: int, criterion_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    criterion = _quantitative(plan, criterion_id)
    fields = services.QUANTITATIVE_FIELDS
    initial = {name: getattr(criterion, name) for name in fields} | {
        "indicator": criterion.indicator_id,
        "area": criterion.area_id,
        "version": criterion.version,
    }
    form = QuantitativeCriterionForm(request.POST or None, initial=initial, plan=plan)
    goal = criterion.goal
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Edit quantitative criterion %(code)s:%(position)s")
        % {"code": goal.code, "position": criterion.position},
        save=lambda: services.quantitative_criterion_update(
            actor=request.user,
            criterion=criterion,
            data=form.data_for_service(),
            expected_version=form.expected_version(),
        ),
        done=goals_url(plan, f"g{goal.pk}"),
        back=goals_url(plan, f"g{goal.pk}"),
        saved_message=_("The criterion is saved."),
        delete_url=reverse("goals:quantitative_delete", args=[plan.pk, criterion.pk]),
    )


@login_required
@domain_errors
def quantitative_delete(request: HttpRequest, plan_id: int, criterion_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    criterion = _quantitative(plan, criterion_id)
    return confirm_delete(
        request,
        plan=plan,
        what=_("Quantitative criterion %(code)s:%(position)s")
        % {"code": criterion.goal.code, "position": criterion.position},
        delete=lambda: services.criterion_delete(actor=request.user, criterion=criterion),
        back=goals_url(plan, f"g{criterion.goal_id}"),
    )


@login_required
@domain_errors
def qualitative_new(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    goal = goal_in_plan(plan, goal_id)
    form = QualitativeCriterionForm(request.POST or None, initial={"version": 0})
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New qualitative criterion for goal %(code)s") % {"code": goal.code},
        save=lambda: services.qualitative_criterion_create(
            actor=request.user, goal=goal, data=form_values(form)
        ),
        done=goals_url(plan, f"g{goal.pk}"),
        back=goals_url(plan, f"g{goal.pk}"),
        saved_message=_("The criterion is saved."),
    )


def _qualitative(plan: Plan, criterion_id: int) -> QualitativeCriterion:
    criteria = QualitativeCriterion.objects.filter(goal__goal_area__plan=plan)
    return access(criteria.select_related("goal__goal_area"), criterion_id)


@login_required
@domain_errors
def qualitative_edit(request: HttpRequest, plan_id: int, criterion_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    criterion = _qualitative(plan, criterion_id)
    initial = {"letter": criterion.letter, "text": criterion.text, "version": criterion.version}
    form = QualitativeCriterionForm(request.POST or None, initial=initial)
    goal = criterion.goal

    def save() -> None:
        data = form_values(form)
        if not data.get("letter"):
            data.pop("letter", None)  # empty keeps the letter
        services.qualitative_criterion_update(
            actor=request.user,
            criterion=criterion,
            data=data,
            expected_version=form.expected_version(),
        )

    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Edit qualitative criterion %(code)s%(letter)s")
        % {"code": goal.code, "letter": criterion.letter},
        save=save,
        done=goals_url(plan, f"g{goal.pk}"),
        back=goals_url(plan, f"g{goal.pk}"),
        saved_message=_("The criterion is saved."),
        delete_url=reverse("goals:qualitative_delete", args=[plan.pk, criterion.pk]),
    )


@login_required
@domain_errors
def qualitative_delete(request: HttpRequest, plan_id: int, criterion_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    criterion = _qualitative(plan, criterion_id)
    return confirm_delete(
        request,
        plan=plan,
        what=_("Qualitative criterion %(code)s%(letter)s")
        % {"code": criterion.goal.code, "letter": criterion.letter},
        delete=lambda: services.criterion_delete(actor=request.user, criterion=criterion),
        back=goals_url(plan, f"g{criterion.goal_id}"),
    )

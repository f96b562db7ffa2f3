"""Goal pages: the plan's goal hierarchy, and forms for visions, goals and their criteria.

Anyone who may read the plan reads the goals page (others get 404, as for the plan); editors
(``can_change_plans_of``: administrators and strategists) get the forms. Every form carries the
version it read, and a save over someone else's change is refused with the form kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied, StaleVersion
from kvarter.core.web import domain_errors
from kvarter.plans import goal_services as services
from kvarter.plans.goal_forms import (
    GoalAreaVisionForm,
    GoalForm,
    QualitativeCriterionForm,
    QuantitativeCriterionForm,
    VisionForm,
    add_service_error,
)
from kvarter.plans.goal_selectors import access, municipality_visions, plan_goals_overview
from kvarter.plans.models import (
    Goal,
    GoalArea,
    Plan,
    QualitativeCriterion,
    QuantitativeCriterion,
    Vision,
)


def plan_for(request: HttpRequest, plan_id: int, *, edit: bool = False) -> Plan:
    """The plan if the user may read it (else 404); with ``edit``, also change it (else 403)."""
    plan = Plan.objects.select_related("municipality").filter(pk=plan_id).first()
    resolver = resolver_for(request.user)
    if plan is None or not resolver.can_view_plans_of(plan.municipality_id):
        raise NotFoundOrForbidden()
    if edit and not resolver.can_change_plans_of(plan.municipality_id):
        raise PermissionDenied()
    return plan


def goals_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("goals:plan_goals", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def form_page(
    request: HttpRequest,
    *,
    plan: Plan,
    form: forms.Form,
    title: str,
    save: Callable[[], Any],
    done: str | Callable[[Any], str],
    back: str,
    saved_message: str,
    delete_url: str = "",
    template: str = "plans/goals/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save`` and go to ``done``, else keep the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(done(saved) if callable(done) else done)
    context = {
        "plan": plan,
        "form": form,
        "title": title,
        "back": back,
        "delete_url": delete_url,
        **(extra or {}),
    }
    return render(request, template, context)


def _values(form: forms.Form) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@login_required
@domain_errors
def plan_goals(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
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


# --- visions ----------------------------------------------------------------------------------


@login_required
@domain_errors
def vision_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    form = VisionForm(request.POST or None, initial={"version": 0})
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New vision"),
        save=lambda: services.vision_create(
            acting_user=request.user, municipality=plan.municipality, **_values(form)
        ),
        done=goals_url(plan),
        back=goals_url(plan),
        saved_message=_("The vision is saved."),
    )


@login_required
@domain_errors
def vision_edit(request: HttpRequest, plan_id: int, vision_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    vision = access(Vision.objects.filter(municipality_id=plan.municipality_id), vision_id)
    initial = {"title": vision.title, "description": vision.description, "version": vision.version}
    form = VisionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Edit the vision"),
        save=lambda: services.vision_update(
            acting_user=request.user,
            vision=vision,
            data=_values(form),
            expected_version=form.expected_version(),
        ),
        done=goals_url(plan),
        back=goals_url(plan),
        saved_message=_("The vision is saved."),
    )


@login_required
@domain_errors
def goal_area_vision(request: HttpRequest, plan_id: int, goal_area_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    goal_area = access(GoalArea.objects.filter(plan=plan), goal_area_id)
    initial = {"vision": goal_area.vision_id, "version": goal_area.version}
    form = GoalAreaVisionForm(request.POST or None, initial=initial, plan=plan)

    def save() -> None:
        if form.expected_version() != goal_area.version:
            raise StaleVersion()
        services.goal_area_set_vision(
            acting_user=request.user, goal_area=goal_area, vision=form.cleaned_data["vision"]
        )

    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Vision of goal area %(goal_area)s") % {"goal_area": goal_area},
        save=save,
        done=goals_url(plan, f"ga{goal_area.pk}"),
        back=goals_url(plan, f"ga{goal_area.pk}"),
        saved_message=_("The goal area's vision is saved."),
    )


# --- goals -------------------------------------------------------------------------------------


def _goal(plan: Plan, goal_id: int) -> Goal:
    return access(Goal.objects.filter(goal_area__plan=plan).select_related("goal_area"), goal_id)


@login_required
@domain_errors
def goal_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    initial = {"version": 0, "goal_area": request.GET.get("goal_area")}
    form = GoalForm(request.POST or None, initial=initial, plan=plan)

    def save() -> Goal:
        data = _values(form)
        return services.goal_create(
            acting_user=request.user, goal_area=data.pop("goal_area"), data=data
        )

    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New goal"),
        save=save,
        done=lambda goal: goals_url(plan, f"g{goal.pk}"),
        back=goals_url(plan),
        saved_message=_("The goal is saved."),
    )


@login_required
@domain_errors
def goal_edit(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    goal = _goal(plan, goal_id)
    initial = {
        "number": goal.number,
        "title": goal.title,
        "description": goal.description,
        "version": goal.version,
    }
    form = GoalForm(request.POST or None, initial=initial, plan=plan, editing=True)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Edit goal %(code)s") % {"code": goal.code},
        save=lambda: services.goal_update(
            acting_user=request.user,
            goal=goal,
            data=_values(form),
            expected_version=form.expected_version(),
        ),
        done=goals_url(plan, f"g{goal.pk}"),
        back=goals_url(plan, f"g{goal.pk}"),
        saved_message=_("The goal is saved."),
        delete_url=reverse("goals:goal_delete", args=[plan.pk, goal.pk]),
    )


def confirm_delete(
    request: HttpRequest, *, plan: Plan, what: str, delete: Callable[[], None], back: str
) -> HttpResponse:
    if request.method == "POST":
        delete()
        messages.success(request, _("%(what)s is removed.") % {"what": what})
        return redirect(goals_url(plan))
    return render(
        request, "plans/goals/confirm_delete.html", {"plan": plan, "what": what, "back": back}
    )


@login_required
@domain_errors
def goal_delete(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    goal = _goal(plan, goal_id)
    return confirm_delete(
        request,
        plan=plan,
        what=_("Goal %(code)s") % {"code": goal.code},
        delete=lambda: services.goal_delete(acting_user=request.user, goal=goal),
        back=goals_url(plan, f"g{goal.pk}"),
    )


# --- criteria ----------------------------------------------------------------------------------


@login_required
@domain_errors
def quantitative_new(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    goal = _goal(plan, goal_id)
    form = QuantitativeCriterionForm(request.POST or None, initial={"version": 0}, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New quantitative criterion for goal %(code)s") % {"code": goal.code},
        save=lambda: services.quantitative_criterion_create(
            acting_user=request.user, goal=goal, data=form.data_for_service()
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
    plan = plan_for(request, plan_id, edit=True)
    criterion = _quantitative(plan, criterion_id)
    fields = services.QUANTITATIVE_FIELDS
    initial = {name: getattr(criterion, name) for name in fields} | {
        "series": criterion.series_id,
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
            acting_user=request.user,
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
    plan = plan_for(request, plan_id, edit=True)
    criterion = _quantitative(plan, criterion_id)
    return confirm_delete(
        request,
        plan=plan,
        what=_("Quantitative criterion %(code)s:%(position)s")
        % {"code": criterion.goal.code, "position": criterion.position},
        delete=lambda: services.criterion_delete(acting_user=request.user, criterion=criterion),
        back=goals_url(plan, f"g{criterion.goal_id}"),
    )


@login_required
@domain_errors
def qualitative_new(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    goal = _goal(plan, goal_id)
    form = QualitativeCriterionForm(request.POST or None, initial={"version": 0})
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New qualitative criterion for goal %(code)s") % {"code": goal.code},
        save=lambda: services.qualitative_criterion_create(
            acting_user=request.user, goal=goal, data=_values(form)
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
    plan = plan_for(request, plan_id, edit=True)
    criterion = _qualitative(plan, criterion_id)
    initial = {"letter": criterion.letter, "text": criterion.text, "version": criterion.version}
    form = QualitativeCriterionForm(request.POST or None, initial=initial)
    goal = criterion.goal

    def save() -> None:
        data = _values(form)
        if not data.get("letter"):
            data.pop("letter", None)  # empty keeps the letter
        services.qualitative_criterion_update(
            acting_user=request.user,
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
    plan = plan_for(request, plan_id, edit=True)
    criterion = _qualitative(plan, criterion_id)
    return confirm_delete(
        request,
        plan=plan,
        what=_("Qualitative criterion %(code)s%(letter)s")
        % {"code": criterion.goal.code, "letter": criterion.letter},
        delete=lambda: services.criterion_delete(acting_user=request.user, criterion=criterion),
        back=goals_url(plan, f"g{criterion.goal_id}"),
    )

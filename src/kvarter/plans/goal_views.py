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

from kvarter.core.errors import StaleVersion
from kvarter.core.forms import add_service_errors
from kvarter.core.web import domain_errors
from kvarter.plans import goal_services as services
from kvarter.plans.goal_forms import (
    GoalAreaVisionForm,
    GoalForm,
    VisionForm,
)
from kvarter.plans.goal_selectors import access
from kvarter.plans.models import (
    Goal,
    GoalArea,
    Plan,
    Vision,
)
from kvarter.plans.selectors import access_plan_by_id


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
            add_service_errors(form, error)
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


def form_values(form: forms.Form) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


# --- visions ----------------------------------------------------------------------------------


@login_required
@domain_errors
def vision_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    form = VisionForm(request.POST or None, initial={"version": 0})
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New vision"),
        save=lambda: services.vision_create(
            actor=request.user, municipality=plan.municipality, **form_values(form)
        ),
        done=goals_url(plan),
        back=goals_url(plan),
        saved_message=_("The vision is saved."),
    )


@login_required
@domain_errors
def vision_edit(request: HttpRequest, plan_id: int, vision_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    vision = access(Vision.objects.filter(municipality_id=plan.municipality_id), vision_id)
    initial = {"title": vision.title, "description": vision.description, "version": vision.version}
    form = VisionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Edit the vision"),
        save=lambda: services.vision_update(
            actor=request.user,
            vision=vision,
            data=form_values(form),
            expected_version=form.expected_version(),
        ),
        done=goals_url(plan),
        back=goals_url(plan),
        saved_message=_("The vision is saved."),
    )


@login_required
@domain_errors
def goal_area_vision(request: HttpRequest, plan_id: int, goal_area_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    goal_area = access(GoalArea.objects.filter(plan=plan), goal_area_id)
    initial = {"vision": goal_area.vision_id, "version": goal_area.version}
    form = GoalAreaVisionForm(request.POST or None, initial=initial, plan=plan)

    def save() -> None:
        if form.expected_version() != goal_area.version:
            raise StaleVersion()
        services.goal_area_set_vision(
            actor=request.user, goal_area=goal_area, vision=form.cleaned_data["vision"]
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


def goal_in_plan(plan: Plan, goal_id: int) -> Goal:
    return access(Goal.objects.filter(goal_area__plan=plan).select_related("goal_area"), goal_id)


@login_required
@domain_errors
def goal_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    initial = {"version": 0, "goal_area": request.GET.get("goal_area")}
    form = GoalForm(request.POST or None, initial=initial, plan=plan)

    def save() -> Goal:
        data = form_values(form)
        return services.goal_create(
            actor=request.user, goal_area=data.pop("goal_area"), data=data
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
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    goal = goal_in_plan(plan, goal_id)
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
            actor=request.user,
            goal=goal,
            data=form_values(form),
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
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    goal = goal_in_plan(plan, goal_id)
    return confirm_delete(
        request,
        plan=plan,
        what=_("Goal %(code)s") % {"code": goal.code},
        delete=lambda: services.goal_delete(actor=request.user, goal=goal),
        back=goals_url(plan, f"g{goal.pk}"),
    )

"""Pages for editing action plans, goal areas and measures, with inline measure editing (htmx).

Reading a plan needs VIEW_PLANS (area coordinators see the measures of their areas and the
whole municipality's, as on the follow-up pages); editing needs CHANGE_PLAN. A plan or measure
the user may not read answers 404, like a missing one; one they may read but not edit, 403.
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
from kvarter.accounts.roles import Capability
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.forms import add_service_errors
from kvarter.core.web import domain_errors
from kvarter.plans.forms import GoalAreaForm, MeasureForm, PlanForm
from kvarter.plans.history import history_of
from kvarter.plans.models import Measure
from kvarter.plans.selectors import (
    access_goal_area_by_id,
    access_measure_by_id,
    access_plan_by_id,
)
from kvarter.plans.services import (
    goal_area_create,
    goal_area_update,
    measure_create,
    measure_delete,
    measure_update,
    plan_create,
    plan_update,
)
from kvarter.plans.templatetags.plan_tags import kronor
from kvarter.safety.problem_places.selectors import problem_places_of_measure

# The fields the inline form on the plan page edits; the measure's edit page has them all.
INLINE_FIELDS = (
    "number",
    "goal_area",
    "title",
    "responsible_text",
    "financing",
    "amount",
    "start_date",
    "end_date",
)


def _plan_municipalities(user: Any) -> Any:
    """The municipalities whose plans ``user`` may create."""
    return resolver_for(user).municipalities_with(Capability.CHANGE_PLAN)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _refused_status(request: HttpRequest, stale: bool) -> int:
    # htmx swaps only 2xx and 422 (see base.html): a stale inline save answers 422 too.
    return 409 if stale and not _is_htmx(request) else 422


def _save(form: Any, save: Any) -> tuple[Any, int]:
    """Run ``save()``; on a refusal put its errors on the form. Returns (result, HTTP status)."""
    try:
        return save(), 200
    except StaleVersion as error:
        form.add_error(None, error)
        return None, 409
    except ValidationError as error:
        add_service_errors(form, error)
        return None, 422


# --- plans ---------------------------------------------------------------------------------


@login_required
@domain_errors
def plan_new(request: HttpRequest) -> HttpResponse:
    municipalities = _plan_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied()
    form = PlanForm(request.POST or None, municipalities=municipalities)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            plan, status = _save(form, lambda: plan_create(actor=request.user, **data))
            if plan is not None:
                messages.success(request, _("The plan is created."))
                return redirect("followup:plan", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form}, status=status)


@login_required
@domain_errors
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    initial = {
        "name": plan.name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "status": plan.status,
        "decision_reference": plan.decision_reference,
        "version": plan.version,
    }
    form = PlanForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            data["end_year"] = data["end_year"] or data["start_year"]
            saved, status = _save(
                form,
                lambda: plan_update(
                    actor=request.user,
                    plan=plan,
                    data=data,
                    expected_version=form.expected_version(),
                ),
            )
            if saved is not None:
                messages.success(request, _("The plan is saved."))
                return redirect("followup:plan", plan.pk)
            plan.refresh_from_db()
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan}, status=status)


# --- goal areas ----------------------------------------------------------------------------


@login_required
@domain_errors
def goal_areas(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's goal areas, and a form to add one."""
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    next_number = max((g.number for g in plan.goal_areas.all()), default=0) + 1
    form = GoalAreaForm(request.POST or None, creating=True, initial={"number": next_number})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            created, status = _save(
                form,
                lambda: goal_area_create(actor=request.user, plan=plan, **form.cleaned_data),
            )
            if created is not None:
                messages.success(request, _("The goal area %(name)s is added.") % {"name": created})
                return redirect("plans:goal_areas", plan.pk)
    return render(
        request,
        "plans/goal_areas.html",
        {"plan": plan, "goal_areas": plan.goal_areas.order_by("number"), "form": form},
        status=status,
    )


@login_required
@domain_errors
def goal_area_edit(request: HttpRequest, goal_area_id: int) -> HttpResponse:
    goal_area = access_goal_area_by_id(request.user, goal_area_id, edit=True)
    plan = goal_area.plan
    initial = {"number": goal_area.number, "name": goal_area.name, "version": goal_area.version}
    form = GoalAreaForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            saved, status = _save(
                form,
                lambda: goal_area_update(
                    actor=request.user,
                    goal_area=goal_area,
                    data=data,
                    expected_version=form.expected_version(),
                ),
            )
            if saved is not None:
                messages.success(request, _("The goal area is saved."))
                return redirect("plans:goal_areas", plan.pk)
            goal_area.refresh_from_db()
    context = {"plan": plan, "goal_area": goal_area, "form": form}
    return render(request, "plans/goal_area_form.html", context, status=status)


# --- measures ------------------------------------------------------------------------------


@login_required
@domain_errors
def measure_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id, edit=True)
    initial = {"goal_area": request.GET.get("goal_area")}
    form = MeasureForm(request.POST or None, plan=plan, creating=True, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.measure_data()
            measure, status = _save(
                form, lambda: measure_create(actor=request.user, plan=plan, data=data)
            )
            if measure is not None:
                messages.success(request, _("The measure is created."))
                return redirect("plans:measure", measure.pk)
    context = {"plan": plan, "form": form}
    return render(request, "plans/measure_form.html", context, status=status)


def _measure_initial(measure: Measure) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(measure, name)
        for name in (
            "number",
            "goal_area",
            "title",
            "description",
            "responsible_text",
            "partners",
            "financing",
            "start_date",
            "end_date",
            "version",
        )
    }
    initial["amount"] = "" if measure.amount is None else f"{measure.amount:,}".replace(",", " ")
    for name in ("areas", "responsible_units", "goals"):
        initial[name] = list(getattr(measure, name).all())
    return initial


@login_required
@domain_errors
def measure_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    """The full edit page; with htmx, the inline form on the plan page (answering a row)."""
    measure = access_measure_by_id(request.user, measure_id, edit=True)
    inline = _is_htmx(request)
    form = MeasureForm(
        request.POST or None,
        plan=measure.plan,
        initial=_measure_initial(measure),
        prefix_ids=f"measure-{measure.pk}" if inline else "",
    )
    if inline:
        for name in [n for n in form.fields if n not in (*INLINE_FIELDS, "version")]:
            del form.fields[name]
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.measure_data()
            saved, status = _save(
                form,
                lambda: measure_update(
                    actor=request.user,
                    measure=measure,
                    data=data,
                    expected_version=form.expected_version(),
                ),
            )
            if saved is not None:
                if inline:
                    return _row(request, measure.pk)
                messages.success(request, _("The measure is saved."))
                return redirect("plans:measure", measure.pk)
            status = _refused_status(request, status == 409)
            # The failed save changed the object: read it again.
            measure = access_measure_by_id(request.user, measure_id)
    template = "plans/_measure_form_row.html" if inline else "plans/measure_form.html"
    context = {"plan": measure.plan, "measure": measure, "form": form}
    return render(request, template, context, status=status)


def _row(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = (
        Measure.objects.select_related("goal_area", "plan")
        .prefetch_related("areas", "responsible_units")
        .get(pk=measure_id)
    )
    return render(request, "plans/_measure_row.html", {"m": measure, "can_edit": True})


@login_required
@domain_errors
def measure_row(request: HttpRequest, measure_id: int) -> HttpResponse:
    """The measure's row of the plan page (htmx: cancelling the inline form)."""
    measure = access_measure_by_id(request.user, measure_id, edit=True)
    if not _is_htmx(request):
        return redirect(reverse("followup:plan", args=[measure.plan_id]) + f"#measure-{measure.pk}")
    return _row(request, measure.pk)


@login_required
@domain_errors
def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access_measure_by_id(request.user, measure_id)
    resolver = resolver_for(request.user)
    reports = {r.round_id: r for r in measure.status_reports.select_related("merged_into")}
    rounds = [(round_, reports.get(round_.pk)) for round_ in measure.plan.rounds.all()]
    show_history = resolver.can_view_audit_log(measure.plan.municipality)
    context = {
        "measure": measure,
        "plan": measure.plan,
        "areas": measure.areas.all(),
        "units": measure.responsible_units.all(),
        "goals": measure.goals.select_related("goal_area"),
        "rounds": rounds,
        "history": history_of(measure, formats={"amount": kronor}) if show_history else None,
        "can_edit": resolver.can_change_plans_of(measure.plan.municipality_id),
        # EST problem places worked on through this measure (tactical level).
        "problem_places": problem_places_of_measure(request.user, measure),
    }
    return render(request, "plans/measure_detail.html", context)


@login_required
@domain_errors
def measure_delete_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    """GET: ask; POST: delete (refused once a follow-up round has a report on the measure)."""
    measure = access_measure_by_id(request.user, measure_id, edit=True)
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            measure_delete(
                actor=request.user,
                measure=measure,
                expected_version=int(version) if version.isdigit() else 0,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("plans:measure", measure.pk)
        messages.success(
            request, _("The measure %(number)s is deleted.") % {"number": measure.number}
        )
        return redirect("followup:plan", measure.plan_id)
    return render(request, "plans/measure_delete.html", {"measure": measure, "plan": measure.plan})

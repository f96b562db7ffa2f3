"""Indicator series entered by hand: the list, the series form and the year × sex value grid.

Series belong to the municipality; the pages are reached from a plan's goals page, so the plan
gives the way back. Readers of the plan see the list; editors create, edit and fill in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.core.models import Sex
from kvarter.core.web import domain_errors
from kvarter.plans import goal_services as services
from kvarter.plans.goal_forms import SEX_LABELS, SeriesForm, SeriesValuesForm, add_service_error
from kvarter.plans.goal_selectors import (
    access,
    municipality_series,
    series_fingerprint,
    series_grid,
)
from kvarter.plans.goal_views import form_page, form_values, plan_for
from kvarter.plans.models import IndicatorSeries, Plan
from kvarter.plans.series_services import series_values_set


def _series_url(plan: Plan) -> str:
    return reverse("goals:series_list", args=[plan.pk])


@login_required
@domain_errors
def series_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    series = municipality_series(plan.municipality_id).prefetch_related("values")
    return render(
        request,
        "plans/goals/series_list.html",
        {
            "plan": plan,
            "series_list": series,
            "can_edit": resolver_for(request.user).can_change_plans_of(plan.municipality_id),
        },
    )


@login_required
@domain_errors
def series_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    form = SeriesForm(request.POST or None, initial={"version": 0}, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("New indicator series"),
        save=lambda: services.series_create(
            acting_user=request.user, municipality=plan.municipality, **form_values(form)
        ),
        done=lambda series: reverse("goals:series_values", args=[plan.pk, series.pk]),
        back=_series_url(plan),
        saved_message=_("The indicator series is saved. Enter its values."),
    )


def _series(plan: Plan, series_id: int) -> IndicatorSeries:
    return access(municipality_series(plan.municipality_id), series_id)


@login_required
@domain_errors
def series_edit(request: HttpRequest, plan_id: int, series_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id, edit=True)
    series = _series(plan, series_id)
    initial = {
        "name": series.name,
        "unit": series.unit,
        "area": series.area_id,
        "description": series.description,
        "version": series.version,
    }
    form = SeriesForm(request.POST or None, initial=initial, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Edit indicator series %(name)s") % {"name": series.name},
        save=lambda: services.series_update(
            acting_user=request.user,
            series=series,
            data=form_values(form),
            expected_version=form.expected_version(),
        ),
        done=_series_url(plan),
        back=_series_url(plan),
        saved_message=_("The indicator series is saved."),
    )


@login_required
@domain_errors
def series_values(request: HttpRequest, plan_id: int, series_id: int) -> HttpResponse:
    """The values grid: one row a year, a column each for everyone, women and men."""
    plan = plan_for(request, plan_id, edit=True)
    series = _series(plan, series_id)
    grid = series_grid(series)
    initial: dict[str, object] = {"state": series_fingerprint(series)}
    for year, by_sex in grid.items():
        for sex, value in by_sex.items():
            initial[f"v_{year}_{sex}"] = value.value
    form = SeriesValuesForm(request.POST or None, initial=initial, years=grid.keys())
    if request.method == "POST" and form.is_valid():
        try:
            series_values_set(
                acting_user=request.user,
                series=series,
                values=form.cells(),
                expected_state=form.cleaned_data.get("state") or "",
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The values are saved."))
            return redirect(_series_url(plan) + f"#s{series.pk}")
    return render(
        request,
        "plans/goals/series_values.html",
        {
            "plan": plan,
            "series": series,
            "form": form,
            "sex_labels": [SEX_LABELS[sex] for sex in Sex.values],
            "back": _series_url(plan),
        },
    )

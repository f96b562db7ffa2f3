"""Pages under /est/insatser/: the week's deployments, the decision form, the outcome afterwards.

Only the area's operational group (EST members of the area) reaches these pages; a deployment
of another area answers 404 like a missing one. The form can be opened from the situational
picture with its context in the query string (``?omrade=ID&plats=ID&vecka=2026-W48``): the
dates default to the week after the picture's week, which the Friday meeting decides for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.forms import DateInput, VersionedForm, add_service_errors
from kvarter.core.web import domain_errors
from kvarter.safety.deployments.selectors import (
    access_deployment_by_id,
    deployment_area_ids,
    deployment_list,
    iso_week_range,
)
from kvarter.safety.deployments.services import (
    deployment_create,
    deployment_record_outcome,
    deployment_update,
)
from kvarter.safety.models import Deployment, Outcome, Place, Resource

WEEKDAY_CHOICES = [
    (1, gettext_lazy("Monday")),
    (2, gettext_lazy("Tuesday")),
    (3, gettext_lazy("Wednesday")),
    (4, gettext_lazy("Thursday")),
    (5, gettext_lazy("Friday")),
    (6, gettext_lazy("Saturday")),
    (7, gettext_lazy("Sunday")),
]
TEXT_FIELDS = ("purpose", "outcome_note")


# --- context: municipality, areas, week -------------------------------------------------------


def est_municipality(request: HttpRequest) -> Municipality:
    """The municipality the EST pages are about: ``?kommun=CODE``, else the user's own."""
    code = request.GET.get("kommun") or request.POST.get("kommun")
    if code:
        municipality = Municipality.objects.filter(code=code).first()
    else:
        organisation = getattr(request.user, "organisation", None)
        municipality = organisation.municipality if organisation is not None else None
        if municipality is None:
            municipality = Municipality.objects.order_by("name").first()
    if municipality is None:
        raise PermissionDenied()
    return municipality


def operational_areas(request: HttpRequest, municipality: Municipality) -> Any:
    """The areas whose deployments the user decides; 403 when there are none."""
    allowed = deployment_area_ids(request.user, municipality.pk)
    areas = Area.objects.filter(municipality=municipality).order_by("name")
    if allowed is not None:
        areas = areas.filter(pk__in=allowed)
    if not areas.exists():
        raise PermissionDenied(
            _("Only the area's EST members (the operational group) see and decide deployments.")
        )
    return areas


def parse_week(value: str | None) -> tuple[int, int]:
    """'2026-W48' (as an <input type=week> sends it) → (2026, 48); default this week."""
    if value:
        try:
            year_text, week_text = value.upper().split("-W")
            year, week = int(year_text), int(week_text)
            dt.date.fromisocalendar(year, week, 1)
            return year, week
        except ValueError:
            pass
    today = timezone.localdate().isocalendar()
    return today.year, today.week


def _selected_ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.GET.getlist(name) if v.isdigit()]


# --- forms --------------------------------------------------------------------------------------


class DeploymentForm(VersionedForm):
    area = forms.ModelChoiceField(label=gettext_lazy("Area"), queryset=Area.objects.none())
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Resource"), queryset=Resource.objects.none()
    )
    place = forms.ModelChoiceField(
        label=gettext_lazy("Place"),
        queryset=Place.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty for the whole area."),
    )
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("To"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every day."),
    )
    time_from = forms.TimeField(
        label=gettext_lazy("From (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_to = forms.TimeField(
        label=gettext_lazy("To (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("No names, personal identity numbers, phone numbers or e-mail."),
    )

    def __init__(self, *args: Any, areas: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["resource"].queryset = Resource.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality, active=True
        )
        self.fields["place"].queryset = Place.objects.filter(  # type: ignore[attr-defined]
            area__in=areas
        ).select_related("area")
        self.fields["place"].label_from_instance = lambda p: f"{p.name} ({p.area.name})"  # type: ignore[attr-defined]


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    outcome_note = forms.CharField(
        label=gettext_lazy("What came of it"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("No names, personal identity numbers, phone numbers or e-mail."),
    )


def save_form(
    form: forms.Form, save: Any, *, text_fields: tuple[str, ...] = TEXT_FIELDS
) -> tuple[Any, int]:
    """Run ``save()``; a refusal goes on the form. A text refused for personal data is emptied
    so the page never shows it again."""
    try:
        return save(), 200
    except StaleVersion as error:
        form.add_error(None, error)
        return None, 409
    except ValidationError as error:
        add_service_errors(form, error)
        if hasattr(error, "error_dict"):
            refused = [
                field
                for field, errors in error.error_dict.items()
                if any(e.code == "personal_data" for e in errors) and field in text_fields
            ]
            if refused:
                emptied = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
                for field in refused:
                    emptied[field] = ""
                form.data = emptied
        return None, 422


# --- views ----------------------------------------------------------------------------------


@login_required
@domain_errors
def deployment_list_view(request: HttpRequest) -> HttpResponse:
    municipality = est_municipality(request)
    areas = operational_areas(request, municipality)
    year, week = parse_week(request.GET.get("vecka"))
    monday, sunday = iso_week_range(year, week)
    chosen = _selected_ids(request, "omrade")
    deployments = deployment_list(
        actor=request.user,
        municipality_id=municipality.pk,
        area_ids=chosen or None,
        start=monday,
        end=sunday,
    )
    context = {
        "municipality": municipality,
        "areas": areas,
        "chosen": chosen,
        "week": f"{year}-W{week:02d}",
        "monday": monday,
        "sunday": sunday,
        "previous_week": _week_text(monday - dt.timedelta(days=7)),
        "next_week": _week_text(monday + dt.timedelta(days=7)),
        "deployments": deployments,
    }
    return render(request, "safety/deployment_list.html", context)


def _week_text(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@login_required
@domain_errors
def deployment_new(request: HttpRequest) -> HttpResponse:
    municipality = est_municipality(request)
    areas = operational_areas(request, municipality)
    # The Friday meeting reads the picture of a week and decides for the week after it.
    year, week = parse_week(request.GET.get("vecka"))
    monday, sunday = iso_week_range(year, week)
    monday, sunday = monday + dt.timedelta(days=7), sunday + dt.timedelta(days=7)
    initial: dict[str, Any] = {"starts_on": monday, "ends_on": sunday}
    if request.GET.get("omrade", "").isdigit():
        initial["area"] = int(request.GET["omrade"])
    if request.GET.get("plats", "").isdigit():
        place = Place.objects.filter(pk=int(request.GET["plats"]), area__in=areas).first()
        if place is not None:
            initial |= {"place": place.pk, "area": place.area_id}
    form = DeploymentForm(
        request.POST or None, initial=initial, areas=areas, municipality=municipality
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            deployment, status = save_form(
                form, lambda: deployment_create(actor=request.user, **data)
            )
            if deployment is not None:
                messages.success(request, _("The deployment is recorded."))
                return redirect("safety:deployment", deployment.pk)
    context = {"form": form, "municipality": municipality, "deployment": None}
    return render(request, "safety/deployment_form.html", context, status=status)


@login_required
@domain_errors
def deployment_detail(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = access_deployment_by_id(request.user, deployment_id)
    form = OutcomeForm(
        request.POST or None,
        initial={
            "outcome": deployment.outcome or Outcome.CARRIED_OUT,
            "outcome_note": deployment.outcome_note,
            "version": deployment.version,
        },
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            saved, status = save_form(
                form,
                lambda: deployment_record_outcome(
                    actor=request.user,
                    deployment=deployment,
                    outcome=form.cleaned_data["outcome"],
                    outcome_note=form.cleaned_data["outcome_note"],
                    expected_version=form.expected_version(),
                ),
            )
            if saved is not None:
                messages.success(request, _("The outcome is recorded."))
                return redirect("safety:deployment", deployment.pk)
    context = {
        "deployment": deployment,
        "form": form,
        "may_record_outcome": deployment.starts_on <= timezone.localdate(),
        "weekday_names": _weekday_names(deployment),
    }
    return render(request, "safety/deployment_detail.html", context, status=status)


def _weekday_names(deployment: Deployment) -> str:
    names = dict(WEEKDAY_CHOICES)
    if not deployment.weekdays:
        return _("every day")
    return ", ".join(str(names[d]) for d in deployment.weekdays if d in names)


@login_required
@domain_errors
def deployment_edit(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = access_deployment_by_id(request.user, deployment_id)
    municipality = deployment.area.municipality
    areas = operational_areas(request, municipality)
    initial = {name: getattr(deployment, name) for name in DeploymentForm.base_fields}
    initial |= {"area": deployment.area_id, "resource": deployment.resource_id}
    initial |= {"place": deployment.place_id, "version": deployment.version}
    form = DeploymentForm(
        request.POST or None, initial=initial, areas=areas, municipality=municipality
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            saved, status = save_form(
                form,
                lambda: deployment_update(
                    actor=request.user,
                    deployment=deployment,
                    data=data,
                    expected_version=form.expected_version(),
                ),
            )
            if saved is not None:
                messages.success(request, _("The deployment is saved."))
                return redirect("safety:deployment", deployment.pk)
    context = {"form": form, "municipality": municipality, "deployment": deployment}
    return render(request, "safety/deployment_form.html", context, status=status)

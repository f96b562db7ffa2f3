"""Pages under /est/problemplatser/: the list, flagging a place, one problem place with its
report history and measures, editing, closing.

Reading: every user of the municipality who sees EST aggregates (counts, small ones hidden);
the raw events only for the area's EST members. Writing: the area's EST members.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.forms import VersionedForm
from kvarter.core.web import domain_errors
from kvarter.safety.deployments.views import est_municipality, save_form
from kvarter.safety.models import Place, ProblemPlaceStatus
from kvarter.safety.problem_places.selectors import (
    access_problem_place_by_id,
    linkable_measures,
    problem_place_history,
    problem_place_list,
)
from kvarter.safety.problem_places.services import (
    problem_place_close,
    problem_place_flag,
    problem_place_update,
)

DEPLOYMENTS_SHOWN = 20
REASON_HELP = gettext_lazy("No names, personal identity numbers, phone numbers or e-mail.")


class FlagForm(forms.Form):
    place = forms.ModelChoiceField(label=gettext_lazy("Place"), queryset=Place.objects.none())
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )


class ProblemPlaceForm(VersionedForm):
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )
    measures = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Measures of the action plan"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, measure_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = measure_choices  # type: ignore[attr-defined]


def _member_places(request: HttpRequest, municipality_id: int) -> Any:
    allowed = resolver_for(request.user).problem_place_area_ids(municipality_id)
    places = Place.objects.filter(area__municipality_id=municipality_id).select_related("area")
    if allowed is not None:
        places = places.filter(area_id__in=allowed)
    return places.order_by("area__name", "name")


@login_required
@domain_errors
def problem_place_list_view(request: HttpRequest) -> HttpResponse:
    municipality = est_municipality(request)
    status = request.GET.get("status") or ""
    if status not in ProblemPlaceStatus.values:
        status = ""
    try:
        problem_places = problem_place_list(
            actor=request.user, municipality_id=municipality.pk, status=status or None
        )
    except NotFoundOrForbidden as error:
        raise PermissionDenied() from error
    context = {
        "municipality": municipality,
        "problem_places": problem_places,
        "status": status,
        "statuses": ProblemPlaceStatus.choices,
        "may_flag": _member_places(request, municipality.pk).exists(),
    }
    return render(request, "safety/problem_place_list.html", context)


@login_required
@domain_errors
def problem_place_new(request: HttpRequest) -> HttpResponse:
    municipality = est_municipality(request)
    places = _member_places(request, municipality.pk)
    if not places.exists():
        raise PermissionDenied(_("Only the area's EST members flag problem places."))
    initial = {}
    if request.GET.get("plats", "").isdigit():
        initial["place"] = int(request.GET["plats"])
    form = FlagForm(request.POST or None, initial=initial)
    form.fields["place"].queryset = places  # type: ignore[attr-defined]
    form.fields["place"].label_from_instance = lambda p: f"{p.name} ({p.area.name})"  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            flagged, status = save_form(
                form,
                lambda: problem_place_flag(
                    actor=request.user,
                    place=form.cleaned_data["place"],
                    reason=form.cleaned_data["reason"],
                ),
                text_fields=("reason",),
            )
            if flagged is not None:
                messages.success(request, _("The place is flagged as a problem place."))
                return redirect("safety:problem_place", flagged.pk)
    context = {"form": form, "municipality": municipality}
    return render(request, "safety/problem_place_form.html", context, status=status)


def _measure_choices(request: HttpRequest, municipality_id: int) -> list[tuple[int, str]]:
    return [
        (m.pk, f"{m.plan.name}: {m.number} {m.title}")
        for m in linkable_measures(request.user, municipality_id)
    ]


@login_required
@domain_errors
def problem_place_detail(request: HttpRequest, problem_place_id: int) -> HttpResponse:
    problem_place = access_problem_place_by_id(request.user, problem_place_id)
    history = problem_place_history(actor=request.user, problem_place=problem_place)
    resolver = resolver_for(request.user)
    may_edit = resolver.can_manage_problem_places_in(problem_place.place.area)
    # The operational side of the tactical work: deployments to the place (EST members only,
    # like every read of deployments).
    deployments = (
        problem_place.place.deployments.select_related("resource").order_by("-starts_on")[
            :DEPLOYMENTS_SHOWN
        ]
        if resolver.can_plan_deployments(problem_place.place.area)
        else []
    )
    context = {
        "problem_place": problem_place,
        "place": problem_place.place,
        "history": history,
        "measures": problem_place.measures.select_related("plan").order_by(
            "plan__name", "number_major", "number_minor"
        ),
        "may_edit": may_edit,
        "deployments": deployments,
    }
    return render(request, "safety/problem_place_detail.html", context)


@login_required
@domain_errors
def problem_place_edit(request: HttpRequest, problem_place_id: int) -> HttpResponse:
    problem_place = access_problem_place_by_id(request.user, problem_place_id)
    if not resolver_for(request.user).can_manage_problem_places_in(problem_place.place.area):
        raise PermissionDenied()
    municipality_id = problem_place.place.area.municipality_id
    initial = {
        "reason": problem_place.reason,
        "measures": list(problem_place.measures.values_list("pk", flat=True)),
        "version": problem_place.version,
    }
    form = ProblemPlaceForm(
        request.POST or None,
        initial=initial,
        measure_choices=_measure_choices(request, municipality_id),
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            saved, status = save_form(
                form,
                lambda: problem_place_update(
                    actor=request.user,
                    problem_place=problem_place,
                    data={
                        "reason": form.cleaned_data["reason"],
                        "measures": form.cleaned_data["measures"],
                    },
                    expected_version=form.expected_version(),
                ),
                text_fields=("reason",),
            )
            if saved is not None:
                messages.success(request, _("The problem place is saved."))
                return redirect("safety:problem_place", problem_place.pk)
    context = {"form": form, "problem_place": problem_place}
    return render(request, "safety/problem_place_edit.html", context, status=status)


@login_required
@require_POST
@domain_errors
def problem_place_close_view(request: HttpRequest, problem_place_id: int) -> HttpResponse:
    problem_place = access_problem_place_by_id(request.user, problem_place_id)
    form = VersionedForm(request.POST)
    form.is_valid()
    _closed, status = save_form(
        form,
        lambda: problem_place_close(
            actor=request.user,
            problem_place=problem_place,
            expected_version=form.expected_version(),
        ),
    )
    if status == 200:
        messages.success(request, _("The problem place is closed."))
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("safety:problem_place", problem_place.pk)

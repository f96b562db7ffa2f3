from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.forms import AreaForm, PoliceClassificationForm
from kvarter.areas.geojson import feature_collection
from kvarter.areas.models import Area, PoliceClass
from kvarter.areas.selectors import (
    access_area_by_id,
    access_municipality_by_code,
    area_list,
    current_classification,
)
from kvarter.areas.services import (
    area_set_statistical_units,
    area_update,
    police_classification_set,
)
from kvarter.core.errors import PermissionDenied
from kvarter.core.selectors import audit_entries_for, field_labels
from kvarter.core.web import domain_errors


def _area_url(area: Area) -> str:
    return reverse("areas:detail", args=[area.pk])


@domain_errors
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access_municipality_by_code(request.user, code)
    areas = list(area_list(actor=request.user, municipality=municipality))
    return render(
        request,
        "areas/municipality_detail.html",
        {
            "municipality": municipality,
            "area_rows": [(a, current_classification(a)) for a in areas],
        },
    )


@domain_errors
def area_map(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access_municipality_by_code(request.user, code)
    areas = list(area_list(actor=request.user, municipality=municipality))
    return render(
        request,
        "areas/map.html",
        {
            "municipality": municipality,
            "area_rows": [(a, current_classification(a)) for a in areas],
            "areas_geojson": feature_collection(areas, url_for=_area_url),
            "police_classes": PoliceClass.choices,
        },
    )


@domain_errors
def area_detail(request: HttpRequest, area_id: int) -> HttpResponse:
    area = access_area_by_id(request.user, area_id)
    resolver = resolver_for(request.user)
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "classification": current_classification(area),
            "can_change": resolver.can_change_area(area),
            "history": (
                [
                    (entry, field_labels(Area, list(entry.changes)))
                    for entry in audit_entries_for(area)
                ]
                if resolver.can_view_audit_log(area.municipality)
                else None
            ),
            "areas_geojson": feature_collection([area]),
            "classification_form": PoliceClassificationForm(),
        },
    )


@login_required
@domain_errors
def area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    area = access_area_by_id(request.user, area_id)
    if not resolver_for(request.user).can_change_area(area):
        raise PermissionDenied()
    codes = ", ".join(area.statistical_units.values_list("code", flat=True))
    form = AreaForm(
        request.POST or None,
        initial={
            "name": area.name,
            "description": area.description,
            "population": area.population,
            "population_year": area.population_year,
            "statistical_units": codes,
            "version": area.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                area_update(
                    actor=request.user,
                    area=area,
                    data=form.area_data(),
                    expected_version=form.cleaned_data["version"],
                )
                area_set_statistical_units(
                    actor=request.user,
                    area=area,
                    codes=form.cleaned_data["statistical_units"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The area was saved."))
            return redirect("areas:detail", area_id=area.pk)
    return render(request, "areas/area_edit.html", {"area": area, "form": form})


@login_required
@require_POST
@domain_errors
def police_classification_add(request: HttpRequest, area_id: int) -> HttpResponse:
    area = access_area_by_id(request.user, area_id)
    form = PoliceClassificationForm(request.POST)
    if form.is_valid():
        police_classification_set(
            actor=request.user,
            area=area,
            year=form.cleaned_data["year"],
            classification=PoliceClass(form.cleaned_data["classification"]),
        )
        messages.success(request, _("The police classification was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("areas:detail", area_id=area.pk)

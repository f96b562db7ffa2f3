"""Pages for the municipality's own figures: the list of own-figures indicators with the
places and years that have values, the indicator's form, and the year × sex values grid for
the whole municipality or one area.

Those who may read the municipality's plans see the list; municipality-wide editors (the
strategists and administrators who edit plans) create indicators and type values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.forms import add_service_errors
from kvarter.core.models import Sex
from kvarter.core.web import domain_errors
from kvarter.indicators.models import Indicator
from kvarter.indicators.own_values_forms import OwnIndicatorForm, OwnValuesForm
from kvarter.indicators.own_values_selectors import (
    access_area,
    access_own_indicator,
    access_own_values_municipality,
    own_indicators,
    places_with_values,
    values_fingerprint,
    values_grid,
)
from kvarter.indicators.own_values_services import (
    OWN_INDICATOR_FIELDS,
    own_indicator_create,
    own_indicator_update,
    own_values_set,
)


def _list_url(municipality: Municipality, anchor: str = "") -> str:
    url = reverse("indicators:own_values", args=[municipality.code])
    return f"{url}#{anchor}" if anchor else url


def grid_url(municipality: Municipality, indicator: Indicator, area: Area | None) -> str:
    if area is None:
        return reverse("indicators:own_values_grid", args=[municipality.code, indicator.code])
    return reverse(
        "indicators:own_values_grid_area", args=[municipality.code, indicator.code, area.pk]
    )


@login_required
@domain_errors
def own_values_list(request: HttpRequest, municipality: str) -> HttpResponse:
    place = access_own_values_municipality(request.user, municipality)
    indicators = list(own_indicators())
    areas = list(Area.objects.filter(municipality=place).order_by("name"))
    places = places_with_values(indicators, place)
    rows = []
    for indicator in indicators:
        found = places.get(indicator.pk, {})
        rows.append(
            {
                "indicator": indicator,
                "places": [
                    {
                        "name": place.name if key is None else _area_name(areas, key),
                        "years": years,
                        "url": grid_url(place, indicator, _area(areas, key)),
                    }
                    for key, years in found.items()
                ],
            }
        )
    return render(
        request,
        "indicators/own_values_list.html",
        {
            "municipality": place,
            "rows": rows,
            "areas": areas,
            "can_edit": resolver_for(request.user).can_change_plans_of(place.pk),
        },
    )


def _area(areas: list[Area], area_id: int | None) -> Area | None:
    return next((a for a in areas if a.pk == area_id), None)


def _area_name(areas: list[Area], area_id: int) -> str:
    area = _area(areas, area_id)
    return area.name if area else str(area_id)


def _form_page(
    request: HttpRequest,
    municipality: Municipality,
    form: OwnIndicatorForm,
    title: str,
    save: Any,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            indicator = save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect(_list_url(municipality, f"i{indicator.pk}"))
    return render(
        request,
        "indicators/own_values_form.html",
        {
            "municipality": municipality,
            "form": form,
            "title": title,
            "back": _list_url(municipality),
        },
    )


@login_required
@domain_errors
def own_indicator_new(request: HttpRequest, municipality: str) -> HttpResponse:
    place = access_own_values_municipality(request.user, municipality, edit=True)
    form = OwnIndicatorForm(request.POST or None, initial={"version": 0, "by_sex": True})

    def save() -> Indicator:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return own_indicator_create(actor=request.user, municipality=place, data=data)

    return _form_page(request, place, form, _("New indicator with own figures"), save)


@login_required
@domain_errors
def own_indicator_edit(request: HttpRequest, municipality: str, indicator: str) -> HttpResponse:
    place = access_own_values_municipality(request.user, municipality, edit=True)
    found = access_own_indicator(indicator)
    initial = {name: getattr(found, name) for name in OWN_INDICATOR_FIELDS}
    form = OwnIndicatorForm(request.POST or None, initial={**initial, "version": found.version})

    def save() -> Indicator:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["name_en"] = data.get("name_en") or data["name_sv"]
        updated, _changed = own_indicator_update(
            actor=request.user,
            municipality=place,
            indicator=found,
            data=data,
            expected_version=form.expected_version(),
        )
        return updated

    title = _("Edit the indicator %(name)s") % {"name": found.name()}
    return _form_page(request, place, form, title, save)


@login_required
@domain_errors
def own_values_grid(
    request: HttpRequest, municipality: str, indicator: str, area_id: int | None = None
) -> HttpResponse:
    """The values grid: one row a year, a column each for everyone, women and men."""
    place = access_own_values_municipality(request.user, municipality, edit=True)
    found = access_own_indicator(indicator)
    area = access_area(place, area_id)
    grid = values_grid(found, place, area)
    sexes = list(Sex.values) if found.by_sex else [Sex.TOTAL]
    initial: dict[str, object] = {"state": values_fingerprint(found, place, area)}
    for year, by_sex in grid.items():
        for sex, value in by_sex.items():
            if value.value is not None:
                initial[f"v_{year}_{sex}"] = _decimal(value.value)
    form = OwnValuesForm(request.POST or None, initial=initial, years=grid.keys(), sexes=sexes)
    if request.method == "POST" and form.is_valid():
        try:
            own_values_set(
                actor=request.user,
                indicator=found,
                municipality=place,
                area=area,
                values=form.cells(),
                expected_state=form.cleaned_data.get("state") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The values are saved."))
            return redirect(_list_url(place, f"i{found.pk}"))
    hidden = [v for by_sex in grid.values() for v in by_sex.values() if v.value is None]
    areas = list(Area.objects.filter(municipality=place).order_by("name"))
    place_links = [
        (p.name if p is not None else place.name, grid_url(place, found, p), p == area)
        for p in [None, *areas]
    ]
    return render(
        request,
        "indicators/own_values_grid.html",
        {
            "municipality": place,
            "indicator": found,
            "area": area,
            "place_links": place_links,
            "form": form,
            "hidden": hidden,
            "back": _list_url(place, f"i{found.pk}"),
        },
    )


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value))  # the shortest text that reads back the same: 63.5

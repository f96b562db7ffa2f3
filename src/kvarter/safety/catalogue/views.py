"""Catalogue pages under /est/katalog/: categories, resources, named places, the review switch.

For the municipality's administrators and EST members (places: members in their own areas).
Views read the form and call one catalogue service; the services decide and audit.
"""

from __future__ import annotations

import json
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
from django.views.decorators.http import require_POST

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.web import domain_errors
from kvarter.safety.catalogue import selectors, services
from kvarter.safety.filing.forms import CategoryForm, PlaceForm, ResourceForm
from kvarter.safety.models import IncidentCategory, Place, Resource


def catalogue_municipality(request: HttpRequest) -> Municipality:
    """``?kommun=<code>`` or the first municipality whose catalogue the user may change."""
    municipalities = resolver_for(request.user).municipalities_with(
        Capability.MANAGE_EST_CATALOGUE
    )
    code = request.GET.get("kommun")
    if code:
        municipalities = municipalities.filter(code=code)
    municipality = municipalities.first()
    if municipality is None:
        raise PermissionDenied()
    return municipality


def _manageable_areas(request: HttpRequest, municipality: Municipality) -> Any:
    areas = Area.objects.filter(municipality=municipality).select_related("municipality")
    resolver = resolver_for(request.user)
    ids = [a.pk for a in areas if resolver.can_manage_places_in(a)]
    return areas.filter(pk__in=ids).order_by("name")


def _catalogue_url(municipality: Municipality) -> str:
    return f"{reverse('safety:catalogue')}?kommun={municipality.code}"


def _add_service_error(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest,
    *,
    municipality: Municipality,
    form: forms.Form,
    title: str,
    save: Callable[[], Any],
    saved_message: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(_catalogue_url(municipality))
    return render(
        request,
        "safety/catalogue_form.html",
        {
            "municipality": municipality,
            "form": form,
            "title": title,
            "back": _catalogue_url(municipality),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@domain_errors
def catalogue_page(request: HttpRequest) -> HttpResponse:
    municipality = catalogue_municipality(request)
    areas = _manageable_areas(request, municipality)
    resolver = resolver_for(request.user)
    return render(
        request,
        "safety/catalogue.html",
        {
            "municipality": municipality,
            "categories": IncidentCategory.objects.filter(municipality=municipality),
            "resources": Resource.objects.filter(municipality=municipality).select_related(
                "organisation"
            ),
            "places": Place.objects.filter(area__in=areas).select_related("area"),
            "settings": selectors.est_settings_for(municipality.pk),
            "is_admin": resolver.can_change_est_settings(municipality.pk),
            "has_defaults": IncidentCategory.objects.filter(municipality=municipality).exists(),
        },
    )


@login_required
@domain_errors
@require_POST
def defaults_create(request: HttpRequest) -> HttpResponse:
    municipality = catalogue_municipality(request)
    services.est_defaults_create(actor=request.user, municipality=municipality)
    messages.success(request, _("The default categories and resources are in place."))
    return redirect(_catalogue_url(municipality))


@login_required
@domain_errors
@require_POST
def settings_edit(request: HttpRequest) -> HttpResponse:
    municipality = catalogue_municipality(request)
    services.est_settings_update(
        actor=request.user,
        municipality=municipality,
        data={"review_required": request.POST.get("review_required") == "on"},
    )
    messages.success(request, _("The settings are saved."))
    return redirect(_catalogue_url(municipality))


# --- categories --------------------------------------------------------------------------------


@login_required
@domain_errors
def category_new(request: HttpRequest) -> HttpResponse:
    municipality = catalogue_municipality(request)
    form = CategoryForm(request.POST or None, initial={"active": True})
    return _form_page(
        request,
        municipality=municipality,
        form=form,
        title=_("New category"),
        save=lambda: services.category_create(
            actor=request.user, municipality=municipality, **form.cleaned_data
        ),
        saved_message=_("The category is saved."),
    )


@login_required
@domain_errors
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    municipality = catalogue_municipality(request)
    category = IncidentCategory.objects.filter(pk=category_id, municipality=municipality).first()
    if category is None:
        raise NotFoundOrForbidden()
    initial = {f: getattr(category, f) for f in services.CATEGORY_FIELDS}
    form = CategoryForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        municipality=municipality,
        form=form,
        title=_("Category: %(name)s") % {"name": category.name},
        save=lambda: services.category_update(
            actor=request.user,
            category=category,
            data={k: v for k, v in form.cleaned_data.items() if k != "order" or v is not None},
        ),
        saved_message=_("The category is saved."),
    )


# --- resources ---------------------------------------------------------------------------------


@login_required
@domain_errors
def resource_new(request: HttpRequest) -> HttpResponse:
    municipality = catalogue_municipality(request)
    form = ResourceForm(request.POST or None, municipality=municipality, initial={"active": True})
    return _form_page(
        request,
        municipality=municipality,
        form=form,
        title=_("New resource"),
        save=lambda: services.resource_create(
            actor=request.user, municipality=municipality, **form.cleaned_data
        ),
        saved_message=_("The resource is saved."),
    )


@login_required
@domain_errors
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    municipality = catalogue_municipality(request)
    resource = Resource.objects.filter(pk=resource_id, municipality=municipality).first()
    if resource is None:
        raise NotFoundOrForbidden()
    initial = {f: getattr(resource, f) for f in services.RESOURCE_FIELDS}
    form = ResourceForm(request.POST or None, municipality=municipality, initial=initial)
    return _form_page(
        request,
        municipality=municipality,
        form=form,
        title=_("Resource: %(name)s") % {"name": resource.name},
        save=lambda: services.resource_update(
            actor=request.user, resource=resource, data=form.cleaned_data
        ),
        saved_message=_("The resource is saved."),
    )


# --- places ------------------------------------------------------------------------------------


@login_required
@domain_errors
def place_new(request: HttpRequest) -> HttpResponse:
    municipality = catalogue_municipality(request)
    areas = _manageable_areas(request, municipality)
    if not areas.exists():
        raise PermissionDenied()
    form = PlaceForm(request.POST or None, areas=areas)
    return _form_page(
        request,
        municipality=municipality,
        form=form,
        title=_("New place"),
        save=lambda: services.place_create(
            actor=request.user,
            area=form.cleaned_data["area"],
            name=form.cleaned_data["name"],
            geometry=form.cleaned_data["geometry"],
        ),
        saved_message=_("The place is saved."),
    )


@login_required
@domain_errors
def place_edit(request: HttpRequest, place_id: int) -> HttpResponse:
    municipality = catalogue_municipality(request)
    areas = _manageable_areas(request, municipality)
    place = Place.objects.filter(pk=place_id, area__in=areas).select_related("area").first()
    if place is None:
        raise NotFoundOrForbidden()
    initial = {
        "name": place.name,
        "area": place.area,
        "geometry": json.dumps(place.geometry),
        "version": place.version,
    }
    form = PlaceForm(request.POST or None, areas=areas.filter(pk=place.area_id), initial=initial)
    return _form_page(
        request,
        municipality=municipality,
        form=form,
        title=_("Place: %(name)s") % {"name": place.name},
        save=lambda: services.place_update(
            actor=request.user,
            place=place,
            data={"name": form.cleaned_data["name"], "geometry": form.cleaned_data["geometry"]},
            expected_version=form.cleaned_data.get("version"),
        ),
        saved_message=_("The place is saved."),
    )

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kvarter.accounts.forms import OrganisationForm
from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.selectors import access_organisation_by_id, organisation_list
from kvarter.accounts.services import organisation_create, organisation_update
from kvarter.areas.models import Municipality
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.web import domain_errors


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    organisations = list(
        organisation_list(actor=request.user).order_by("municipality__name", "kind", "name")
    )
    resolver = resolver_for(request.user)
    groups = [
        (municipality, list(items))
        for municipality, items in groupby(organisations, key=lambda o: o.municipality)
    ]
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "groups": groups,
            "can_change": {o.pk for o in organisations if resolver.can_change_organisation(o)},
            "creatable": [
                m
                for m in Municipality.objects.order_by("name")
                if resolver.can_create_organisation(m)
            ],
        },
    )


def _own_municipality(request: HttpRequest) -> Municipality:
    code = request.GET.get("municipality") or request.POST.get("municipality")
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise NotFoundOrForbidden
    if not resolver_for(request.user).can_create_organisation(municipality):
        raise PermissionDenied()
    return municipality


@login_required
@domain_errors
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    municipality = _own_municipality(request)
    parents = organisation_list(actor=request.user, municipality_id=municipality.pk)
    form = OrganisationForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_create(
                actor=request.user, municipality=municipality, **form.organisation_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect("accounts:organisations")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "municipality": municipality, "organisation": None},
    )


@login_required
@domain_errors
def organisation_edit_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_organisation_by_id(request.user, organisation_id)
    if not resolver_for(request.user).can_change_organisation(organisation):
        raise PermissionDenied()
    parents = organisation_list(
        actor=request.user, municipality_id=organisation.municipality_id
    ).exclude(pk=organisation.pk)
    form = OrganisationForm(
        request.POST or None,
        parents=parents,
        initial={
            "name": organisation.name,
            "short_name": organisation.short_name,
            "kind": organisation.kind,
            "parent": organisation.parent_id,
            "version": organisation.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=request.user,
                organisation=organisation,
                data=form.organisation_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organisations")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "municipality": organisation.municipality, "organisation": organisation},
    )

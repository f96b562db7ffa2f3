from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.selectors import role_assignments_of
from kvarter.areas.selectors import area_list, current_classification, municipality_list


def start(request: HttpRequest) -> HttpResponse:
    """The start page: public overview for everyone, the user's roles when logged in."""
    areas = list(area_list(actor=request.user))
    sections = [
        (
            municipality,
            [(a, current_classification(a)) for a in areas if a.municipality_id == municipality.pk],
        )
        for municipality in municipality_list(actor=request.user)
    ]
    context = {
        "sections": sections,
        "assignments": (
            list(role_assignments_of(request.user)) if request.user.is_authenticated else []
        ),
        "resolver": resolver_for(request.user),
    }
    return render(request, "home/start.html", context)

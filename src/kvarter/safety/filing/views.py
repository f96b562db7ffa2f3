"""The reporter's pages: the report form (with and without JavaScript), its JSON door, my reports,
and the review queue for EST members.

The form posts normally when JavaScript is off. With JavaScript, ``static/safety/report.js``
keeps the draft on the phone and sends it to :func:`report_send` with a client key, so a report
sent again after a lost connection is stored once. Both call the same filing service.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.geojson import feature_collection
from kvarter.areas.models import Area, Municipality
from kvarter.core import json_input
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.web import domain_errors
from kvarter.safety.catalogue.selectors import est_settings_for
from kvarter.safety.filing.forms import MAX_FORM_EVENTS, EventForm, add_event_errors, place_choices
from kvarter.safety.filing.review import incident_report_review, raw_read_log
from kvarter.safety.filing.selectors import my_reports, review_queue
from kvarter.safety.filing.services import incident_report_file
from kvarter.safety.models import IncidentCategory, IncidentReport, Place


def filing_municipalities(user: Any) -> list[Municipality]:
    """Municipalities where ``user`` may file reports, by name."""
    return list(resolver_for(user).municipalities_with(Capability.FILE_INCIDENTS))


def filing_municipality(request: HttpRequest) -> Municipality:
    """The municipality the reporter files in: ``?kommun=<code>``, else their first one."""
    choices = filing_municipalities(request.user)
    code = request.GET.get("kommun") or request.POST.get("kommun")
    if code:
        for municipality in choices:
            if municipality.code == code:
                return municipality
        # Municipalities are public: a known one the user may not file in is a 403.
        if not Municipality.objects.filter(code=code).exists():
            raise NotFoundOrForbidden()
        raise PermissionDenied()
    if not choices:
        raise PermissionDenied()
    return choices[0]


def _categories(municipality: Municipality) -> list[IncidentCategory]:
    return list(IncidentCategory.objects.filter(municipality=municipality, active=True))


def _places_geojson(municipality: Municipality) -> dict[str, Any]:
    places = Place.objects.filter(area__municipality=municipality).select_related("area")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": place.pk,
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": {"id": place.pk, "name": place.name, "area": place.area.name},
            }
            for place in places.order_by("area__name", "name")
        ],
    }


def _event_forms(municipality: Municipality, data: Any = None, count: int = 1) -> list[EventForm]:
    categories = _categories(municipality)
    places = place_choices(municipality)
    return [
        EventForm(data, prefix=f"e{i}", categories=categories, places=places) for i in range(count)
    ]


def _blank_event_form(municipality: Municipality, prefix: str) -> EventForm:
    return EventForm(
        prefix=prefix, categories=_categories(municipality), places=place_choices(municipality)
    )


def _kept_event_form(municipality: Municipality, bound: EventForm) -> EventForm:
    initial = {name: bound.data.get(bound.add_prefix(name), "") for name in bound.fields}
    return EventForm(
        prefix=bound.prefix,
        initial=initial,
        categories=_categories(municipality),
        places=place_choices(municipality),
    )


def _event_count(request: HttpRequest) -> int:
    try:
        count = int(request.POST.get("events", "1"))
    except ValueError:
        count = 1
    return max(1, min(count, MAX_FORM_EVENTS))


def _blank_refused_texts(event_forms: list[EventForm]) -> None:
    """A text refused for personal data is not sent back to the browser: it is blanked."""
    for form in event_forms:
        if "text" in form.errors and form.data.get(form.add_prefix("text")):
            data = QueryDict(mutable=True)
            data.update(form.data)
            data[form.add_prefix("text")] = ""
            form.data = data


@login_required
@domain_errors
def report_form(request: HttpRequest) -> HttpResponse:
    municipality = filing_municipality(request)
    errors: list[str] = []
    if request.method == "POST":
        count = _event_count(request)
        action = request.POST.get("action", "send")
        if action == "add" and count < MAX_FORM_EVENTS:
            count += 1
        event_forms = _event_forms(municipality, request.POST, count)
        if action == "add":
            # Nothing is filed: the events so far come back as they were, without errors yet.
            event_forms = [_kept_event_form(municipality, form) for form in event_forms[:-1]]
            event_forms.append(_blank_event_form(municipality, f"e{count - 1}"))
        elif all(form.is_valid() for form in event_forms):
            try:
                report = incident_report_file(
                    actor=request.user,
                    municipality=municipality,
                    events=[form.event() for form in event_forms],
                    client_key=_key_or_none(request.POST.get("client_key")),
                )
            except ValidationError as error:
                errors = add_event_errors(event_forms, error)
            else:
                messages.success(request, _sent_message(report))
                return redirect(reverse("safety:my_reports"))
        _blank_refused_texts(event_forms)
    else:
        event_forms = _event_forms(municipality)
    template_form = _blank_event_form(municipality, "e__prefix__")
    areas = Area.objects.filter(municipality=municipality).prefetch_related(
        "police_classifications"
    )
    has_errors = bool(errors) or any(f.errors for f in event_forms)
    return render(
        request,
        "safety/report_form.html",
        {
            "municipality": municipality,
            "municipalities": filing_municipalities(request.user),
            "event_forms": event_forms,
            "template_form": template_form,
            "errors": errors,
            "client_key": uuid.uuid4(),
            "areas_geojson": feature_collection(areas),
            "places_geojson": _places_geojson(municipality),
            "max_events": MAX_FORM_EVENTS,
            "review_required": est_settings_for(municipality.pk).review_required,
            "has_errors": has_errors,
            "strings": _report_strings(),
        },
        status=422 if has_errors else 200,
    )


def _report_strings() -> dict[str, str]:
    """What report.js says, translated on the server (the script holds no text of its own)."""
    return {
        "sending": _("Sending…"),
        "sent": _("Sent. Thank you!"),
        "queued": _(
            "No connection: the report is saved on this phone and is sent when you are online."
        ),
        "waiting": _("Reports waiting to be sent: %(count)s"),
        "refused": _("The report was not sent. Correct what is marked and send again."),
        "login": _("Log in again to send the saved report."),
        "position_set": _("Position set on the map."),
        "place_set": _("Named place chosen: %(name)s"),
        "locating": _("Finding your position…"),
        "locate_failed": _("Your position could not be found. Tap the map or choose a place."),
        "category_required": _("Choose what happened."),
        "where_required": _("Tap the map, use your position or choose a named place."),
        "event": _("Event %(number)s"),
        "remove_event": _("Remove this event"),
    }


def _key_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _sent_message(report: IncidentReport) -> str:
    if report.review_state == "pending":
        return _("Thank you! The report is sent and waits for review.")
    return _("Thank you! The report is sent.")


def _json_errors(error: ValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "code": e.code or "invalid", "message": " ".join(e.messages)}
            for field, errors in error.error_dict.items()
            for e in errors
        ]
    return [
        {"field": None, "code": e.code or "invalid", "message": " ".join(e.messages)}
        for e in error.error_list
    ]


def _refuse(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": None, "code": code, "message": message}]}, status=status
    )


@require_POST
def report_send(request: HttpRequest) -> JsonResponse:
    """The phone's door: ``{"client_key", "kommun"?, "events": [...]}`` → 201, or 200 again.

    Answers JSON even for a lost login (401), so the phone keeps the draft instead of
    following a redirect to the login page.
    """
    if not request.user.is_authenticated:
        return _refuse("not_authenticated", _("Log in again to send the report."), 401)
    try:
        payload = json_input.loads(request.body or b"{}")
    except ValueError:
        return _refuse("malformed_json", _("The report could not be read."))
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return _refuse("malformed_json", _("The report could not be read."))
    try:
        code = payload.get("kommun")
        choices = filing_municipalities(request.user)
        municipality = next((m for m in choices if not code or m.code == code), None)
        if municipality is None:
            raise PermissionDenied()
        key = _key_or_none(payload.get("client_key"))
        existed = (
            key is not None
            and IncidentReport.objects.filter(client_key=key, reporter=request.user).exists()
        )
        events = [e if isinstance(e, dict) else {} for e in payload["events"]]
        report = incident_report_file(
            actor=request.user, municipality=municipality, events=events, client_key=key
        )
    except PermissionDenied:
        return _refuse("permission_denied", _("You may not file reports here."), 403)
    except ValidationError as error:
        return JsonResponse({"errors": _json_errors(error)}, status=400)
    return JsonResponse(
        {
            "id": report.pk,
            "client_key": str(report.client_key) if report.client_key else None,
            "review_state": report.review_state,
            "events": report.events.count(),
            "message": _sent_message(report),
        },
        status=200 if existed else 201,
    )


@login_required
@domain_errors
def my_reports_page(request: HttpRequest) -> HttpResponse:
    municipality = filing_municipality(request)
    reports = list(my_reports(actor=request.user, municipality=municipality)[:200])
    return render(
        request,
        "safety/report_list.html",
        {"municipality": municipality, "reports": reports},
    )


def _review_municipality(request: HttpRequest) -> Municipality:
    """The municipality whose queue to show: ``?kommun=<code>``, else the first one reviewable."""
    municipalities = resolver_for(request.user).municipalities_with(Capability.REVIEW_REPORTS)
    code = request.GET.get("kommun")
    if code:
        municipalities = municipalities.filter(code=code)
    municipality = municipalities.first()
    if municipality is None:
        raise PermissionDenied()
    return municipality


@login_required
@domain_errors
def review_page(request: HttpRequest) -> HttpResponse:
    municipality = _review_municipality(request)
    reports = list(review_queue(actor=request.user, municipality=municipality)[:100])
    raw_read_log(
        actor=request.user,
        what="review_queue",
        filters={"municipality": municipality.code},
        count=sum(len(r.events.all()) for r in reports),
    )
    return render(
        request,
        "safety/review_queue.html",
        {
            "municipality": municipality,
            "reports": reports,
            "review_required": est_settings_for(municipality.pk).review_required,
        },
    )


@login_required
@domain_errors
@require_POST
def review_decide(request: HttpRequest, report_id: int) -> HttpResponse:
    report = IncidentReport.objects.select_related("municipality").filter(pk=report_id).first()
    if report is None:
        raise NotFoundOrForbidden()
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        raise NotFoundOrForbidden()
    try:
        incident_report_review(actor=request.user, report=report, approve=decision == "approve")
    except ValidationError as error:
        done, level = " ".join(error.messages), messages.ERROR
    else:
        done = (
            _("The report is approved.") if decision == "approve" else _("The report is rejected.")
        )
        level = messages.SUCCESS
    if request.headers.get("HX-Request"):
        # htmx swaps the report's row for the answer; the queue page stays where it was.
        return render(request, "safety/review_done.html", {"message": done, "report_id": report.pk})
    messages.add_message(request, level, done)
    url = reverse("safety:review")
    return redirect(f"{url}?kommun={report.municipality.code}")

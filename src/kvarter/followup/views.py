"""Follow-up pages: plans, a round's to-do list and progress, inline status reports (htmx)."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.models import Municipality
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied, StaleVersion
from kvarter.core.importing import ImportRejected
from kvarter.core.web import domain_errors
from kvarter.followup.forms import PlanImportForm, RoundOpenForm, StatusReportForm
from kvarter.followup.importers import plan_import
from kvarter.followup.models import FollowUpRound, StatusReport
from kvarter.followup.reminders import (
    feedback,
    last_reminders,
    reminder_days,
    round_reminders_send,
)
from kvarter.followup.selectors import (
    access_round_by_id,
    round_progress,
    round_summary,
    visible_measures,
)
from kvarter.followup.services import round_close, round_open, status_report
from kvarter.plans.models import Plan
from kvarter.plans.selectors import access_plan_by_id


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    municipality_ids = resolver_for(request.user).municipality_ids_with_plans()
    plans = Plan.objects.select_related("municipality").prefetch_related("rounds")
    if municipality_ids is not None:
        plans = plans.filter(municipality_id__in=municipality_ids)
    can_import = _importable_municipalities(request.user).exists()
    return render(request, "followup/plan_list.html", {"plans": plans, "can_import": can_import})


@login_required
@domain_errors
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id)
    measures = visible_measures(request.user, plan).select_related("goal_area")
    measures = measures.prefetch_related("areas", "responsible_units")
    return render(
        request,
        "followup/plan_detail.html",
        {
            "plan": plan,
            "measures": measures,
            "rounds": plan.rounds.all(),
            "can_manage": resolver_for(request.user).can_manage_rounds_of(plan.municipality_id),
        },
    )


@login_required
@domain_errors
def round_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan_by_id(request.user, plan_id)
    form = RoundOpenForm(request.POST or None, initial={"year": plan.end_year})
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_open(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up round is open."))
            return redirect("followup:round", round_.pk)
    return render(request, "followup/round_new.html", {"plan": plan, "form": form})


def _rows(round_: FollowUpRound, measures: Any, user: Any) -> list[dict[str, Any]]:
    reports = {r.measure_id: r for r in round_.reports.select_related("merged_into")}
    resolver = resolver_for(user)
    rows = []
    for measure in measures:
        units = list(measure.responsible_units.all())
        rows.append(
            {
                "measure": measure,
                "units": units,
                "report": reports.get(measure.pk),
                "can_report": not round_.is_closed
                and resolver.can_report_on(measure, [u.pk for u in units]),
            }
        )
    return rows


@login_required
@domain_errors
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access_round_by_id(request.user, round_id)
    all_visible = visible_measures(request.user, round_.plan)
    own_unit = getattr(request.user, "organisation_id", None)
    mine = request.GET.get("mine") == "1" and own_unit is not None
    measures = all_visible.filter(responsible_units=own_unit) if mine else all_visible
    # plan: can_report_on reads each measure's municipality.
    measures = measures.select_related("goal_area", "plan").prefetch_related(
        "areas", "responsible_units"
    )
    can_manage = resolver_for(request.user).can_manage_rounds_of(round_.plan.municipality_id)
    return render(
        request,
        "followup/round_detail.html",
        {
            "round": round_,
            "plan": round_.plan,
            "rows": _rows(round_, measures, request.user),
            "mine": mine,
            "summary": round_summary(round_, all_visible),
            "progress": round_progress(round_, all_visible),
            "can_manage": can_manage,
            "reminders": last_reminders(round_) if can_manage else [],
            "reminder_days": reminder_days(),
        },
    )


@login_required
@domain_errors
def status_report_edit(request: HttpRequest, round_id: int, measure_id: int) -> HttpResponse:
    """GET: the inline form; POST: save it. Answers with the table row for htmx."""
    round_ = access_round_by_id(request.user, round_id)
    measure = visible_measures(request.user, round_.plan).filter(pk=measure_id).first()
    if measure is None:
        raise NotFoundOrForbidden()
    report = StatusReport.objects.filter(round=round_, measure=measure).first()
    initial: dict[str, Any] = {"version": report.version if report else 0}
    if report:
        initial.update(
            status=report.status,
            comment=report.comment,
            disposition=report.disposition,
            merged_into=report.merged_into,
        )
    form = StatusReportForm(request.POST or None, initial=initial, measure=measure)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            status_report(
                actor=request.user,
                round=round_,
                measure=measure,
                data=data,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            row = _rows(round_, [measure], request.user)[0]
            return _row_response(request, round_, row)
    template = "followup/_report_form.html"
    if not request.headers.get("HX-Request"):
        template = "followup/report_page.html"
    return render(
        request,
        template,
        {"round": round_, "measure": measure, "form": form},
        # htmx swaps a 422 in place (see base.html); a full page answers 200 with the errors.
        status=422 if form.errors and request.headers.get("HX-Request") else 200,
    )


def _posted_version(request: HttpRequest) -> int:
    """The version the form was read at; a missing or garbled one (0) is refused as stale."""
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() else 0


def _row_response(request: HttpRequest, round_: FollowUpRound, row: dict[str, Any]) -> Any:
    if request.headers.get("HX-Request"):
        return render(request, "followup/_measure_row.html", {"round": round_, "row": row})
    messages.success(request, _("The report is saved."))
    return redirect(reverse("followup:round", args=[round_.pk]) + f"#m{row['measure'].pk}")


@login_required
@require_POST
@domain_errors
def round_close_view(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access_round_by_id(request.user, round_id)
    try:
        round_close(
            actor=request.user,
            round=round_,
            expected_version=_posted_version(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up round is closed."))
    return redirect("followup:round", round_.pk)


@login_required
@require_POST
@domain_errors
def round_remind_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """Remind every unit with unreported measures now (at most once a unit and day)."""
    round_ = access_round_by_id(request.user, round_id)
    try:
        results = round_reminders_send(
            actor=request.user, round=round_, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for level, text in feedback(results):
            messages.add_message(request, getattr(messages, level.upper()), text)
    return redirect(reverse("followup:round", args=[round_.pk]) + "#reminders")


@login_required
@domain_errors
def round_document(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    from kvarter.followup.documents.report import followup_document
    from kvarter.reports import formats

    if fmt not in formats.DOCUMENT_FORMATS:
        raise Http404
    round_ = access_round_by_id(request.user, round_id)
    document = followup_document(round_, user=request.user, language=get_language() or "sv")
    stem = f"uppfoljning-{round_.plan.pk}-{round_.year}-{round_.kind}"
    body = formats.render(document, fmt)
    return formats.file_response(body, fmt, stem=None if fmt == "html" else stem)


# --- import with a preview ------------------------------------------------------------------
# The uploaded file waits in the session between the preview and the commit; the commit runs
# the same import again, so what is written is exactly what the preview said (or it fails).

IMPORT_SESSION_KEY = "plan_import"


def _importable_municipalities(user: Any) -> Any:
    return resolver_for(user).municipalities_with(Capability.CHANGE_PLAN)


@login_required
@domain_errors
def plan_import_view(request: HttpRequest) -> HttpResponse:
    municipalities = _importable_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied()
    if (
        request.method == "POST"
        and request.POST.get("confirm")
        and (pending := request.session.get(IMPORT_SESSION_KEY))
    ):
        return _import_commit(request, pending)
    form = PlanImportForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raw = data["file"].read()
        try:
            preview = plan_import(
                actor=request.user,
                municipality=data["municipality"],
                plan_name=data["plan_name"],
                year=data["year"],
                raw=raw,
                filename=data["file"].name,
                dry_run=True,
            )
        except ImportRejected as rejected:
            context["problems"] = rejected.problems
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "municipality": data["municipality"].pk,
                "plan_name": data["plan_name"],
                "year": data["year"],
                "filename": data["file"].name,
                "raw": base64.b64encode(raw).decode("ascii"),
            }
            context["preview"] = preview
    return render(request, "followup/plan_import.html", context)


def _import_commit(request: HttpRequest, pending: dict[str, Any]) -> HttpResponse:
    del request.session[IMPORT_SESSION_KEY]
    municipality = get_object_or_404(Municipality, pk=pending["municipality"])
    try:
        result = plan_import(
            actor=request.user,
            municipality=municipality,
            plan_name=pending["plan_name"],
            year=pending["year"],
            raw=base64.b64decode(pending["raw"]),
            filename=pending["filename"],
        )
    except ImportRejected as rejected:
        return render(
            request,
            "followup/plan_import.html",
            {
                "form": PlanImportForm(municipalities=_importable_municipalities(request.user)),
                "problems": rejected.problems,
            },
        )
    assert result.plan is not None
    messages.success(request, _("The plan is imported: %(summary)s.") % {"summary": result.summary})
    return redirect("followup:plan", result.plan.pk)

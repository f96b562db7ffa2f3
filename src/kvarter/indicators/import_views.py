"""The indicator file upload: choose a file, see what it holds and would do, then store it.

As with action plans, the uploaded file waits in the session between the preview and the
confirmation, and the confirmation runs the same import again: what is stored is exactly what
the preview showed, or nothing (with the problems listed) if the stored values moved meanwhile.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.importing import ImportRejected
from kvarter.core.models import Sex
from kvarter.core.web import domain_errors
from kvarter.indicators.forms import IndicatorImportForm
from kvarter.indicators.models import Level
from kvarter.indicators.selectors import (
    import_batch_list,
    import_batches_visible,
    importable_municipalities,
)
from kvarter.indicators.services import indicator_file_import, indicator_file_preview

SESSION_KEY = "indicator_import"
TEMPLATE = "indicators/import.html"


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"batches": import_batch_list(actor=request.user), **extra}


def _places(places: dict[str, int]) -> list[tuple[str, int]]:
    """(level label, number of places), e.g. ('DeSO', 120), for the preview."""
    return [(str(Level(k).label) if k in Level.values else k, n) for k, n in places.items()]


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def indicator_import(request: HttpRequest) -> HttpResponse:
    municipalities = importable_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied()
    if request.method == "POST" and request.POST.get("confirm"):
        return _commit(request, municipalities)
    if request.method == "GET":
        request.session.pop(SESSION_KEY, None)
    form = IndicatorImportForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, _context(request, form=form))

    data = form.cleaned_data
    upload = data["file"]
    raw = upload.read()
    indicator = data["indicator"]
    options = {
        "file_name": upload.name,
        "file_format": data["file_format"] or None,
        "indicator_code": indicator.code if indicator else None,
        "municipality": data["municipality"],
    }
    preview = indicator_file_preview(
        actor=request.user,
        data=raw,
        retrieved_on=data["retrieved_on"],
        source=data["source"] or None,
        **options,
    )
    summary = preview.summary
    context = _context(
        request,
        form=form,
        summary=summary,
        outcome=preview.outcome,
        places=_places(summary.places),
        sexes=[str(sex.label) for sex in Sex if sex.value in summary.sexes],
    )
    if preview.outcome is None:
        return render(request, TEMPLATE, context)
    request.session[SESSION_KEY] = {
        **options,
        "municipality": data["municipality"].pk,
        "retrieved_on": data["retrieved_on"].isoformat(),
        "source": data["source"],
        "raw": base64.b64encode(raw).decode("ascii"),
    }
    return render(request, TEMPLATE, context)


def _commit(request: HttpRequest, municipalities: Any) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        messages.warning(request, _("The preview has expired; choose the file again."))
        return redirect("indicators:import")
    municipality = municipalities.filter(pk=pending["municipality"]).first()
    if municipality is None:
        raise PermissionDenied()
    raw = base64.b64decode(pending["raw"])
    try:
        batch = indicator_file_import(
            actor=request.user,
            data=raw,
            file_name=pending["file_name"],
            file_format=pending["file_format"],
            indicator_code=pending["indicator_code"],
            municipality=municipality,
            retrieved_on=dt.date.fromisoformat(pending["retrieved_on"]),
            source=pending["source"] or None,
        )
    except ImportRejected as rejected:
        form = IndicatorImportForm(municipalities=municipalities)
        summary = {"problems": rejected.problems}
        return render(request, TEMPLATE, _context(request, form=form, summary=summary))
    messages.success(
        request,
        _(
            "The values are imported: %(added)s added, %(changed)s changed, %(skipped)s "
            "unchanged, %(aggregated)s area values summed up."
        )
        % {
            "added": batch.added,
            "changed": batch.changed,
            "skipped": batch.skipped,
            "aggregated": batch.aggregated,
        },
    )
    return redirect("indicators:import_batch", batch.pk)


@login_required
@domain_errors
def import_batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    if not importable_municipalities(request.user).exists():
        raise PermissionDenied()
    batch = import_batches_visible(actor=request.user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFoundOrForbidden()
    return render(request, "indicators/import_batch.html", {"batch": batch})

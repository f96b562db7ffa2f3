"""Upload of EST report history at /est/import/: the web door to the CLI's import service.

For the municipality's administrators and EST members (the service decides). One step: the
file is checked completely; with "check only" nothing is saved, otherwise everything is saved
or — on any problem — nothing, and every problem is listed (row, column, reason). A text with
personal data is named by row and kind; the text is never shown back.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.models import Municipality
from kvarter.core.errors import PermissionDenied
from kvarter.core.importing import ImportRejected
from kvarter.core.web import domain_errors
from kvarter.safety.history.services import incident_history_import

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a million reports with texts is about 140 MB


def importable_municipalities(user: Any) -> list[Municipality]:
    return list(resolver_for(user).municipalities_with(Capability.IMPORT_INCIDENT_HISTORY))


class HistoryImportForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV)"),
        help_text=gettext_lazy(
            "Columns id, tidpunkt, kategori, område, plats, lat/lon or n/e, "
            "rapportör_organisation, beskrivning, allvarlighet; ';' or ','; UTF-8 or "
            "Windows-1252."
        ),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Check only, save nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])
        if len(municipalities) == 1:
            field.initial = municipalities[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 200 MB; import it with kvarter import-incidents."),
                code="file_too_large",
            )
        return upload


@login_required
@domain_errors
def history_import(request: HttpRequest) -> HttpResponse:
    municipalities = importable_municipalities(request.user)
    if not municipalities:
        raise PermissionDenied()
    form = HistoryImportForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        check_only = form.cleaned_data["check_only"]
        try:
            result = incident_history_import(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                data=upload.read(),
                file_name=upload.name,
                dry_run=check_only,
            )
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            if check_only:
                messages.info(
                    request,
                    _("The file has no problems. Nothing was saved: %(summary)s")
                    % {"summary": result},
                )
            else:
                messages.success(request, _("Imported: %(summary)s") % {"summary": result})
            return redirect(reverse("safety:history_import"))
    status = 422 if problems or (form.is_bound and form.errors) else 200
    return render(
        request,
        "safety/history_import.html",
        {"form": form, "problems": problems},
        status=status,
    )

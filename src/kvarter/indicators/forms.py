"""Forms of the indicators app: the indicator file upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Municipality
from kvarter.indicators.models import Indicator

# The web takes a municipality's files; a whole-country DeSO table goes through the CLI.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FILE_FORMATS = [
    ("", _("Recognise from the file")),
    ("json-stat2", _("SCB JSON-stat 2.0 (PxWeb)")),
    ("kolada", _("Kolada API JSON")),
    ("csv", _("Long CSV")),
]


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "SCB JSON-stat 2.0, a Kolada API answer (JSON) or a long CSV, at most 10 MB. "
            "Larger files: kvarter import-indicators."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"), choices=FILE_FORMATS, required=False, initial=""
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        help_text=_("Area names in a CSV are looked up in this municipality."),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.all(),
        to_field_name="code",
        required=False,
        help_text=_(
            "Only for a table without contents code (ContentsCode) or a Kolada file without "
            "KPI; otherwise the file names its indicators."
        ),
    )
    retrieved_on = forms.DateField(
        label=_("Date retrieved"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the file was downloaded from the source."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Shown on each value. Empty: the file's own, e.g. 'SCB TAB5974'."),
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities
        if municipalities.count() == 1:
            field.initial = municipalities.first()
        self.fields["retrieved_on"].initial = timezone.localdate()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 10 MB; import it with kvarter import-indicators."),
                code="file_too_large",
            )
        return upload

    def clean_retrieved_on(self) -> Any:
        retrieved = self.cleaned_data["retrieved_on"]
        if retrieved > timezone.localdate():
            raise forms.ValidationError(
                _("The date retrieved cannot be in the future."), code="future_date"
            )
        return retrieved

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Municipality
from kvarter.core.forms import VersionedForm
from kvarter.followup.models import Assessment, Disposition, RoundKind, Status
from kvarter.plans.models import Measure


class StatusReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("not reported")), *Status.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    disposition = forms.ChoiceField(
        label=_("Next plan"), choices=[("", "—"), *Disposition.choices], required=False
    )
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"),
        queryset=Measure.objects.none(),
        required=False,
        help_text=_("Only when the measure is merged into another measure."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        merged_into = self.fields["merged_into"]
        assert isinstance(merged_into, forms.ModelChoiceField)
        merged_into.queryset = measure.plan.measures.exclude(pk=measure.pk)
        prefix = f"m{measure.pk}"
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"{prefix}-{name}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("disposition") == Disposition.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", _("Name the measure it is merged into."))
        return data


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PlanImportForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    plan_name = forms.CharField(
        label=_("Plan"),
        max_length=200,
        help_text=_("An existing plan with this name is updated; otherwise a new one is made."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or Excel (.xlsx) in the action plan format.")
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities
        if municipalities.count() == 1:
            field.initial = municipalities.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class AssessmentForm(VersionedForm):
    assessment = forms.ChoiceField(
        label=_("Assessment"), choices=Assessment.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: Any, prefix_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"{prefix_id}-{name}")

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import PoliceClass, statistical_unit_kind
from kvarter.core.text import parse_list


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)
    population_year = forms.IntegerField(
        label=_("Population year"), required=False, min_value=1900, max_value=2100
    )
    statistical_units = forms.CharField(
        label=_("DeSO/RegSO codes"),
        required=False,
        help_text=_("Separated by commas, e.g. 0580C1010, 0580C1020."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_statistical_units(self) -> list[str]:
        codes = parse_list(self.cleaned_data.get("statistical_units") or "")
        wrong = [code for code in codes if statistical_unit_kind(code) is None]
        if wrong:
            raise forms.ValidationError(
                _("These are not DeSO or RegSO codes: %(codes)s"),
                code="invalid_statistical_unit",
                params={"codes": ", ".join(wrong)},
            )
        return codes

    def area_data(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in ("name", "description", "population", "population_year")
        }


class PoliceClassificationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    classification = forms.ChoiceField(label=_("Classification"), choices=PoliceClass.choices)

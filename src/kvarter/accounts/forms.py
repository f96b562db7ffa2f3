from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kvarter.accounts.models import Organisation, OrganisationKind


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Abbreviation"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Organisation.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def organisation_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("name", "short_name", "parent")}
        data["kind"] = OrganisationKind(self.cleaned_data["kind"])
        return data

"""Forms for editing action plans, goal areas and measures on the web.

The forms only parse and limit choices to the plan's municipality; the rules (numbering, periods,
permissions, versions) are the services' and the models', so every door gives the same answer.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area, Municipality
from kvarter.core.forms import DateInput, VersionedForm
from kvarter.plans.models import Goal, GoalArea, Plan, PlanStatus

# Spaces people and spreadsheets put between thousands: space, no-break and thin spaces.
_GROUP_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2009]")
_KRONOR_SUFFIX = re.compile(r"(kr|kronor|sek|:-)$", re.IGNORECASE)


class KronorField(forms.CharField):
    """Whole kronor: '1 500 000', '1500000' and '250 000 kr' are accepted; decimals are not."""

    default_error_messages = {
        "invalid": _("Write the amount in whole kronor, e.g. 1 500 000."),
    }

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = _GROUP_SEPARATORS.sub("", str(value or ""))
        text = _KRONOR_SUFFIX.sub("", text)
        if not text:
            return None
        if not text.isdigit() or not text.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(text) > 15:
            raise ValidationError(_("The amount is too large."), code="max_value")
        return int(text)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "numeric")
        attrs.setdefault("autocomplete", "off")
        return attrs


class PlanForm(VersionedForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(
        label=_("Last year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Leave empty for a one-year plan."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=100,
        required=False,
        help_text=_("For example KS 2020-754."),
    )

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        """``municipalities``: where the user may create a plan; None when editing one."""
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        if municipalities is None:
            del self.fields["municipality"]
        else:
            field.queryset = municipalities
            del self.fields["version"]


class GoalAreaForm(VersionedForm):
    number = forms.IntegerField(label=_("Goal area number"), min_value=1, max_value=99)
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]


class MeasureForm(VersionedForm):
    number = forms.CharField(
        label=_("Measure number"),
        max_length=10,
        help_text=_("The goal area's number, a dot and a number, e.g. 2.13."),
    )
    goal_area = forms.ModelChoiceField(label=_("Goal area"), queryset=GoalArea.objects.none())
    title = forms.CharField(label=_("Measure"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None means the whole municipality."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The goals of the plan that the measure serves."),
    )
    responsible_units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_text = forms.CharField(
        label=_("Responsible (as written in the plan)"), max_length=500, required=False
    )
    partners = forms.CharField(
        label=_("Partners"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    financing = forms.CharField(
        label=_("Financing and timeframe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount = KronorField(label=_("Amount (kronor)"), required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput)

    def __init__(
        self, *args: Any, plan: Plan, creating: bool = False, prefix_ids: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "goal_area": plan.goal_areas.order_by("number"),
            "areas": Area.objects.filter(municipality_id=plan.municipality_id).order_by("name"),
            "goals": Goal.objects.filter(goal_area__plan=plan).select_related("goal_area"),
            "responsible_units": Organisation.objects.filter(
                municipality_id=plan.municipality_id
            ).order_by("name"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        if not choices["goals"].exists():
            del self.fields["goals"]
        if creating:
            del self.fields["version"]
        if prefix_ids:
            # Inline forms of several measures may be open on one page: keep ids unique.
            for name, field in self.fields.items():
                field.widget.attrs.setdefault("id", f"{prefix_ids}-{name}")

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip()

    def measure_data(self) -> dict[str, Any]:
        """The cleaned fields the services take (no version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

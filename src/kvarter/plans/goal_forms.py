"""Forms for the goal hierarchy on the web: parse input and limit choices to the plan.

The rules (targets, periods, municipalities, permissions, versions) are the services' and the
models'; :func:`kvarter.core.forms.add_service_errors` puts their errors on the form field they
name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Area
from kvarter.core.forms import DecimalCommaField, VersionedForm
from kvarter.indicators.models import Indicator, SourceKind
from kvarter.plans.models import Direction, Plan, Vision


class VisionForm(VersionedForm):
    title = forms.CharField(label=_("Vision"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class GoalAreaVisionForm(VersionedForm):
    vision = forms.ModelChoiceField(
        label=_("Vision"),
        queryset=Vision.objects.none(),
        required=False,
        empty_label=_("No vision"),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["vision"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Vision.objects.filter(municipality_id=plan.municipality_id)


class GoalForm(VersionedForm):
    goal_area = forms.ModelChoiceField(label=_("Goal area"), queryset=Plan.objects.none())
    number = forms.IntegerField(label=_("Goal number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Goal"), max_length=500)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, plan: Plan, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["goal_area"]  # a goal stays in its goal area
        else:
            field = self.fields["goal_area"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = plan.goal_areas.order_by("number")


class IndicatorChoiceField(forms.ChoiceField):
    """A catalogue indicator, offered in two groups: the statistics sources (SCB, Kolada,
    surveys …) and the municipality's own figures. Cleans to the :class:`Indicator`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indicators: dict[str, Indicator] = {}

    def load(self, indicators: Iterable[Indicator]) -> None:
        catalogue: list[tuple[str, str]] = []
        own: list[tuple[str, str]] = []
        for indicator in sorted(indicators, key=lambda i: i.name().casefold()):
            key = str(indicator.pk)
            self.indicators[key] = indicator
            if indicator.source_kind == SourceKind.OWN:
                own.append((key, f"{indicator.name()} ({indicator.get_unit_display()})"))
            else:
                label = (
                    f"{indicator.name()} ({indicator.get_unit_display()}; "
                    f"{indicator.get_source_kind_display()})"
                )
                catalogue.append((key, label))
        self.choices = [
            ("", "---------"),
            (str(_("Catalogue: official statistics")), catalogue),
            (str(_("Own figures")), own),
        ]

    def clean(self, value: Any) -> Indicator | None:
        key = super().clean(value)
        return self.indicators.get(str(key)) if key else None

    def prepare_value(self, value: Any) -> Any:
        return str(value.pk) if isinstance(value, Indicator) else value


class QuantitativeCriterionForm(VersionedForm):
    indicator = IndicatorChoiceField(
        label=_("Indicator"),
        help_text=_(
            "From the indicator catalogue; the municipality's own figures are listed apart."
        ),
    )
    area = forms.ModelChoiceField(
        label=_("Measured in"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("The area the target is set for, or the whole municipality."),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1900, max_value=2100)
    target_year = forms.IntegerField(label=_("Target year"), min_value=1900, max_value=2100)
    target_value = DecimalCommaField(label=_("Target, everyone"))
    target_value_women = DecimalCommaField(label=_("Target for women"))
    target_value_men = DecimalCommaField(label=_("Target for men"))
    position = forms.IntegerField(
        label=_("Criterion number"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("Empty: after the goal's last quantitative criterion."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator = self.fields["indicator"]
        assert isinstance(indicator, IndicatorChoiceField)
        indicator.load(Indicator.objects.order_by("name_sv"))
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(municipality_id=plan.municipality_id).order_by("name")
        area.empty_label = str(_("Whole municipality (%(name)s)") % {"name": plan.municipality})

    def data_for_service(self) -> dict[str, Any]:
        """The fields for the service; an empty number keeps (or, new, takes the next) one."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data.get("position") is None:
            data.pop("position", None)
        return data


class QualitativeCriterionForm(VersionedForm):
    letter = forms.CharField(
        label=_("Letter"),
        max_length=2,
        required=False,
        help_text=_("Empty: the next free letter."),
    )
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 3}))

"""Forms for the municipality's own figures: the indicator and the year × sex values grid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kvarter.core.forms import SEX_LABELS, DecimalCommaField, VersionedForm
from kvarter.core.models import Sex
from kvarter.indicators.models import Direction, Unit

NEW_ROWS = 3


class OwnIndicatorForm(VersionedForm):
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=200)
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the Swedish name."),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    by_sex = forms.BooleanField(label=_("Given for women and men"), required=False, initial=True)
    definition = forms.CharField(
        label=_("Definition and source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class OwnValuesForm(forms.Form):
    """A year × (everyone, women, men) grid; an empty cell means no value for that year.

    Known years are rows; ``NEW_ROWS`` extra rows take a year and its values. ``state`` is the
    fingerprint of the values as read, so a save over someone else's change is refused.
    """

    state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        years: Iterable[int],
        sexes: Sequence[str] = tuple(Sex.values),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.sexes = list(sexes)
        for year in self.years:
            for sex in self.sexes:
                self.fields[f"v_{year}_{sex}"] = DecimalCommaField(
                    label=f"{SEX_LABELS[sex]} {year}"
                )
        for row in range(NEW_ROWS):
            self.fields[f"new_{row}_year"] = forms.IntegerField(
                label=_("New year"), min_value=1900, max_value=2100, required=False
            )
            for sex in self.sexes:
                self.fields[f"new_{row}_{sex}"] = DecimalCommaField(
                    label=_("%(sex)s, new year") % {"sex": SEX_LABELS[sex]}
                )

    def sex_labels(self) -> list[Any]:
        return [SEX_LABELS[sex] for sex in self.sexes]

    def rows(self) -> list[dict[str, Any]]:
        """The grid for the template: each row's year (or year field) and its cells."""
        known = [
            {"year": year, "cells": [self[f"v_{year}_{sex}"] for sex in self.sexes]}
            for year in self.years
        ]
        new = [
            {
                "year_field": self[f"new_{row}_year"],
                "cells": [self[f"new_{row}_{sex}"] for sex in self.sexes],
            }
            for row in range(NEW_ROWS)
        ]
        return known + new

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen = set(self.years)
        for row in range(NEW_ROWS):
            year = data.get(f"new_{row}_year")
            values = [data.get(f"new_{row}_{sex}") for sex in self.sexes]
            if year is None:
                if any(v is not None for v in values):
                    self.add_error(
                        f"new_{row}_year",
                        ValidationError(_("Give the year of these values."), code="year_missing"),
                    )
                continue
            if year in seen:
                self.add_error(
                    f"new_{row}_year",
                    ValidationError(_("This year is already in the table."), code="year_twice"),
                )
            seen.add(year)
        return data

    def cells(self) -> list[tuple[int, str, Decimal | None]]:
        """Every (year, sex, value) the form holds; None clears a value."""
        data = self.cleaned_data
        cells = [(y, s, data.get(f"v_{y}_{s}")) for y in self.years for s in self.sexes]
        for row in range(NEW_ROWS):
            year = data.get(f"new_{row}_year")
            if year is not None:
                cells += [(year, s, data.get(f"new_{row}_{s}")) for s in self.sexes]
        return cells

"""Form pieces every domain's web forms share.

The forms only parse input; the rules (permissions, versions, invariants) are the services'
and the models'. :func:`add_service_errors` puts a service's refusal on the form fields it names,
so every door gives the same answer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import Sex
from kvarter.core.text import format_decimal, parse_decimal

MAX_DIGITS = 14
DECIMAL_PLACES = 4

# How a form names everyone, women and men (a target or a value for each).
SEX_LABELS: dict[str, Any] = {
    Sex.TOTAL: _("Everyone"),
    Sex.WOMEN: _("Women"),
    Sex.MEN: _("Men"),
}


class VersionedForm(forms.Form):
    """``version``: the version the user read (0 for a new row); a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def expected_version(self) -> int:
        """A missing or garbled version counts as 0, which the services refuse as stale."""
        return self.cleaned_data.get("version") or 0


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, if the form has it;
    errors on other fields, and errors without a field, go on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def format_number(value: Decimal | None) -> str:
    """'63,5' for Decimal('63.5000'), '1 234' for 1234: trailing zeros dropped; '' for None."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(DECIMAL_PLACES, max(0, -exponent)) if isinstance(exponent, int) else 0
    return format_decimal(value, decimals)


class DecimalCommaField(forms.CharField):
    """A number written the Swedish way ('63,5', '1 234,5') or with a point; empty is None."""

    default_error_messages = {
        "invalid": _("Write a number, e.g. 63,5."),
        "too_precise": _("Use at most four decimals."),
        "too_large": _("The number is too large."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", "40")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 40:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = parse_decimal(text)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > DECIMAL_PLACES:
            raise ValidationError(self.error_messages["too_precise"], code="too_precise")
        if abs(number) >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_number(value)
        return value

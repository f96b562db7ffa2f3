"""Forms of the EST pages: one event of the report form, and the catalogue's small forms.

Forms only read and shape input; the services decide (validation of areas, places, positions,
times and the personal-data scan happens in :mod:`kvarter.safety.filing.services`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area, Municipality
from kvarter.core import json_input
from kvarter.safety.models import (
    TEXT_MAX_LENGTH,
    IncidentCategory,
    Place,
    ResourceKind,
    Unsafety,
)

SEVERITY_CHOICES = [("1", _("Low")), ("2", _("Medium")), ("3", _("High"))]
UNSAFETY_CHOICES = [
    (Unsafety.YES.value, _("Yes")),
    (Unsafety.NO.value, _("No")),
    (Unsafety.UNSURE.value, _("Cannot say")),
]
MAX_FORM_EVENTS = 10


def local_now_value() -> str:
    """Now, as a ``datetime-local`` input shows it (Europe/Stockholm, minutes)."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def place_choices(municipality: Municipality) -> list[tuple[Any, Any]]:
    """Named places grouped by area, for a select (optgroups)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    places = Place.objects.filter(area__municipality=municipality).select_related("area")
    for place in places.order_by("area__name", "name"):
        groups.setdefault(place.area.name, []).append((str(place.pk), place.name))
    return [("", _("— no named place —")), *groups.items()]


class EventForm(forms.Form):
    """One event (händelse) of the report form; the page shows one or more with prefixes e0, e1…"""

    category = forms.ChoiceField(label=_("What happened?"), widget=forms.RadioSelect)
    place = forms.ChoiceField(label=_("Named place"), required=False)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    text = forms.CharField(
        label=_("Short description (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    severity = forms.ChoiceField(
        label=_("How serious? (optional)"),
        required=False,
        choices=SEVERITY_CHOICES,
        widget=forms.RadioSelect,
    )
    unsafety = forms.ChoiceField(
        label=_("Does it make people feel unsafe? (optional)"),
        required=False,
        choices=UNSAFETY_CHOICES,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        categories: list[IncidentCategory],
        places: list[tuple[Any, Any]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"occurred_at": local_now_value()})
        super().__init__(*args, **kwargs)
        category, place = self.fields["category"], self.fields["place"]
        assert isinstance(category, forms.ChoiceField) and isinstance(place, forms.ChoiceField)
        category.choices = [(str(c.pk), c.name) for c in categories]
        place.choices = places
        self.positive_ids = {str(c.pk) for c in categories if c.is_positive}
        # Every field names its error line (empty until there is an error), so a screen reader
        # reads the error with the field, whether the server or report.js put it there.
        described = {
            "place": "where-error",
            "occurred_at": "occurred_at-error",
            "text": "text-note {prefix}-text-error",
        }
        for name, ids in described.items():
            self.fields[name].widget.attrs["aria-describedby"] = f"{self.prefix}-" + ids.format(
                prefix=self.prefix
            )

    def event(self) -> dict[str, Any]:
        """The event as the filing service takes it."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "place": data.get("place") or None,
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "occurred_at": data["occurred_at"],
            "text": data.get("text") or "",
            "severity": data.get("severity") or None,
            "unsafety": data.get("unsafety") or "",
        }


def service_field_for(name: str) -> str:
    """The form field that shows a service error about ``name`` (a position shows at the place)."""
    return {"latitude": "place", "longitude": "place", "area": "place", "": "category"}.get(
        name, name
    )


def add_event_errors(forms_: list[EventForm], error: ValidationError) -> list[str]:
    """Put the service's ``events.<n>.<field>`` errors on the event forms; return the rest."""
    rest: list[str] = []
    if not hasattr(error, "error_dict"):
        return [" ".join(error.messages)]
    for key, errors in error.error_dict.items():
        parts = key.split(".")
        messages = [m for e in errors for m in e.messages]
        if parts[0] == "events" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(forms_):
                field = service_field_for(parts[2] if len(parts) > 2 else "")
                for message in messages:
                    forms_[index].add_error(field, message)
                continue
        rest.extend(messages)
    return rest


# --- catalogue ---------------------------------------------------------------------------------


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_positive = forms.BooleanField(label=_("Positive event"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(municipality=municipality).order_by("name")


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    geometry = forms.CharField(
        label=_("Location (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'A GeoJSON Point or Polygon in WGS 84, e.g. {"type": "Point", "coordinates": '
            "[15.62, 58.41]} (longitude first)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = areas

    def clean_geometry(self) -> Any:
        try:
            return json_input.loads(self.cleaned_data["geometry"])
        except ValueError as error:
            raise ValidationError(
                _("The location is not valid GeoJSON."), code="malformed_geometry"
            ) from error

"""What the indicator pages read from the query: municipality, indicator, group and sex,
and the words they show for them. Shared by the profile, map and comparison views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Municipality
from kvarter.areas.selectors import access_municipality_by_code
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.indicators import catalogue
from kvarter.indicators.models import Indicator
from kvarter.indicators.profile_types import IndicatorProfile, Point

# Indicator groups for the filters, by catalogue code; an indicator in none is under 'other'.
GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "arbete": (
        gettext_lazy("Work and income"),
        (
            catalogue.EMPLOYMENT_RATE,
            catalogue.ECONOMIC_ASSISTANCE,
            catalogue.LONG_TERM_ECONOMIC_ASSISTANCE,
            catalogue.ASSISTANCE_OR_LONG_TERM_UNEMPLOYED,
            catalogue.LOW_ECONOMIC_STANDARD,
            catalogue.MEDIAN_DISPOSABLE_INCOME,
        ),
    ),
    "utbildning": (
        gettext_lazy("Education"),
        (
            catalogue.EDUCATION_PRIMARY,
            catalogue.EDUCATION_SECONDARY,
            catalogue.EDUCATION_TERTIARY,
            "behorighet-yrkesprogram",
            "meritvarde-ak9",
            "alla-amnen-ak9",
        ),
    ),
    "halsa": (gettext_lazy("Health"), ("sjuk-aktivitetsersattning", "ohalsotal")),
    "befolkning": (
        gettext_lazy("Population and housing"),
        (catalogue.POPULATION, "andel-0-19", "utrikes-fodda", "trangboddhet"),
    ),
    "trygghet": (
        gettext_lazy("Safety and participation"),
        (
            "anmalda-brott",
            "anmalda-valdsbrott",
            "trygghet-utomhus-kvall",
            "attraktivitet",
            "valdeltagande-kommunval",
        ),
    ),
}
OTHER_GROUP = "ovrigt"

# The profile's sex filter: the query value → the sexes shown.
SEX_FILTERS: dict[str, tuple[str, ...]] = {"alla": ("T", "K", "M"), "T": ("T",), "KM": ("K", "M")}
MAP_SEXES = ("T", "K", "M")


def group_of(indicator: Indicator) -> str:
    for key, (_label, codes) in GROUPS.items():
        if indicator.code in codes:
            return key
    return OTHER_GROUP


def indicator_labels(indicators: Sequence[Indicator]) -> dict[int, str]:
    """Each indicator's name, with its source added where two indicators share a name (a
    catalogue indicator and a municipality's own series of the same name)."""
    names = [i.name() for i in indicators]
    labels = {}
    for indicator, name in zip(indicators, names, strict=True):
        if names.count(name) > 1:
            name = f"{name} ({indicator.get_source_kind_display()})"
        labels[indicator.pk] = name
    return labels


def group_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _codes) in GROUPS.items()] + [
        (OTHER_GROUP, _("Other"))
    ]


def sex_filter_choices() -> list[tuple[str, str]]:
    return [("alla", _("Total, women and men")), ("T", _("Total")), ("KM", _("Women and men"))]


def group_from(request: HttpRequest) -> str:
    """The indicator group the query names; '' (every group) for none or an unknown one."""
    group = request.GET.get("grupp", "")
    return group if group in dict(group_choices()) else ""


def in_group_order(items: Sequence[IndicatorProfile], group: str) -> list[IndicatorProfile]:
    """The indicators of ``group`` (every group for ''), group by group as the filter lists
    them, by name within a group."""
    order = [key for key, _label in group_choices()]
    chosen = [i for i in items if not group or group_of(i.indicator) == group]
    return sorted(chosen, key=lambda i: (order.index(group_of(i.indicator)), i.indicator.name()))


def sexes_from(request: HttpRequest) -> tuple[str, tuple[str, ...]]:
    key = request.GET.get("kon", "alla")
    if key not in SEX_FILTERS:
        key = "alla"
    return key, SEX_FILTERS[key]


def municipality_from(request: HttpRequest) -> Municipality:
    """The municipality the query names, else the first one the user has a role in, else the
    first one there is."""
    code = request.GET.get("kommun", "")
    if code:
        return access_municipality_by_code(request.user, code)
    mine = resolver_for(request.user).municipality_ids
    municipalities = Municipality.objects.order_by("name")
    found = municipalities.filter(pk__in=mine).first() or municipalities.first()
    if found is None:
        raise NotFoundOrForbidden
    return found


def indicator_from(request: HttpRequest) -> Indicator:
    code = request.GET.get("indikator", "")
    if code:
        found = Indicator.objects.filter(code=code).first()
        if found is None:
            raise NotFoundOrForbidden
        return found
    found = (
        Indicator.objects.filter(code=catalogue.EMPLOYMENT_RATE).first()
        or Indicator.objects.order_by("name_sv").first()
    )
    if found is None:
        raise NotFoundOrForbidden
    return found


def labelled(indicators: list[Indicator]) -> list[tuple[Indicator, str]]:
    labels = indicator_labels(indicators)
    return [(i, labels[i.pk]) for i in indicators]


def status_text(point: Point | None) -> str:
    if point is None:
        return _("no data")
    if point.value is None:
        return _("suppressed") if point.status == "suppressed" else _("no data")
    return ""

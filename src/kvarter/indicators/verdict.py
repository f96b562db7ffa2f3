"""The verdict in words on an area's indicator: 'Better than last year, still far below the
municipality.' (Swedish: 'Bättre än förra året, fortfarande långt under kommunen.')

A pure function of the indicator's direction and unit, the area's latest and previous figures
and the municipality's figure for the same period. No database, no Django models; only gettext.

The rule, in numbers
--------------------
Two figures ``a`` (the area) and ``b`` (the municipality, or last year's figure) are compared by
their *gap*::

    gap = |a − b| / reference

where ``reference`` is ``|b|`` for counts, rates, kronor, points and index values, and for a
share in percent the distance of ``b`` from the nearer end of the scale, ``min(b, 100 − b)``.
The percent rule makes the verdict the same whichever way a share is put: 'andel med
ekonomiskt bistånd' 6 % against 4 % (gap 2/4 = 0.5) is as far off as 'andel utan' 94 % against
96 % (2/4 = 0.5), and two percentage points count for more near 0 % or 100 % than near 50 %.
A reference of 0 makes any difference 'far'.

Against the municipality (:data:`NEAR` and :data:`FAR`):
  - gap < 0.05: 'about the same as the municipality';
  - 0.05 ≤ gap < 0.25: 'above' / 'below the municipality';
  - gap ≥ 0.25: 'far above' / 'far below the municipality'.
  E.g. förvärvsfrekvens 74 % against 75 % (1/25 = 0.04) is about the same, 72 % (0.12) is
  below and 68 % (0.28) far below; meritvärde 210 against 230 (0.087) is below, 170 (0.26) far
  below; ohälsotal 40 days against 25 (0.6) far above.

Against last year (:data:`UNCHANGED`): a gap under 0.01 is 'unchanged'; otherwise the figure
is 'better' or 'worse' by the indicator's direction, or for a neutral indicator 'higher' or
'lower'.

The words 'above' and 'below' speak of the value, not of its goodness. The joining words do
carry the direction: better than last year but on the worse side of the municipality is
'…, still far below the municipality'; worse than last year but on the better side is
'…, but still above the municipality'.

When the newest figure of the area is hidden (suppressed) or missing, the verdict says so first
and then gives the verdict on the latest figure there is, naming its period.
"""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

NEAR = 0.05  # below this gap the area is 'about the same as' the municipality
FAR = 0.25  # from this gap on the area is 'far above' or 'far below' the municipality
UNCHANGED = 0.01  # below this gap the figure is 'unchanged' since the period before

HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"  # kvarter.indicators.models.Direction


def gap(a: float, b: float, *, percent: bool) -> float:
    """How far ``a`` is from ``b``, relative to ``b`` (see the module's rule)."""
    difference = abs(a - b)
    if difference == 0:
        return 0.0
    reference = min(b, 100 - b) if percent and 0 <= b <= 100 else abs(b)
    return difference / reference if reference > 0 else float("inf")


def _goodness(direction: str, a: float, b: float) -> int:
    """+1 when ``a`` is the better of the two, −1 when worse, 0 for neutral or equal."""
    if direction == NEUTRAL or a == b:
        return 0
    return 1 if (a > b) == (direction == HIGHER) else -1


def _trend(direction: str, latest: float, previous: float, *, percent: bool, yearly: bool) -> str:
    if gap(latest, previous, percent=percent) < UNCHANGED:
        return _("unchanged since last year") if yearly else _("unchanged since the period before")
    if direction == NEUTRAL:
        if latest > previous:
            return _("higher than last year") if yearly else _("higher than the period before")
        return _("lower than last year") if yearly else _("lower than the period before")
    if _goodness(direction, latest, previous) > 0:
        return _("better than last year") if yearly else _("better than the period before")
    return _("worse than last year") if yearly else _("worse than the period before")


def _position(latest: float, municipality: float, *, percent: bool) -> str:
    distance = gap(latest, municipality, percent=percent)
    if distance < NEAR:
        return _("about the same as the municipality")
    far = distance >= FAR
    if latest > municipality:
        return _("far above the municipality") if far else _("above the municipality")
    return _("far below the municipality") if far else _("below the municipality")


def _hidden(period: str, status: str) -> str:
    if status == "suppressed":
        return _("The figure for %(period)s is suppressed (too few to show).") % {"period": period}
    return _("There is no figure for %(period)s.") % {"period": period}


def verdict(
    *,
    direction: str,
    latest: float | None,
    previous: float | None = None,
    municipality: float | None = None,
    percent: bool = False,
    yearly: bool = True,
    latest_period: str | None = None,
    hidden_period: str | None = None,
    hidden_status: str = "suppressed",
) -> str:
    """The verdict in words, in the active language.

    ``latest`` is the area's latest figure with a value, ``previous`` its figure the period
    before (None when that period has none), ``municipality`` the municipality's figure in the
    same period as ``latest``. ``percent`` selects the share rule for the gap; ``yearly`` says
    'last year' rather than 'the period before'. ``hidden_period``/``hidden_status`` name a
    newer period of the area whose figure is suppressed or missing; ``latest_period`` is then
    named before the verdict on ``latest``.
    """
    parts: list[str] = []
    if hidden_period is not None:
        parts.append(_hidden(hidden_period, hidden_status))
    if latest is None:
        if not parts:
            parts.append(_("No figures for the area yet."))
        return " ".join(parts)

    trend = (
        None
        if previous is None
        else _trend(direction, latest, previous, percent=percent, yearly=yearly)
    )
    position = None if municipality is None else _position(latest, municipality, percent=percent)
    if trend is None and position is None:
        sentence = _("no figure the period before and none for the municipality to compare with")
    elif position is None:
        sentence = str(trend)
    elif trend is None:
        sentence = position
    else:
        sentence = _joined(direction, latest, previous, municipality, trend, position, percent)
    if hidden_period is not None and latest_period is not None:
        sentence = pgettext("verdict", "%(period)s: %(verdict)s") % {
            "period": latest_period,
            "verdict": sentence,
        }
    parts.append(capfirst(sentence) + ".")
    return " ".join(parts)


def _joined(
    direction: str,
    latest: float,
    previous: float | None,
    municipality: float | None,
    trend: str,
    position: str,
    percent: bool,
) -> str:
    assert previous is not None and municipality is not None  # checked by the caller
    moving = (
        0
        if gap(latest, previous, percent=percent) < UNCHANGED
        else _goodness(direction, latest, previous)
    )
    standing = (
        0
        if gap(latest, municipality, percent=percent) < NEAR
        else _goodness(direction, latest, municipality)
    )
    values = {"trend": trend, "position": position}
    if moving > 0 and standing < 0:
        return _("%(trend)s, still %(position)s") % values
    if moving < 0 and standing > 0:
        return _("%(trend)s, but still %(position)s") % values
    return _("%(trend)s, %(position)s") % values

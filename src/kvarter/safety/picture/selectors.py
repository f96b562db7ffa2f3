"""The weekly situational picture (lägesbild) for a municipality and a set of its areas.

``situational_picture`` reads the approved events of the week, the four weeks before it and the
same ISO week last year in one query, counts them per category, area, place and
weekday × hour (Stockholm time), compares the week with the four-week mean and last year, and
suppresses small counts for areas whose raw reports the actor may not see (the rules are in
:mod:`kvarter.safety.picture.rules` and :mod:`kvarter.core.suppression`; the four-week mean is
hidden whenever one of its weeks is hidden in that week's own picture). The reports list
(raw) is given only for the areas the actor may see raw. Every picture that includes counts
or reports of such areas writes one :class:`RawReadLog` row (who, door, filter, how many
events) — never a text.

Deployments: those that ran during the pictured week (decided at last week's meeting, with their
outcome) and those planned for the week after (decided at this week's meeting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.safety.models import (
    IncidentCategory,
    IncidentEvent,
    Place,
    RawReadLog,
    ReviewState,
)
from kvarter.safety.picture.lists import week_deployments, week_reports
from kvarter.safety.picture.rules import (
    ALL_WINDOWS,
    LAST_YEAR,
    PREVIOUS,
    PREVIOUS_WEEKS,
    SUB_WEEKS,
    WEEK,
    WINDOWS,
    Cell,
    Direction,
    IsoWeek,
    WindowCounts,
    change_from_bounds,
    derive,
    local_slot,
    possible_counts,
    primary,
    protect_line,
)
from kvarter.safety.picture.types import (
    Change,
    DeploymentLine,
    ReportLine,
    Row,
    Shown,
    SituationalPicture,
)
from kvarter.safety.retention.monthly import smallest_count_shown

__all__ = [
    "Change",
    "DeploymentLine",
    "ReportLine",
    "Row",
    "Shown",
    "SituationalPicture",
    "describe_change",
    "picture_areas",
    "situational_picture",
]

READ_WHAT = "situational_picture"


def picture_areas(
    *, actor: Any, municipality: Municipality, areas: Iterable[Any] | None = None
) -> list[Area]:
    """The chosen areas of the municipality (all when none are chosen), checked to be its own."""
    resolver = resolver_for(actor)
    if not resolver.can_view_incident_aggregates(municipality.pk) and not (
        resolver.raw_incident_area_ids(municipality.pk)
    ):
        raise NotFoundOrForbidden
    rows = Area.objects.filter(municipality=municipality).order_by("name")
    if areas is None:
        return list(rows)
    ids = {a.pk if isinstance(a, Area) else int(a) for a in areas}
    found = list(rows.filter(pk__in=ids))
    if len(found) != len(ids):
        raise NotFoundOrForbidden
    return found


def situational_picture(
    *,
    actor: Any,
    municipality: Municipality,
    week: str | dt.date | IsoWeek,
    areas: Iterable[Any] | None = None,
    door: str = "web",
    include_reports: bool = True,
) -> SituationalPicture:
    """The picture of ``week`` for ``areas`` (None: all of the municipality's) as ``actor`` may
    see it. Raises ``NotFoundOrForbidden`` for a reader without access, ``WeekError``."""
    iso = IsoWeek.parse(week)
    chosen = picture_areas(actor=actor, municipality=municipality, areas=areas)
    area_ids = [a.pk for a in chosen]
    raw = resolver_for(actor).raw_incident_area_ids(municipality.pk)
    raw_ids = frozenset(area_ids) if raw is None else frozenset(raw) & frozenset(area_ids)
    threshold = smallest_count_shown(municipality.pk)

    first = iso.shifted(-PREVIOUS_WEEKS)
    last_year = iso.same_week_last_year()
    window_edges = (
        (WEEK, iso.start, iso.end),
        *((SUB_WEEKS[k], first.shifted(k).start, first.shifted(k + 1).start) for k in range(4)),
        (LAST_YEAR, last_year.start, last_year.end),
    )
    # Two reads, each a range of the (area, occurred_at) index; one read with an OR of the two
    # ranges made SQLite walk every event of the area.
    rows = [
        row
        for start, end in ((first.start, iso.end), (last_year.start, last_year.end))
        for row in IncidentEvent.objects.filter(
            area_id__in=area_ids,
            occurred_at__gte=start,
            occurred_at__lt=end,
            report__review_state=ReviewState.APPROVED,
        ).values_list("category_id", "area_id", "place_id", "occurred_at")
    ]
    counts = WindowCounts(area_ids, raw_ids)
    for category_id, area_id, place_id, occurred_at in rows:
        for window, start, end in window_edges:
            if start <= occurred_at < end:
                slot = local_slot(occurred_at)
                counts.add(window, category_id, area_id, place_id, slot)
                if window in SUB_WEEKS:
                    counts.add(PREVIOUS, category_id, area_id, place_id, None)
                break

    # One total per window shared by every line (categories, areas, timeline), and the areas'
    # own cells as the totals of their places: a figure hidden in one line is hidden in all.
    totals = [counts.cell(w, ("total", None), counts.guarded_selection) for w in ALL_WINDOWS]
    categories = _category_rows(municipality, counts, threshold, totals)
    area_cells = _area_cells(chosen, counts, threshold, totals)
    places = _place_rows(chosen, counts, threshold, area_cells)
    timeline = _timeline(counts, threshold, totals)
    total = _row(None, _("All chosen areas"), totals, threshold)
    by_area = [_row(a.pk, a.name, area_cells[a.pk], threshold) for a in chosen]

    reports = None
    if raw_ids and include_reports:
        reports = week_reports(iso, raw_ids)
    if raw_ids:
        _log_read(actor, door, municipality, iso, area_ids, raw_ids, counts.week_raw)
    return SituationalPicture(
        municipality=municipality,
        week=iso,
        areas=chosen,
        raw_area_ids=raw_ids,
        threshold=threshold,
        total=total,
        categories=categories,
        by_area=by_area,
        places=places,
        timeline=timeline,
        reports=reports,
        deployments_ran=week_deployments(area_ids, iso),
        deployments_next=week_deployments(area_ids, iso.shifted(1)),
        area_counts={row.key: row.week for row in by_area if row.key is not None},
    )


def _count_text(value: int) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


def _mean_text(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1, use_l10n=True)


def _shown(cell: Cell, threshold: int, *, scale: float = 1.0) -> Shown:
    if not cell.hidden:
        value = cell.c / scale
        text = _count_text(cell.c) if scale == 1 else _mean_text(value)
        return Shown(value, text)
    if cell.hidden == "small" and cell.c == cell.n:
        bound = threshold / scale
        text = f"< {_count_text(threshold) if scale == 1 else _mean_text(bound)}"
        return Shown(None, text, "small")
    return Shown(None, "×", cell.hidden)


def _change(week: Cell, base: Cell, threshold: int, *, scale: float = 1.0) -> Change:
    direction, notable = change_from_bounds(
        possible_counts(week, threshold), possible_counts(base, threshold, scale=scale)
    )
    difference = None
    if not week.hidden and not base.hidden:
        difference = round(week.c - base.c / scale, 1)
    return describe_change(direction, notable, difference)


def describe_change(direction: Direction, notable: bool, difference: float | None) -> Change:
    """Words and a symbol for a change (the table never says it by colour alone)."""
    words = {
        "up": _("up"),
        "down": _("down"),
        "same": pgettext("change", "unchanged"),
        "": _("not shown"),
    }[direction]
    symbol = {"up": "▲", "down": "▼", "same": "=", "": "–"}[direction]
    if difference is not None and direction in ("up", "down"):
        sign = "+" if difference > 0 else "−"
        size = number_format(abs(difference), decimal_pos=0 if difference % 1 == 0 else 1)
        words = f"{words} {sign}{size}"
    if notable:
        words = _("%(change)s, notable") % {"change": words}
        symbol += "!"
    return Change(direction, notable, difference, words, symbol)


def _row(
    key: int | None, label: str, cells: Sequence[Cell], threshold: int, *, area: str = ""
) -> Row:
    week, previous, last_year = cells[WEEK], cells[PREVIOUS], cells[LAST_YEAR]
    derive(previous, [cells[w] for w in SUB_WEEKS])
    return Row(
        key=key,
        label=label,
        week=_shown(week, threshold),
        mean=_shown(previous, threshold, scale=PREVIOUS_WEEKS),
        last_year=_shown(last_year, threshold),
        vs_mean=_change(week, previous, threshold, scale=PREVIOUS_WEEKS),
        vs_last_year=_change(week, last_year, threshold),
        area=area,
    )


def _protected(
    counts: WindowCounts,
    total_key: tuple[str, Any],
    keys: Sequence[tuple[str, Any]],
    guarded: Sequence[bool],
    threshold: int,
    *,
    total_cells: Sequence[Cell] | None = None,
    always: Callable[[tuple[str, Any]], bool] = lambda key: True,
) -> tuple[list[Cell], list[list[Cell]]]:
    """Per window the total's cell and the line's cells, suppression applied. A window's line
    is the keys ``always`` in it and those with events in that very window, so that a week's
    figures are hidden alike in every picture that shows them (its own, a later one's mean,
    next year's 'last year'); the four-week window is derived (:func:`_row`)."""
    totals: list[Cell] = []
    lines: list[list[Cell]] = []
    for window in ALL_WINDOWS:
        total = (
            total_cells[window]
            if total_cells is not None
            else counts.cell(window, total_key, any(guarded))
        )
        line = [counts.cell(window, key, g) for key, g in zip(keys, guarded, strict=True)]
        if window != PREVIOUS:
            member = [always(key) or counts.c[window][key] > 0 for key in keys]
            protect_line(total, [c for c, m in zip(line, member, strict=True) if m], threshold)
            for cell in (c for c, m in zip(line, member, strict=True) if not m):
                primary(cell, threshold)
        totals.append(total)
        lines.append(line)
    return totals, lines


def _category_rows(
    municipality: Municipality, counts: WindowCounts, threshold: int, totals: Sequence[Cell]
) -> list[Row]:
    seen = {key[1] for w in WINDOWS for key in counts.c[w] if key[0] == "category"}
    categories = list(
        IncidentCategory.objects.filter(
            Q(municipality=municipality, active=True) | Q(pk__in=seen)
        ).order_by("order", "name")
    )
    keys = [("category", c.pk) for c in categories]
    flags = [counts.guarded_selection] * len(keys)
    active = {("category", c.pk) for c in categories if c.active}
    _totals, lines = _protected(
        counts,
        ("total", None),
        keys,
        flags,
        threshold,
        total_cells=totals,
        always=active.__contains__,
    )
    return [
        _row(c.pk, c.name, [lines[w][i] for w in ALL_WINDOWS], threshold)
        for i, c in enumerate(categories)
    ]


def _area_cells(
    areas: Sequence[Area], counts: WindowCounts, threshold: int, totals: Sequence[Cell]
) -> dict[int, list[Cell]]:
    keys = [("area", a.pk) for a in areas]
    flags = [a.pk not in counts.raw_ids for a in areas]
    _totals, lines = _protected(
        counts, ("total", None), keys, flags, threshold, total_cells=totals
    )
    return {a.pk: [lines[w][i] for w in ALL_WINDOWS] for i, a in enumerate(areas)}


def _place_rows(
    areas: Sequence[Area],
    counts: WindowCounts,
    threshold: int,
    area_cells: dict[int, list[Cell]],
) -> list[Row]:
    # The line of an area is every place with an event there (a place of another area too, so
    # that the line adds up to the area's count) and its named places, then 'no named place'.
    seen = {key[1] for w in WINDOWS for key in counts.c[w] if key[0] == "place"}
    seen_ids = {place_id for _area, place_id in seen if place_id is not None}
    known = Place.objects.filter(Q(area__in=areas) | Q(pk__in=seen_ids)).order_by("name")
    places_by_area: dict[int, list[Place]] = {}
    for found in known:
        for area in areas:
            if found.area_id == area.pk or (area.pk, found.pk) in seen:
                places_by_area.setdefault(area.pk, []).append(found)
    rows: list[Row] = []
    for area in areas:
        guarded = area.pk not in counts.raw_ids
        places: list[Place | None] = [*places_by_area.get(area.pk, []), None]
        keys = [("place", (area.pk, p.pk if p else None)) for p in places]
        own = {key for key, p in zip(keys, places, strict=True) if not p or p.area_id == area.pk}
        _totals, lines = _protected(
            counts,
            ("area", area.pk),
            keys,
            [guarded] * len(keys),
            threshold,
            total_cells=area_cells[area.pk],
            always=own.__contains__,
        )
        for i, place in enumerate(places):
            cells = [lines[w][i] for w in ALL_WINDOWS]
            shown_windows = [cells[w] for w in WINDOWS]
            if all(cell.c == 0 for cell in shown_windows):
                continue  # nothing anywhere: no row (the same for every reader)
            if guarded and all(cell.hidden for cell in shown_windows):
                continue  # no place-level detail below the threshold
            label = place.name if place else _("(no named place)")
            rows.append(_row(place.pk if place else None, label, cells, threshold, area=area.name))
    return rows


def _timeline(counts: WindowCounts, threshold: int, totals: Sequence[Cell]) -> list[list[Shown]]:
    """The week's 7 × 24 hours; the other weeks' too, as the line may hide their totals."""
    guarded = counts.guarded_selection
    grids = {}
    for window in (w for w in ALL_WINDOWS if w != PREVIOUS):
        grid = [
            [counts.cell(window, ("slot", (d, h)), guarded) for h in range(24)] for d in range(7)
        ]
        protect_line(totals[window], [cell for day in grid for cell in day], threshold)
        grids[window] = grid
    return [[_shown(cell, threshold) for cell in day] for day in grids[WEEK]]


def _log_read(
    actor: Any,
    door: str,
    municipality: Municipality,
    iso: IsoWeek,
    area_ids: Sequence[int],
    raw_ids: frozenset[int],
    count: int,
) -> None:
    person = actor if getattr(actor, "is_authenticated", False) else None
    RawReadLog.objects.create(
        actor=person,
        actor_name=actor.get_username() if actor is not None else "",
        door=door[:10],
        what=READ_WHAT,
        filters={
            "municipality": municipality.code,
            "week": str(iso),
            "areas": sorted(area_ids),
            "raw_areas": sorted(raw_ids),
        },
        count=count,
    )

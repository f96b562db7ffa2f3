"""EST at the strategic level: the management group's quarterly summary and the municipality's
crime-prevention situational picture (brottsförebyggande lägesbild), drafted from the reports.

Both are :class:`~kvarter.reports.document.Document`s built from the same counts —
:func:`kvarter.safety.retention.monthly.monthly_counts`, i.e. approved events plus the monthly
counts that remain of purged reports — so old periods still have figures after the retention purge.

Suppression: the management group are not EST members, so counts under the installation's
threshold (zero included) are shown as ``< N`` except in the areas named in ``exact_area_ids``
(the areas whose raw reports the reader may read; the CLI passes none unless asked). Each
period's areas × categories table, with its municipal totals per category and in all, goes
through :func:`kvarter.core.suppression.suppress_table`: a municipal total that would give a
hidden area cell away is hidden ('–'). A change is not shown beside a hidden count.

The crime-prevention document follows the structure municipalities use for the lägesbild that
lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete requires (at least every
second year since 1 July 2023). It is a *draft from EST reports only*: it says so, and leaves
the other sources (police statistics, surveys) and the conclusions to its author.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from kvarter.areas.models import Area, Municipality
from kvarter.core.suppression import SECONDARY, SHOWN, derived_hidden, is_small, suppress_table
from kvarter.reports.document import (
    Block,
    Cell,
    Column,
    Document,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Table,
)
from kvarter.safety.models import IncidentCategory, Place, ProblemPlace
from kvarter.safety.retention.monthly import (
    add_months,
    marked,
    monthly_counts,
    smallest_count_shown,
)

FORMATS = ("pdf", "docx", "xlsx", "html")
TREND_QUARTERS = 8
TOP_PLACES = 10


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # first day after
    label: str


def quarter_period(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return Period(start, add_months(start, 3), f"{year} Q{quarter}")


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), str(year))


def _previous(period: Period, *, quarter: bool) -> Period:
    if quarter:
        start = add_months(period.start, -3)
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    return year_period(period.start.year - 1)


def _last_year(period: Period, *, quarter: bool) -> Period:
    start = add_months(period.start, -12)
    if quarter:
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    return year_period(start.year)


# --- counting -----------------------------------------------------------------------------------


class Counts:
    """(area, category) → count for one period, with the reader's suppression."""

    def __init__(
        self, municipality: Municipality, period: Period, exact: frozenset[int], threshold: int
    ) -> None:
        self.period = period
        self.exact = exact
        self.threshold = threshold
        self.cells: dict[tuple[int, int], int] = defaultdict(int)
        for row in monthly_counts(
            municipality_id=municipality.pk, start=period.start, end=period.end
        ):
            self.cells[(row.area_id, row.category_id)] += row.count
        # One table per period: areas × categories, the municipal total per category and in
        # all shown, the areas' totals not.
        self.area_ids = [a.pk for a in _areas(municipality)]
        self.category_ids = [c.pk for c in _categories(municipality)]
        table = suppress_table(
            [[self.value(a, c) for c in self.category_ids] for a in self.area_ids],
            threshold=threshold,
            guarded=[[a not in exact] * len(self.category_ids) for a in self.area_ids],
            row_totals=False,
            prefer="wholes",
        )
        self.marks = {
            (a, c): table.cells[i][j]
            for i, a in enumerate(self.area_ids)
            for j, c in enumerate(self.category_ids)
        }
        self.column_marks = dict(zip(self.category_ids, table.column_totals, strict=True))
        self.total_mark = table.total
        if add_months(period.start, 3) < period.end:
            self._derive_from_quarters(municipality)

    def _derive_from_quarters(self, municipality: Municipality) -> None:
        """A year's figure is the sum of its quarters' (shown in the trend and the quarterly
        summaries): hidden whenever any of them is hidden there (decision 6)."""
        year = self.period.start.year
        quarters = [
            Counts(municipality, quarter_period(year, q), self.exact, self.threshold)
            for q in range(1, 5)
        ]
        for key, mark in self.marks.items():
            if derived_hidden([mark, *(q.marks.get(key, SHOWN) for q in quarters)]):
                self.marks[key] = mark or SECONDARY
        for category, mark in self.column_marks.items():
            if derived_hidden([mark, *(q.column_marks.get(category, SHOWN) for q in quarters)]):
                self.column_marks[category] = mark or SECONDARY
        if derived_hidden([self.total_mark, *(q.total_mark for q in quarters)]):
            self.total_mark = self.total_mark or SECONDARY

    def value(self, area_id: int, category_id: int) -> int:
        return self.cells.get((area_id, category_id), 0)

    def hidden(self, area_id: int, category_id: int) -> bool:
        return self.marks.get((area_id, category_id), SHOWN) != SHOWN

    def shown(self, area_id: int, category_id: int) -> Cell:
        mark = self.marks.get((area_id, category_id), SHOWN)
        return marked(self.value(area_id, category_id), mark, threshold=self.threshold)

    def municipal_shown(self, category_id: int, area_ids: Iterable[int]) -> Cell:
        """The municipality's count of the category: '< N' when small, '–' when it would give
        a hidden area cell away."""
        total = sum(self.value(a, category_id) for a in area_ids)
        mark = self.column_marks.get(category_id, SHOWN)
        return marked(total, mark, threshold=self.threshold)

    def total(self) -> Cell:
        """The municipality's count in all, as suppressed for the reader."""
        return marked(sum(self.cells.values()), self.total_mark, threshold=self.threshold)


def _change(now: Cell, before: Cell) -> Cell:
    """Change in per cent, or a word; nothing beside a hidden count."""
    if not isinstance(now, int) or not isinstance(before, int):
        return "–"
    if before == 0:
        return _("new") if now else "0"
    percent = round(100 * (now - before) / before)
    return f"{percent:+d} %"


def _categories(municipality: Municipality) -> list[IncidentCategory]:
    return list(
        IncidentCategory.objects.filter(municipality=municipality).order_by("order", "name")
    )


def _areas(municipality: Municipality) -> list[Area]:
    return list(Area.objects.filter(municipality=municipality).order_by("name"))


def _comparison_table(
    caption: str,
    categories: list[IncidentCategory],
    now: Counts,
    before: Counts,
    last_year: Counts,
    area_id: int | None,
    area_ids: list[int],
    *,
    quarter: bool,
) -> Table:
    columns = [
        Column(_("Category"), width=28),
        Column(now.period.label, "number"),
        Column(before.period.label, "number"),
        Column(_("Change"), "number"),
    ]
    if quarter:
        columns += [Column(last_year.period.label, "number"), Column(_("Change"), "number")]
    rows: list[list[Cell]] = []
    for category in categories:

        def cell(counts: Counts, category: IncidentCategory = category) -> Cell:
            if area_id is None:
                return counts.municipal_shown(category.pk, area_ids)
            return counts.shown(area_id, category.pk)

        current, previous, year_ago = cell(now), cell(before), cell(last_year)
        if (current, previous, year_ago) == (0, 0, 0):
            continue
        row: list[Cell] = [category.name, current, previous, _change(current, previous)]
        if quarter:
            row += [year_ago, _change(current, year_ago)]
        rows.append(row)
    return Table(caption=caption, columns=columns, rows=rows, sheet_name=caption[:31])


def _trend_table(
    municipality: Municipality,
    categories: list[IncidentCategory],
    last: Period,
    exact: frozenset[int],
    threshold: int,
) -> Table:
    """The municipality's counts per category over the last quarters up to ``last``."""
    quarters = []
    start = last.start
    for _i in range(TREND_QUARTERS):
        quarters.append(quarter_period(start.year, (start.month - 1) // 3 + 1))
        start = add_months(start, -3)
    quarters.reverse()
    area_ids = [a.pk for a in _areas(municipality)]
    counts = [Counts(municipality, q, exact, threshold) for q in quarters]
    rows: list[list[Cell]] = []
    for category in categories:
        cells = [c.municipal_shown(category.pk, area_ids) for c in counts]
        if all(cell == 0 for cell in cells):
            continue
        rows.append([category.name, *cells])
    columns = [Column(_("Category"), width=28)] + [Column(q.label, "number") for q in quarters]
    caption = _("Reports per quarter, whole municipality")
    return Table(caption=caption, columns=columns, rows=rows, sheet_name=_("Trend"))


def _suppression_note(threshold: int, exact: frozenset[int]) -> str:
    if exact:
        return _(
            "Counts under %(n)s are shown as '< %(n)s' outside the reader's own EST areas; a "
            "change is not shown beside such a count."
        ) % {"n": threshold}
    return _(
        "Counts under %(n)s are shown as '< %(n)s', and no change is shown beside them, so "
        "that no single report can be recognised."
    ) % {"n": threshold}


# --- the management group's summary --------------------------------------------------------------


def est_strategic_document(
    *,
    municipality: Municipality,
    year: int,
    quarter: int | None = None,
    exact_area_ids: Iterable[int] = (),
    language: str = "sv",
) -> Document:
    """Per area and quarter (or year): reports by category, the change against the previous
    period and (for a quarter) the same quarter last year, and the trend of the last quarters."""
    exact = frozenset(exact_area_ids)
    with translation.override(language):
        is_quarter = quarter is not None
        period = quarter_period(year, quarter) if quarter is not None else year_period(year)
        threshold = smallest_count_shown(municipality.pk)
        now = Counts(municipality, period, exact, threshold)
        before = Counts(municipality, _previous(period, quarter=is_quarter), exact, threshold)
        last_year = Counts(municipality, _last_year(period, quarter=is_quarter), exact, threshold)
        categories = _categories(municipality)
        areas = _areas(municipality)
        area_ids = [a.pk for a in areas]

        def total(counts: Counts) -> Cell:
            return counts.total()

        blocks: list[Block] = [
            Paragraph(
                _(
                    "Reports filed by EST reporters (approved), counted by when the event "
                    "occurred (Swedish time). Periods older than the retention period are "
                    "counted from the monthly counts kept when the raw reports were deleted."
                )
            ),
            Paragraph(_suppression_note(threshold, exact)),
            KeyFigures(
                [
                    (now.period.label, _cell_value(total(now))),
                    (before.period.label, _cell_value(total(before))),
                ]
                + ([(last_year.period.label, _cell_value(total(last_year)))] if is_quarter else []),
                caption=_("Reports, whole municipality"),
            ),
            Heading(_("Whole municipality")),
            _comparison_table(
                _("Whole municipality"),
                categories,
                now,
                before,
                last_year,
                None,
                area_ids,
                quarter=is_quarter,
            ),
        ]
        for area in areas:
            blocks += [
                Heading(area.name),
                _comparison_table(
                    area.name,
                    categories,
                    now,
                    before,
                    last_year,
                    area.pk,
                    area_ids,
                    quarter=is_quarter,
                ),
            ]
        last_quarter = period if is_quarter else quarter_period(year, 4)
        blocks += [
            PageBreak(),
            Heading(_("Development over time")),
            _trend_table(municipality, categories, last_quarter, exact, threshold),
        ]
        last_day = period.end - dt.timedelta(days=1)
        return Document(
            title=_("EST strategic summary"),
            subtitle=f"{municipality.name} {period.label}",
            meta=[
                (_("Period"), f"{period.start:%Y-%m-%d} – {last_day:%Y-%m-%d}"),
                (
                    _("Compared with"),
                    before.period.label + (f", {last_year.period.label}" if is_quarter else ""),
                ),
                (_("Source"), _("EST incident reports in Kvarter")),
            ],
            blocks=blocks,
            language=language,
        )


def _cell_value(cell: Cell) -> str | int:
    return cell if isinstance(cell, str | int) else str(cell)


# --- the statutory crime-prevention situational picture (draft) ------------------------------


def _places_that_recur(
    municipality: Municipality, start: dt.date, end: dt.date, exact: frozenset[int], threshold: int
) -> Table:
    per_place: dict[int, int] = defaultdict(int)
    per_place_quarters: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for row in monthly_counts(municipality_id=municipality.pk, start=start, end=end):
        if row.place_id is None:
            continue
        per_place[row.place_id] += row.count
        per_place_quarters[row.place_id].add((row.month.year, (row.month.month - 1) // 3))
    top = sorted(per_place.items(), key=lambda item: (-item[1], item[0]))[:TOP_PLACES]
    places = {
        p.pk: p for p in Place.objects.filter(pk__in=[pk for pk, _n in top]).select_related("area")
    }
    problem = set(
        ProblemPlace.objects.filter(place_id__in=places, status="active").values_list(
            "place_id", flat=True
        )
    )
    rows: list[list[Cell]] = []
    for pk, count in top:
        place = places[pk]
        hidden = place.area_id not in exact and is_small(count, threshold)
        rows.append(
            [
                place.name,
                place.area.name,
                f"< {threshold}" if hidden else count,
                len(per_place_quarters[pk]),
                _("yes") if pk in problem else _("no"),
            ]
        )
    columns = [
        Column(_("Place"), width=24),
        Column(_("Area"), width=18),
        Column(_("Reports"), "number"),
        Column(_("Quarters with reports"), "number"),
        Column(_("Problem place"), width=10),
    ]
    return Table(
        caption=_("Places with the most reports"),
        columns=columns,
        rows=rows,
        sheet_name=_("Places"),
    )


def crime_prevention_document(
    *,
    municipality: Municipality,
    year: int,
    exact_area_ids: Iterable[int] = (),
    language: str = "sv",
) -> Document:
    """A draft of the municipality's crime-prevention situational picture for ``year`` (with
    the year before as comparison), from EST reports only."""
    exact = frozenset(exact_area_ids)
    with translation.override(language):
        threshold = smallest_count_shown(municipality.pk)
        period = year_period(year)
        before_period = year_period(year - 1)
        now = Counts(municipality, period, exact, threshold)
        before = Counts(municipality, before_period, exact, threshold)
        categories = _categories(municipality)
        areas = _areas(municipality)
        area_ids = [a.pk for a in areas]
        todo = _("[To be written by the author.]")
        blocks: list[Block] = [
            Heading(_("About this draft")),
            Paragraph(
                _(
                    "DRAFT. This document is drafted automatically from the incident reports of "
                    "the EST cooperation (effektiv samordning för trygghet) in Kvarter. It is "
                    "not a complete situational picture: the municipality's crime-prevention "
                    "situational picture under the Act (2023:196) on municipalities' "
                    "responsibility for crime prevention must also build on other sources, "
                    "which the author adds."
                )
            ),
            Heading(_("Purpose")),
            Paragraph(
                _(
                    "The situational picture describes crime and unsafety in the municipality "
                    "and where and when they occur, as the basis for the municipality's "
                    "crime-prevention action plan. The Act requires the municipality to draw "
                    "up a situational picture at least every second year."
                )
            ),
            Paragraph(todo),
            Heading(_("Sources and method")),
            Paragraph(
                _(
                    "Included: observations filed by trained EST reporters (municipal hosts, "
                    "security guards, housing companies, the police, outreach teams and "
                    "others), approved in review, counted by category, area and place for "
                    "%(year)s and compared with %(before)s. A report is an observation, not a "
                    "reported crime; the number of reports also depends on how many reporters "
                    "were out and where."
                )
                % {"year": year, "before": year - 1}
            ),
            Paragraph(_suppression_note(threshold, exact)),
            Paragraph(
                _(
                    "To be added by the author: reported crimes (the police's open statistics, "
                    "Brå), the police's local safety survey and Brå's national crime survey "
                    "(NTU), the rescue service's fire statistics, school and youth surveys "
                    "(e.g. the Stockholm or Lupp surveys), social services and the housing "
                    "companies' own figures, and dialogues with residents."
                )
            ),
            Heading(_("Situational picture per area and category")),
            _comparison_table(
                _("Whole municipality"),
                categories,
                now,
                before,
                before,
                None,
                area_ids,
                quarter=False,
            ),
        ]
        for area in areas:
            blocks += [
                Heading(area.name, level=2),
                _comparison_table(
                    area.name, categories, now, before, before, area.pk, area_ids, quarter=False
                ),
            ]
        blocks += [
            Heading(_("Development over time")),
            _trend_table(municipality, categories, quarter_period(year, 4), exact, threshold),
            Paragraph(todo),
            Heading(_("Places that recur")),
            _places_that_recur(municipality, before_period.start, period.end, exact, threshold),
            Paragraph(todo),
            Heading(_("Conclusions")),
            Paragraph(
                _(
                    "To be written by the author together with the municipality's "
                    "crime-prevention coordinator and partners: the main problems, their "
                    "causes and risk factors, which areas and groups are most affected, and "
                    "what the action plan should take up."
                )
            ),
            Paragraph(todo),
        ]
        return Document(
            title=_("Crime-prevention situational picture (draft)"),
            subtitle=f"{municipality.name} {year}",
            meta=[
                (_("Status"), _("Draft from EST reports only")),
                (_("Period"), f"{year} ({_('compared with')} {year - 1})"),
                (
                    _("Legal basis"),
                    _("Act (2023:196) on municipalities' responsibility for crime prevention"),
                ),
            ],
            blocks=blocks,
            language=language,
        )

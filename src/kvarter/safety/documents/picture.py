"""The weekly situational picture (lägesbild) as a one-page A4 PDF for the Friday meeting, and
as JSON (the API's and the CLI's shape).

Every figure comes from one :class:`kvarter.safety.picture.selectors.SituationalPicture`, already
suppressed for its reader; this module only lays the shown texts out, so the page, the PDF and
the JSON cannot disagree and cannot show more than the reader may see. The weekday × hour chart
is a Vega-Lite heat map (drawn as PNG in the PDF) with the same figures as its table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kvarter.reports.document import (
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    KeyFigures,
    Paragraph,
    Table,
)
from kvarter.reports.formats import render
from kvarter.safety.documents.picture_chart import (
    timeline_chart,
    timeline_summary,
    timeline_table,
    weekday_names,
)
from kvarter.safety.picture.rules import NOTABLE_EVENTS, NOTABLE_SHARE
from kvarter.safety.picture.selectors import Change, DeploymentLine, Row, Shown, SituationalPicture

FORMATS = ("pdf", "json")  # content types in kvarter.reports.formats
PDF_PLACES = 8  # places in the PDF: the busiest of the week
PDF_DEPLOYMENTS = 6

# The PDF is one page: no title page or contents, small type, the timeline's table left to the
# chart's description (the page's HTML and the JSON carry the full table).
_ONE_PAGE_CSS = """
@page { margin: 11mm 12mm 15mm 12mm; }
.kv-report { font-size: 7.5pt; line-height: 1.3; }
.kv-report .kv-title-page { break-after: auto; padding: 0 0 1.5mm; margin: 0 0 1mm;
  border-bottom: 1pt solid #1a1a1a; }
.kv-report .kv-title-page h1 { font-size: 15pt; border: 0; padding: 0; margin: 0; }
.kv-report .kv-title-page .kv-subtitle { font-size: 9pt; margin: .5mm 0 0; }
.kv-report .kv-meta { display: none; }
.kv-report .kv-toc { display: none; }
.kv-report h2 { font-size: 9.5pt; margin: 2.2mm 0 .8mm; }
.kv-report p { margin: 0 0 1mm; }
.kv-report table { font-size: 6.8pt; }
.kv-report th, .kv-report td { padding: .35mm .9mm; }
.kv-report caption { padding: 0 0 .4mm; font-size: 7.2pt; }
.kv-report .kv-table-wrap { margin: .5mm 0 1.2mm; }
.kv-report .kv-key-figures dl { margin: .5mm 0 1mm; gap: 2mm; }
.kv-report .kv-key-figure { padding: .8mm 2mm; }
.kv-report .kv-key-figure dd { font-size: 12pt; }
.kv-report .kv-chart { margin: .5mm 0 1mm; clear: both; }
.kv-report .kv-chart img { width: 125mm; }
/* Categories on the left, areas and places on the right (the document always has these
   three tables first, in this order). */
.kv-report > .kv-table-wrap:nth-of-type(1) { float: left; width: 49%; }
.kv-report > .kv-table-wrap:nth-of-type(2),
.kv-report > .kv-table-wrap:nth-of-type(3) { float: right; width: 49%; clear: right; }
.kv-report h2 { clear: both; }
.kv-report > .kv-table-wrap:nth-of-type(-n+3) table { table-layout: auto; }
.kv-report > .kv-table-wrap:nth-of-type(-n+3) col { width: auto !important; }
.kv-report > .kv-table-wrap:nth-of-type(-n+3) td.kv-number { white-space: nowrap; }
.kv-report .kv-chart .kv-table-wrap { display: none; }
.kv-report .kv-chart-description { font-size: 6.8pt; margin: .3mm 0 0; }
"""


def week_title(picture: SituationalPicture) -> str:
    return _("Situational picture, week %(week)d %(year)d") % {
        "week": picture.week.week,
        "year": picture.week.year,
    }


def week_span(picture: SituationalPicture) -> str:
    monday = picture.week.monday
    return f"{date_format(monday, 'j F')} – {date_format(monday + dt.timedelta(days=6), 'j F Y')}"


def areas_text(picture: SituationalPicture) -> str:
    return ", ".join(a.name for a in picture.areas) or "–"


def symbols_text() -> str:
    return _(
        "▲ up, ▼ down, = unchanged (less than half an event), ! notable, – cannot be told "
        "from the counts shown."
    )


def rules_text(picture: SituationalPicture) -> str:
    notable = _(
        "A change is notable when it is at least %(events)d events and at least %(share)d %% "
        "of the baseline."
    ) % {"events": NOTABLE_EVENTS, "share": round(NOTABLE_SHARE * 100)}
    if not picture.suppressed:
        return notable
    hidden = _(
        "Counts below %(n)d from areas whose reports you may not read are shown as '< %(n)d'; "
        "'×' hides a count that would otherwise let a hidden one be worked out."
    ) % {"n": picture.threshold}
    return f"{notable} {hidden}"


# --- tables -----------------------------------------------------------------------------------


def comparison_columns(first: str, *, compact: bool = False) -> list[Column]:
    if compact:
        return [
            Column(first, "text", 20),
            Column(_("Week"), "text", 5),
            Column(_("4 wk."), "text", 5),
            Column(pgettext("situational picture", "Change"), "text", 6),
            Column(_("Last yr."), "text", 5),
            Column(pgettext("situational picture", "Change"), "text", 6),
        ]
    return [
        Column(first, "text", 22),
        Column(_("This week"), "text", 8),
        Column(_("Mean, 4 weeks before"), "text", 9),
        Column(_("Against the 4 weeks"), "text", 14),
        Column(_("Same week last year"), "text", 9),
        Column(_("Against last year"), "text", 14),
    ]


def _compact_change(change: Change) -> str:
    if change.difference is None or change.direction not in ("up", "down"):
        return change.symbol
    sign = "+" if change.difference > 0 else "−"
    size = number_format(abs(change.difference), decimal_pos=0 if change.difference % 1 == 0 else 1)
    return f"{change.symbol} {sign}{size}"


def comparison_row(label: str, row: Row, *, compact: bool = False) -> list[Cell]:
    if compact:
        changes = [_compact_change(row.vs_mean), _compact_change(row.vs_last_year)]
    else:
        changes = [
            f"{row.vs_mean.symbol} {row.vs_mean.text}",
            f"{row.vs_last_year.symbol} {row.vs_last_year.text}",
        ]
    return [label, row.week.text, row.mean.text, changes[0], row.last_year.text, changes[1]]


def category_table(picture: SituationalPicture, *, compact: bool = False) -> Table:
    rows = [comparison_row(row.label, row, compact=compact) for row in picture.categories]
    rows.append(comparison_row(_("All categories"), picture.total, compact=compact))
    return Table(_("Events per category"), comparison_columns(_("Category"), compact=compact), rows)


def area_table(picture: SituationalPicture, *, compact: bool = False) -> Table:
    rows = [comparison_row(row.label, row, compact=compact) for row in picture.by_area]
    rows.append(comparison_row(_("All chosen areas"), picture.total, compact=compact))
    return Table(_("Events per area"), comparison_columns(_("Area"), compact=compact), rows)


def _busiest(rows: Sequence[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-(row.week.value or 0), row.week.hidden, row.label))


def place_table(
    picture: SituationalPicture, *, limit: int | None = None, compact: bool = False
) -> Table:
    rows = _busiest(picture.places)[:limit] if limit else list(picture.places)
    many = len(picture.areas) > 1
    cells = [
        comparison_row(f"{row.label} ({row.area})" if many else row.label, row, compact=compact)
        for row in rows
    ]
    caption = _("Events per place")
    if limit and len(picture.places) > limit:
        caption = _("Events per place: the %(n)d busiest") % {"n": limit}
    return Table(caption, comparison_columns(_("Place"), compact=compact), cells)


def deployment_table(lines: Sequence[DeploymentLine], caption: str, *, outcome: bool) -> Table:
    columns = [
        Column(_("Resource"), "text", 14),
        Column(_("Where"), "text", 16),
        Column(_("When"), "text", 18),
    ]
    columns += (
        [Column(_("Outcome"), "text", 10), Column(_("What came of it"), "text", 30)]
        if outcome
        else [Column(_("Purpose"), "text", 40)]
    )
    rows: list[list[Cell]] = []
    for line in lines:
        where = f"{line.place}, {line.area}" if line.place else line.area
        when = f"{line.starts_on:%d/%m}–{line.ends_on:%d/%m} {line.days} {line.hours}".strip()
        tail: list[Cell] = [line.outcome_label, line.outcome_note] if outcome else [line.purpose]
        rows.append([line.resource, where, when, *tail])
    return Table(caption, columns, rows)


def key_figures(picture: SituationalPicture) -> KeyFigures:
    total = picture.total
    return KeyFigures(
        [
            (_("Events this week"), total.week.text),
            (_("Mean of the 4 weeks before"), total.mean.text),
            (_("Same week last year"), total.last_year.text),
            (_("Deployments during the week"), len(picture.deployments_ran)),
        ]
    )


def picture_document(
    picture: SituationalPicture, *, language: str = "sv", today: dt.date | None = None
) -> Document:
    """The one-page PDF's document."""
    with translation.override(language):
        # Always these three tables first: the page's CSS sets them in two columns.
        blocks: list[Block] = [
            key_figures(picture),
            category_table(picture, compact=True),
            area_table(picture, compact=True),
            place_table(picture, limit=PDF_PLACES, compact=True),
        ]
        blocks.append(
            Chart(
                spec=timeline_chart(picture),
                title=_("When: weekday and hour"),
                description=timeline_summary(picture),
                table=timeline_table(picture),
            )
        )
        blocks.append(Heading(_("Deployments")))
        blocks.append(
            deployment_table(
                picture.deployments_ran[:PDF_DEPLOYMENTS],
                _("During the week, and what came of them"),
                outcome=True,
            )
            if picture.deployments_ran
            else Paragraph(_("No deployments during the week."))
        )
        if picture.deployments_next:
            blocks.append(
                deployment_table(
                    picture.deployments_next[:PDF_DEPLOYMENTS],
                    _("Decided for next week"),
                    outcome=False,
                )
            )
        blocks.append(Paragraph(f"{symbols_text()} {rules_text(picture)}"))
        return Document(
            title=week_title(picture),
            subtitle=f"{picture.municipality.name}: {areas_text(picture)} · {week_span(picture)}",
            meta=[
                (_("Week"), str(picture.week)),
                (_("Date"), (today or dt.date.today()).isoformat()),
            ],
            blocks=tuple(blocks),
            language=language,
        )


def render_picture_pdf(doc: Document) -> bytes:
    """The document as a one-page A4 PDF (the reports' PDF renderer with a compact page)."""
    return render(doc, "pdf", extra_css=_ONE_PAGE_CSS)


# --- JSON -------------------------------------------------------------------------------------


def _shown_data(shown: Shown) -> dict[str, Any]:
    return {"value": shown.value, "text": shown.text, "hidden": shown.hidden or None}


def _row_data(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.key, "name": row.label}
    if row.area:
        data["area"] = row.area
    for name in ("week", "mean", "last_year"):
        data[name] = _shown_data(getattr(row, name))
    for name in ("vs_mean", "vs_last_year"):
        change = getattr(row, name)
        data[name] = {
            "direction": change.direction or None,
            "notable": change.notable,
            "difference": change.difference,
            "text": change.text,
        }
    return data


def _deployment_data(line: DeploymentLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "resource": line.resource,
        "area": line.area,
        "place": line.place or None,
        "starts_on": line.starts_on.isoformat(),
        "ends_on": line.ends_on.isoformat(),
        "days": line.days,
        "hours": line.hours or None,
        "purpose": line.purpose,
        "outcome": line.outcome or None,
        "outcome_label": line.outcome_label,
        "outcome_note": line.outcome_note,
    }


def picture_data(picture: SituationalPicture) -> dict[str, Any]:
    """The picture as JSON data: what the page shows, in the reader's suppression."""
    reports = None
    if picture.reports is not None:
        reports = [
            {
                "id": r.event_id,
                "report": r.report_id,
                "occurred_at": r.occurred_at.isoformat(),
                "category": r.category,
                "area": r.area,
                "place": r.place or None,
                "organisation": r.organisation,
                "text": r.text,
                "severity": r.severity,
                "unsafety": r.unsafety or None,
                "latitude": r.latitude,
                "longitude": r.longitude,
            }
            for r in picture.reports
        ]
    return {
        "municipality": picture.municipality.code,
        "week": str(picture.week),
        "start": picture.start.isoformat(),
        "end": picture.end.isoformat(),
        "areas": [{"id": a.pk, "name": a.name} for a in picture.areas],
        "raw_areas": sorted(picture.raw_area_ids),
        "smallest_count_shown": picture.threshold,
        "suppressed": picture.suppressed,
        "total": _row_data(picture.total),
        "categories": [_row_data(r) for r in picture.categories],
        "by_area": [_row_data(r) for r in picture.by_area],
        "places": [_row_data(r) for r in picture.places],
        "timeline": {
            "weekdays": weekday_names(),
            "hours": list(range(24)),
            "counts": [[_shown_data(c) for c in day] for day in picture.timeline],
        },
        "reports": reports,
        "deployments_during_week": [_deployment_data(d) for d in picture.deployments_ran],
        "deployments_next_week": [_deployment_data(d) for d in picture.deployments_next],
        "rules": rules_text(picture),
    }


def render_picture(
    picture: SituationalPicture, fmt: str, *, language: str = "sv", today: dt.date | None = None
) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "json":
        with translation.override(language):
            data = picture_data(picture)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return render_picture_pdf(picture_document(picture, language=language, today=today))

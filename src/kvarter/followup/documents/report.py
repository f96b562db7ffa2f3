"""The yearly follow-up report of an action plan, as a `Document` for every format.

All counts come from :func:`kvarter.followup.selectors.round_summary`, the same function the
JSON export uses, so a number reads the same in HTML, PDF, Word, Excel and JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kvarter.core.text import join_list
from kvarter.followup.documents.fulfilment import fulfilment_blocks
from kvarter.followup.goal_fulfilment import goals_for_area, round_fulfilment
from kvarter.followup.models import RoundKind, RoundState, StatusReport
from kvarter.followup.selectors import (
    DISPOSITION_KEYS,
    STATUS_KEYS,
    RoundSummary,
    round_summary,
    visible_measures,
)
from kvarter.reports import charts
from kvarter.reports.document import (
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Table,
)

if TYPE_CHECKING:
    from kvarter.accounts.models import Organisation
    from kvarter.areas.models import Area
    from kvarter.followup.models import FollowUpRound
    from kvarter.plans.models import Measure


def status_labels() -> dict[str, str]:
    """The status words in the active language, in stacking order."""
    return {
        "done": _("Done"),
        "in_progress": _("In progress"),
        "not_done": _("Not done"),
        "not_reported": _("Not reported"),
    }


def disposition_labels() -> dict[str, str]:
    return {
        "kept": _("Kept"),
        "developed": _("Developed"),
        "merged": _("Merged into another measure"),
        "dropped": _("Dropped"),
    }


def _kind_label(kind: str) -> str:
    return {
        RoundKind.YEARLY: _("Yearly follow-up"),
        RoundKind.DR1: _("Interim report 1 (DR1)"),
        RoundKind.DR2: _("Interim report 2 (DR2)"),
    }.get(kind, kind)  # type: ignore[call-overload]


def followup_document(
    round: FollowUpRound,
    *,
    user: Any,
    area: Area | None = None,
    unit: Organisation | None = None,
    language: str = "sv",
    today: dt.date | None = None,
) -> Document:
    """The follow-up report of ``round`` as ``user`` may see it, optionally for one area or unit.

    Raises :class:`kvarter.core.errors.NotFoundOrForbidden` when the user may not read the plan.
    """
    plan = round.plan
    measures_qs = visible_measures(user, plan, area=area, unit=unit)
    summary = round_summary(round, measures_qs)
    measures = list(
        measures_qs.select_related("goal_area").prefetch_related("areas", "responsible_units")
    )
    reports = {
        r.measure_id: r
        for r in StatusReport.objects.filter(round=round, measure__in=measures_qs).select_related(
            "merged_into"
        )
    }
    with translation.override(language):
        statuses = status_labels()
        dispositions = disposition_labels()
        title = _("Follow-up of %(plan)s %(year)s") % {"plan": plan.name, "year": round.year}
        blocks: list[Block] = []
        blocks += _summary_blocks(summary, statuses)
        blocks += _goal_area_blocks(summary, measures, reports, statuses, dispositions)
        if unit is None:  # goals belong to the whole plan, not to one responsible unit
            goals = goals_for_area(round_fulfilment(round), area)
            blocks += fulfilment_blocks(goals, round_year=round.year)
        blocks += _change_blocks(summary, measures, reports, dispositions)
        return Document(
            title=title,
            subtitle=_kind_label(round.kind),
            meta=_meta(round, area, unit, today or dt.date.today()),
            blocks=tuple(blocks),
            language=language,
        )


def _meta(
    round: FollowUpRound, area: Area | None, unit: Organisation | None, today: dt.date
) -> list[tuple[str, str]]:
    plan = round.plan
    period = (
        str(plan.start_year)
        if plan.start_year == plan.end_year
        else f"{plan.start_year}–{plan.end_year}"
    )
    filters = []
    if area is not None:
        filters.append(_("Area: %(name)s") % {"name": area.name})
    if unit is not None:
        filters.append(_("Responsible unit: %(name)s") % {"name": unit.short_name or unit.name})
    state = _("Closed") if round.state == RoundState.CLOSED else _("Open")
    meta = [(_("Municipality"), plan.municipality.name)]
    if plan.decision_reference:
        meta.append((_("Decision"), plan.decision_reference))
    meta += [
        (_("Period"), period),
        (_("Follow-up round"), f"{_kind_label(round.kind)} {round.year}"),
        (_("State"), state),
        (_("Date"), today.isoformat()),
        (_("Filter"), "; ".join(filters) if filters else _("All measures")),
    ]
    return meta


def _summary_blocks(summary: RoundSummary, statuses: dict[str, str]) -> list[Block]:
    total = summary["total"]
    rows = [(f"{g['number']}. {g['name']}", g["counts"]) for g in summary["goal_areas"]] + [
        (_("Total"), total)
    ]
    description = _(
        "Status of the measures per goal area: %(total)s measures in total, %(done)s done, "
        "%(in_progress)s in progress, %(not_done)s not done and %(not_reported)s not reported."
    ) % {"total": sum(total.values()), **total}
    # The chart's data is the report's one summary table: every format shows it once, beside
    # the chart (HTML and PDF inside the chart's figure, Word under the picture, Excel as the
    # sheet the native chart is drawn from).
    chart_table = charts.status_table(
        rows,
        statuses,
        caption=_("Status per goal area"),
        group_label=_("Goal area"),
        total_label=_("Total"),
        sheet_name=_("Status"),
    )
    return [
        Heading(_("Summary")),
        KeyFigures(
            items=[(statuses[key], total[key]) for key in STATUS_KEYS],
            caption=_("Measures by status"),
        ),
        Chart(
            spec=charts.status_bar_chart(rows, statuses, count_title=_("Number of measures")),
            title=_("Status of the measures"),
            description=description,
            table=chart_table,
        ),
    ]


def _measure_columns() -> list[Column]:
    return [
        Column(_("No."), "text", 5),
        Column(_("Measure"), "text", 30),
        Column(_("Area"), "text", 14),
        Column(_("Responsible"), "text", 12),
        Column(_("Financing and timeframe"), "text", 16),
        Column(_("Status"), "status", 12),
        Column(_("Comment"), "text", 30),
        Column(_("Next plan"), "text", 14),
    ]


def _disposition_text(report: StatusReport | None, dispositions: dict[str, str]) -> str:
    if report is None or not report.disposition:
        return ""
    if report.disposition == "merged" and report.merged_into is not None:
        return _("Merged into another measure (%(number)s)") % {"number": report.merged_into.number}
    return dispositions.get(report.disposition, report.disposition)


def _financing(measure: Measure) -> str:
    parts = [measure.financing.strip()] if measure.financing.strip() else []
    if measure.amount is not None:
        amount = number_format(measure.amount, use_l10n=True, force_grouping=True)
        parts.append(_("%(amount)s kronor") % {"amount": amount})
    return "; ".join(parts)


def _measure_row(
    measure: Measure,
    report: StatusReport | None,
    statuses: dict[str, str],
    dispositions: dict[str, str],
) -> list[Cell]:
    area_names = [a.name for a in measure.areas.all()]
    responsible = measure.responsible_text or join_list(
        [u.short_name or u.name for u in measure.responsible_units.all()]
    )
    code = report.status if report is not None and report.status else "not_reported"
    return [
        measure.number,
        measure.title,
        join_list(sorted(area_names)) if area_names else _("Whole municipality"),
        responsible,
        _financing(measure),
        charts.status_cell(code, statuses),
        report.comment if report is not None else "",
        _disposition_text(report, dispositions),
    ]


def _goal_area_blocks(
    summary: RoundSummary,
    measures: list[Measure],
    reports: dict[int, StatusReport],
    statuses: dict[str, str],
    dispositions: dict[str, str],
) -> list[Block]:
    blocks: list[Block] = []
    for goal_area in summary["goal_areas"]:
        number = goal_area["number"]
        rows = [
            _measure_row(m, reports.get(m.pk), statuses, dispositions)
            for m in measures
            if m.goal_area.number == number
        ]
        blocks += [
            PageBreak(),
            Heading(f"{number}. {goal_area['name']}"),
            Table(
                caption=_("Measures in goal area %(number)s") % {"number": number},
                columns=_measure_columns(),
                rows=rows,
                sheet_name=_("Goal area %(number)s") % {"number": number},
            ),
        ]
    return blocks


def _change_blocks(
    summary: RoundSummary,
    measures: list[Measure],
    reports: dict[int, StatusReport],
    dispositions: dict[str, str],
) -> list[Block]:
    counts = summary["dispositions"]
    blocks: list[Block] = [
        PageBreak(),
        Heading(_("Changes to the next plan")),
        Table(
            caption=_("Next-plan disposition of the measures"),
            columns=[Column(_("Next plan"), "text", 30), Column(_("Number"), "number", 10)],
            rows=[[dispositions[key], counts[key]] for key in DISPOSITION_KEYS],
            sheet_name=_("Next plan"),
        ),
    ]
    for code, heading in (
        ("dropped", _("Measures that are dropped")),
        ("merged", _("Measures merged into other measures")),
    ):
        chosen = [m for m in measures if (r := reports.get(m.pk)) and r.disposition == code]
        blocks.append(Heading(heading, level=2))
        if not chosen:
            blocks.append(Paragraph(_("No measures.")))
            continue
        columns = [Column(_("No."), "text", 5), Column(_("Measure"), "text", 40)]
        rows: list[list[Cell]] = [[m.number, m.title] for m in chosen]
        if code == "merged":
            columns.append(Column(_("Merged into"), "text", 10))
            for row, measure in zip(rows, chosen, strict=True):
                target = reports[measure.pk].merged_into
                row.append(target.number if target is not None else "")
        blocks.append(Table(caption=heading, columns=columns, rows=rows))
    return blocks

"""The goal-fulfilment section of the follow-up report: quantitative targets and qualitative
criteria of the plan's goals, judged in the round.

The figures come from :mod:`kvarter.followup.goal_fulfilment`, the same selector the pages and
the JSON summary use. Called inside the report's ``translation.override``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvarter.core.text import format_decimal
from kvarter.followup.goal_fulfilment import GoalResult, fulfilment_counts, place_name
from kvarter.reports.document import (
    Block,
    Cell,
    Column,
    Heading,
    PageBreak,
    Paragraph,
    StatusCell,
    Table,
)

if TYPE_CHECKING:
    from kvarter.plans.fulfilment import Fulfilment
    from kvarter.plans.models import QuantitativeCriterion


def fulfilment_labels() -> dict[str, str]:
    return {
        "met": _("Met"),
        "on_track": _("On track"),
        "not_met": _("Not met"),
        "no_data": _("No data"),
    }


def assessment_labels() -> dict[str, str]:
    return {
        "met": _("Met"),
        "partly_met": _("Partly met"),
        "not_met": _("Not met"),
        "not_assessed": _("Not assessed"),
    }


def sex_labels() -> dict[str, str]:
    return {"T": _("Everyone"), "K": _("Women"), "M": _("Men")}


def fulfilment_blocks(results: list[GoalResult], *, round_year: int) -> list[Block]:
    """Heading, rule, counts, and one table each for quantitative and qualitative criteria."""
    blocks: list[Block] = [PageBreak(), Heading(_("Goal fulfilment"))]
    if not results:
        return [*blocks, Paragraph(_("The plan has no goals with fulfilment criteria."))]
    fulfilment, assessments = fulfilment_labels(), assessment_labels()
    counts = fulfilment_counts(results)
    blocks += [
        Paragraph(
            _(
                "Quantitative targets are judged on the latest yearly value of the catalogue "
                "indicator up to %(year)s, in the area or the municipality the target is set "
                "for: met when the target is reached; on track when the value is at least "
                "where a straight line from the baseline to the target would be; not met "
                "otherwise. A hidden or missing figure counts as no data, never as 0. Targets "
                "for women and men are judged apart. Qualitative criteria are assessed by the "
                "strategists in the round."
            )
            % {"year": round_year}
        ),
        Table(
            caption=_("Goal fulfilment in figures"),
            columns=[
                Column(_("Criteria"), "text", 26),
                Column(_("Status"), "status", 16),
                Column(_("Number"), "number", 10),
            ],
            rows=_count_rows(counts, fulfilment, assessments),
            sheet_name=_("Goal fulfilment"),
        ),
        _quantitative_table(results, fulfilment),
        _qualitative_table(results, assessments),
    ]
    return blocks


def _count_rows(
    counts: dict[str, dict[str, int]], fulfilment: dict[str, str], assessments: dict[str, str]
) -> list[list[Cell]]:
    quantitative: list[list[Cell]] = [
        [_("Quantitative targets"), _cell(k, fulfilment), n]
        for k, n in counts["quantitative"].items()
    ]
    qualitative: list[list[Cell]] = [
        [_("Qualitative criteria"), _cell(k, assessments), n]
        for k, n in counts["qualitative"].items()
    ]
    return quantitative + qualitative


def _cell(code: str, labels: dict[str, str]) -> Cell:
    # "No data" and "not assessed" look like "not reported": grey, with their own words.
    shown = "not_reported" if code in ("no_data", "not_assessed") else code
    return StatusCell(code=shown, label=labels[code])  # type: ignore[arg-type]


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    if (get_language() or "sv").startswith("sv"):
        return format_decimal(value, 1)
    return f"{value:,.1f}"


def _year_value(year: int | None, value: Decimal | None) -> str:
    if year is None or value is None:
        return "–"
    return f"{_number(value)} ({year})"


def _quantitative_row(
    goal_code: str,
    name: str,
    place: str,
    sex: str,
    criterion: QuantitativeCriterion,
    result: Fulfilment,
    labels: dict,
) -> list[Cell]:
    return [
        goal_code,
        name,
        place,
        sex_labels()[sex],
        _year_value(criterion.baseline_year, result.baseline),
        f"{_number(result.target)} ({criterion.target_year})",
        _year_value(result.latest_year, result.latest),
        _cell(result.status, labels),
    ]


def _quantitative_table(results: list[GoalResult], labels: dict[str, str]) -> Table:
    rows: list[list[Cell]] = []
    for r in results:
        for q in r.quantitative:
            indicator = q.criterion.indicator
            name = f"{indicator.name()} ({indicator.get_unit_display()})"
            place = place_name(q.criterion)
            for sex, result in q.by_sex.items():
                rows.append(
                    _quantitative_row(r.goal.code, name, place, sex, q.criterion, result, labels)
                )
    return Table(
        caption=_("Quantitative targets"),
        columns=[
            Column(_("Goal"), "text", 7),
            Column(_("Indicator"), "text", 28),
            Column(_("Place"), "text", 12),
            Column(_("Group"), "text", 9),
            Column(_("Baseline"), "text", 9),
            Column(_("Target"), "text", 11),
            Column(_("Latest value"), "text", 11),
            Column(_("Status"), "status", 12),
        ],
        rows=rows,
        sheet_name=_("Quantitative targets"),
    )


def _qualitative_table(results: list[GoalResult], labels: dict[str, str]) -> Table:
    rows: list[list[Cell]] = [
        [
            f"{r.goal.code}{q.criterion.letter}",
            q.criterion.text,
            _cell(q.code, labels),
            q.assessment.motivation if q.assessment else "",
        ]
        for r in results
        for q in r.qualitative
    ]
    return Table(
        caption=_("Qualitative criteria"),
        columns=[
            Column(_("Criterion"), "text", 10),
            Column(_("Text"), "text", 40),
            Column(_("Assessment"), "status", 14),
            Column(_("Motivation"), "text", 30),
        ],
        rows=rows,
        sheet_name=_("Qualitative criteria"),
    )

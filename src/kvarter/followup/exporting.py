"""Export an action plan (with one follow-up round) in the interchange format.

Writes the same columns ``plan_import`` reads, so export → import round-trips without loss.
The file carries a round's statuses, so it is followup's (decision 0008); the file format itself
is ``kvarter.plans.parsing``.
"""

from __future__ import annotations

from typing import Literal

from kvarter.core.text import parse_list
from kvarter.followup.models import FollowUpRound, StatusReport
from kvarter.plans.models import Plan
from kvarter.plans.parsing import (
    Disposition,
    MeasureRow,
    Status,
    write_plan_csv,
    write_plan_xlsx,
)

__all__ = ["export_plan", "plan_rows"]


def _latest_round(plan: Plan) -> FollowUpRound | None:
    return plan.rounds.order_by("-year", "-kind", "-pk").first()


def plan_rows(plan: Plan, round: FollowUpRound | None = None) -> tuple[list[MeasureRow], list[str]]:
    """The plan's measures as rows, and their extra columns in alphabetical order.

    Alphabetical, not the imported file's order: PostgreSQL's jsonb does not keep key order, and
    an export must not differ between databases. Import matches columns by name, so the round
    trip holds either way.

    The status, comment and disposition come from ``round``'s reports (default: the plan's
    latest round, if any).
    """
    if round is None:
        round = _latest_round(plan)
    reports: dict[int, StatusReport] = {}
    if round is not None:
        reports = {r.measure_id: r for r in StatusReport.objects.filter(round=round)}
    measures = (
        plan.measures.select_related("goal_area")
        .prefetch_related("areas")
        .order_by("number_major", "number_minor")
    )
    rows: list[MeasureRow] = []
    extra_columns: list[str] = []  # sorted at the end
    for index, measure in enumerate(measures, start=2):
        report = reports.get(measure.pk)
        extra = {str(k): "" if v is None else str(v) for k, v in (measure.extra or {}).items()}
        extra_columns += [name for name in extra if name not in extra_columns]
        extra = dict(sorted(extra.items()))
        rows.append(
            MeasureRow(
                row=index,
                number=measure.number,
                goal_area_number=measure.goal_area.number,
                goal_area=measure.goal_area.name,
                title=measure.title,
                description=measure.description,
                area_names=tuple(sorted((a.name for a in measure.areas.all()), key=str.casefold)),
                responsible=measure.responsible_text,
                responsible_units=tuple(parse_list(measure.responsible_text)),
                financing=measure.financing,
                status=Status(report.status) if report and report.status else None,
                comment=report.comment if report else "",
                disposition=(
                    Disposition(report.disposition) if report and report.disposition else None
                ),
                disposition_year=None,
                extra=extra,
            )
        )
    return rows, sorted(extra_columns)


def export_plan(
    plan: Plan, *, round: FollowUpRound | None = None, fmt: Literal["csv", "xlsx"] = "csv"
) -> bytes:
    """The plan as a .csv (';', UTF-8 with BOM) or .xlsx file's bytes."""
    rows, extra_columns = plan_rows(plan, round)
    if fmt == "csv":
        return write_plan_csv(rows, extra_columns=extra_columns)
    if fmt == "xlsx":
        return write_plan_xlsx(rows, extra_columns=extra_columns)
    raise ValueError(f"Unknown format {fmt!r}; use 'csv' or 'xlsx'")

"""Import an action plan file (CSV or XLSX) into a plan: all or nothing, idempotent.

``parse_plan_file`` checks the file on its own; this module checks it against the database
(areas, units), then writes everything through the services in one transaction, so that every
change is validated and audited. See ``/work/shared/formats/action-plan.md``. The file carries
a round's statuses as well as the plan, so the import is followup's (decision 0008).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area, Municipality
from kvarter.core.importing import ImportRejected, ImportSummary, Problem
from kvarter.followup.services import round_ensure, status_report
from kvarter.plans.models import GoalArea, Measure, Plan
from kvarter.plans.parsing import HEADERS, MeasureRow, parse_plan_file
from kvarter.plans.services import goal_area_ensure, measure_create, measure_update, plan_create

__all__ = ["PlanImportResult", "link_units", "plan_import"]

# Model field -> the column a problem with it is reported against.
_FIELD_COLUMNS = {
    "number": HEADERS["number"],
    "goal_area": HEADERS["goal_area"],
    "title": HEADERS["title"],
    "description": HEADERS["description"],
    "areas": HEADERS["areas"],
    "responsible_text": HEADERS["responsible"],
    "responsible_units": HEADERS["responsible"],
    "financing": HEADERS["financing"],
    "status": HEADERS["status"],
    "comment": HEADERS["comment"],
    "disposition": HEADERS["next_plan"],
    "name": HEADERS["goal_area"],
}
_FIRST_TOKEN = re.compile(r"[^\s(]+")
_PARENTHESIS = re.compile(r"\s*\(.*\)\s*$")


@dataclass
class PlanImportResult:
    plan: Plan | None  # None on a dry run: nothing was kept
    summary: ImportSummary
    round_year: int | None = None
    reports_recorded: int = 0
    unknown_columns: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def link_units(items: Iterable[str], units: Sequence[Organisation]) -> list[Organisation]:
    """The organisations named by the list items: by abbreviation or full name, either the
    whole item, the item without a trailing parenthesis, or its first word
    ('KLF (säkerhetsenheten)' → KLF). Unknown names link nothing."""
    by_name: dict[str, Organisation] = {}
    for unit in units:
        by_name.setdefault(_key(unit.name), unit)
    for unit in units:
        if unit.short_name:
            by_name.setdefault(_key(unit.short_name), unit)
    found: dict[int, Organisation] = {}
    for item in items:
        candidates = [item, _PARENTHESIS.sub("", item)]
        first = _FIRST_TOKEN.match(item.strip())
        if first:
            candidates.append(first[0].rstrip(",.;:"))
        for candidate in candidates:
            match = by_name.get(_key(candidate))
            if match is not None:
                found.setdefault(match.pk, match)
                break
    return [found[pk] for pk in sorted(found)]


def _validation_problems(row: int | None, error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(row, _FIELD_COLUMNS.get(name, name if name != "__all__" else ""), "invalid", m)
            for name, messages in error.message_dict.items()
            for m in messages
        ]
    return [Problem(row, "", "invalid", m) for m in error.messages]


def plan_import(
    *,
    actor: Any,
    municipality: Municipality,
    plan_name: str,
    year: int,
    raw: bytes,
    filename: str,
    dry_run: bool = False,
) -> PlanImportResult:
    """Create or update the plan ``plan_name`` of ``municipality`` from an action plan file.

    Measures are matched by ``Nr``; goal areas by number. When any row has a status, comment
    or disposition, the plan's yearly round for ``year`` is opened if needed and those rows'
    reports recorded. Raises :class:`ImportRejected` with every problem found and changes
    nothing; ``dry_run`` does all the work and then rolls it back (the preview).
    """
    parsed = parse_plan_file(raw, filename)
    rows = parsed.rows

    # --- Check against the database before writing anything -------------------------------
    problems: list[Problem] = []
    areas = {_key(a.name): a for a in Area.objects.filter(municipality=municipality)}
    units = list(Organisation.objects.filter(municipality=municipality))
    row_areas: dict[int, list[Area]] = {}
    for row in rows:
        found: list[Area] = []
        for name in row.area_names:
            area = areas.get(_key(name))
            if area is None:
                problems.append(
                    Problem(
                        row.row,
                        HEADERS["areas"],
                        "unknown_area",
                        _("Unknown area '%(name)s'"),
                        params={"name": name},
                    )
                )
            elif area not in found:
                found.append(area)
        row_areas[row.row] = found
    if problems:
        raise ImportRejected(problems)

    reporting = any(r.status or r.comment or r.disposition for r in rows)
    summary = ImportSummary()
    result = PlanImportResult(
        plan=None,
        summary=summary,
        round_year=year if reporting else None,
        unknown_columns=list(parsed.unknown_columns),
    )

    # --- Write, all or nothing ----------------------------------------------------------
    with transaction.atomic():
        plan = Plan.objects.filter(municipality=municipality, name__iexact=plan_name).first()
        if plan is None:
            try:
                plan = plan_create(
                    actor=actor,
                    municipality=municipality,
                    name=plan_name,
                    start_year=year,
                    end_year=year,
                )
            except ValidationError as error:
                raise ImportRejected(_validation_problems(None, error)) from error

        goal_areas = _ensure_goal_areas(actor, plan, rows, problems)
        measures = _write_measures(
            actor, plan, rows, goal_areas, row_areas, units, summary, problems
        )
        if reporting and not problems:
            result.reports_recorded = _write_reports(
                actor, plan, year, rows, measures, problems
            )
        if problems:
            raise ImportRejected(problems)
        if dry_run:
            transaction.set_rollback(True)
        else:
            result.plan = plan
    return result


def _ensure_goal_areas(
    actor: Any, plan: Plan, rows: list[MeasureRow], problems: list[Problem]
) -> dict[int, GoalArea]:
    goal_areas: dict[int, GoalArea] = {}
    failed: set[int] = set()
    for row in rows:
        number = row.goal_area_number
        if number in goal_areas or number in failed:
            continue
        try:
            goal_areas[number] = goal_area_ensure(
                actor=actor, plan=plan, number=number, name=row.goal_area
            )
        except ValidationError as error:
            failed.add(number)
            problems.extend(_validation_problems(row.row, error))
        except IntegrityError:
            failed.add(number)
            problems.append(
                Problem(
                    row.row,
                    HEADERS["goal_area"],
                    "goal_area_conflict",
                    _("The goal area '%(name)s' already exists in the plan with another number"),
                    params={"name": row.goal_area},
                )
            )
    return goal_areas


def _write_measures(
    actor: Any,
    plan: Plan,
    rows: list[MeasureRow],
    goal_areas: dict[int, GoalArea],
    row_areas: dict[int, list[Area]],
    units: list[Organisation],
    summary: ImportSummary,
    problems: list[Problem],
) -> dict[int, Measure]:
    existing = {m.number: m for m in plan.measures.select_related("plan", "goal_area")}
    measures: dict[int, Measure] = {}
    for row in rows:
        goal_area = goal_areas.get(row.goal_area_number)
        if goal_area is None:
            continue  # its goal area's problem is reported already
        data: dict[str, Any] = {
            "number": row.number,
            "goal_area": goal_area,
            "title": row.title,
            "description": row.description,
            "areas": row_areas[row.row],
            "responsible_text": row.responsible,
            "responsible_units": link_units(row.responsible_units, units),
            "financing": row.financing,
            "extra": dict(row.extra),
        }
        measure = existing.get(row.number)
        try:
            if measure is None:
                measures[row.row] = measure_create(actor=actor, plan=plan, data=data)
                summary.created.append(row.number)
            else:
                measures[row.row], changed = measure_update(
                    actor=actor, measure=measure, data=data
                )
                (summary.updated if changed else summary.unchanged).append(row.number)
        except ValidationError as error:
            problems.extend(_validation_problems(row.row, error))
    return measures


def _write_reports(
    actor: Any,
    plan: Plan,
    year: int,
    rows: list[MeasureRow],
    measures: dict[int, Measure],
    problems: list[Problem],
) -> int:
    try:
        round = round_ensure(actor=actor, plan=plan, year=year)
    except ValidationError as error:
        problems.extend(_validation_problems(None, error))
        return 0
    recorded = 0
    for row in rows:
        if not (row.status or row.comment or row.disposition):
            continue
        data = {
            "status": str(row.status) if row.status else "",
            "comment": row.comment,
            "disposition": str(row.disposition) if row.disposition else "",
        }
        try:
            _, changed = status_report(
                actor=actor, round=round, measure=measures[row.row], data=data
            )
        except ValidationError as error:
            problems.extend(_validation_problems(row.row, error))
            continue
        recorded += changed
    return recorded

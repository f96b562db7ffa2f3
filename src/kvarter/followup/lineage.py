"""A measure's lineage across plans, and where a rolled-over plan came from.

A measure's predecessor is the previous plan's measure it continues; a measure may have several
successors (split into two), so the lineage is a tree. Measures merged into a link of the tree
(``StatusReport.merged_into``) are shown beside that link.

:func:`measure_lineage` reads a lineage in a fixed number of queries however long it is: the
chain is walked in SQL with a recursive common table expression (SQLite and PostgreSQL both
have them), then nodes, rounds, reports and merges are each read once for the whole tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.followup.models import Disposition, FollowUpRound, RoundKind, Status, StatusReport
from kvarter.followup.rollover import rollover_outline
from kvarter.followup.rollover_planning import Outline, Step
from kvarter.plans.models import Measure, Plan
from kvarter.plans.selectors import access_measure_by_id, in_areas

# Guards the recursive walk against a predecessor cycle in bad data; 50 plans is 50 years.
MAX_DEPTH = 50


@dataclass
class RoundEntry:
    """The node's report in one round of its plan (status and disposition '' when none)."""

    round_id: int
    year: int
    kind: str
    state: str
    status: str = ""
    disposition: str = ""
    merged_into_number: str = ""

    @property
    def label(self) -> str:
        if self.kind == RoundKind.YEARLY:
            return str(self.year)
        return f"{RoundKind(self.kind).label} {self.year}"

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else _("not reported")

    @property
    def disposition_label(self) -> str:
        return str(Disposition(self.disposition).label) if self.disposition else ""


@dataclass
class MergedIn:
    """A measure of the same plan that a round merged into the node."""

    measure_id: int
    number: str
    title: str
    round_year: int
    visible: bool = True


@dataclass
class LineageNode:
    measure_id: int
    plan_id: int
    plan_name: str
    start_year: int
    end_year: int
    number: str
    title: str
    visible: bool = True
    is_subject: bool = False
    is_ancestor: bool = False
    rounds: list[RoundEntry] = field(default_factory=list)
    merged_in: list[MergedIn] = field(default_factory=list)
    successors: list[LineageNode] = field(default_factory=list)

    @property
    def period(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def walk(self) -> list[LineageNode]:
        """This node and every node below it, depth first."""
        nodes = [self]
        for child in self.successors:
            nodes.extend(child.walk())
        return nodes


@dataclass
class Lineage:
    subject: LineageNode
    root: LineageNode
    ancestors: list[LineageNode]  # oldest first, the subject's predecessors

    @property
    def nodes(self) -> list[LineageNode]:
        return self.root.walk()


def _walk(sql_step: str, start_id: int) -> list[int]:
    """Ids reached from ``start_id`` by the recursive ``sql_step``, nearest first."""
    table = connection.ops.quote_name(Measure._meta.db_table)
    sql = (
        f"WITH RECURSIVE chain(id, predecessor_id, depth) AS ("  # noqa: S608 - names, not input
        f" SELECT id, predecessor_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL"
        f" SELECT m.id, m.predecessor_id, chain.depth + 1 FROM {table} m"
        f" JOIN chain ON {sql_step} WHERE chain.depth < %s"
        f") SELECT id FROM chain ORDER BY depth, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start_id, MAX_DEPTH])
        seen: dict[int, None] = {}
        for (pk,) in cursor.fetchall():
            seen.setdefault(pk, None)
    return list(seen)


def measure_lineage(user: Any, measure: Measure) -> Lineage:
    """``measure``'s lineage: its ancestors, and the whole tree of their descendants.

    Nodes ``user`` may not read (another area than theirs) stay in the tree, so the chain is
    not broken, but show neither number nor title. Raises :class:`NotFoundOrForbidden` when the
    user may not read ``measure`` itself.
    """
    access_measure_by_id(user, measure.pk)
    up = _walk("m.id = chain.predecessor_id", measure.pk)  # subject, parent, … root
    root_id = up[-1]
    tree_ids = _walk("m.predecessor_id = chain.id", root_id)
    ids = list(dict.fromkeys([*up, *tree_ids]))

    rows = {
        row["id"]: row
        for row in Measure.objects.filter(pk__in=ids).values(
            "id",
            "predecessor_id",
            "number",
            "number_major",
            "number_minor",
            "title",
            "plan_id",
            "plan__name",
            "plan__start_year",
            "plan__end_year",
            "plan__municipality_id",
        )
    }
    merges = list(
        StatusReport.objects.filter(merged_into_id__in=ids, disposition=Disposition.MERGED)
        .order_by("round__year", "measure__number_major", "measure__number_minor")
        .values("merged_into_id", "measure_id", "measure__number", "measure__title", "round__year")
    )
    visible = _visible_ids(user, rows, [m["measure_id"] for m in merges])
    rounds = _rounds_of({row["plan_id"] for row in rows.values()}, ids)

    nodes: dict[int, LineageNode] = {}
    for pk, row in rows.items():
        shown = pk in visible
        nodes[pk] = LineageNode(
            measure_id=pk,
            plan_id=row["plan_id"],
            plan_name=row["plan__name"],
            start_year=row["plan__start_year"],
            end_year=row["plan__end_year"],
            number=row["number"] if shown else "",
            title=row["title"] if shown else "",
            visible=shown,
            is_subject=pk == measure.pk,
            is_ancestor=pk in up[1:],
            rounds=rounds(row["plan_id"], pk) if shown else [],
        )
    listed: set[tuple[int, int]] = set()
    for merge in merges:  # a merge repeated in later rounds is listed once, at its first round
        node = nodes[merge["merged_into_id"]]
        key = (node.measure_id, merge["measure_id"])
        if key in listed:
            continue
        listed.add(key)
        if node.visible and merge["measure_id"] in visible:
            node.merged_in.append(
                MergedIn(
                    measure_id=merge["measure_id"],
                    number=merge["measure__number"],
                    title=merge["measure__title"],
                    round_year=merge["round__year"],
                )
            )
    def order(pk: int) -> tuple[int, int, int]:
        row = rows[pk]
        return row["plan__start_year"], row["number_major"], row["number_minor"]

    for pk in sorted(rows, key=order):
        parent = rows[pk]["predecessor_id"]
        if parent in nodes and pk != root_id:
            nodes[parent].successors.append(nodes[pk])
    return Lineage(
        subject=nodes[measure.pk],
        root=nodes[root_id],
        ancestors=[nodes[pk] for pk in reversed(up[1:])],
    )


def _visible_ids(user: Any, rows: Mapping[int, Any], merged_ids: list[int]) -> set[int]:
    """Which of the tree's measures (and the merged ones) ``user`` may read: one query."""
    resolver = resolver_for(user)
    municipality_id = next(iter(rows.values()))["plan__municipality_id"]
    candidates = [*rows, *merged_ids]
    queryset = Measure.objects.filter(
        pk__in=candidates, plan__municipality_id=municipality_id
    )
    if not resolver.can_view_plans_of(municipality_id):
        return set()
    allowed = resolver.measure_area_ids(municipality_id)
    if allowed is not None:
        queryset = queryset.filter(in_areas(allowed))
    return set(queryset.values_list("pk", flat=True))


def _rounds_of(plan_ids: set[int], measure_ids: list[int]) -> Any:
    """A function (plan id, measure id) → the measure's entry in each round of its plan."""
    rounds_by_plan: dict[int, list[FollowUpRound]] = defaultdict(list)
    for round_ in FollowUpRound.objects.filter(plan_id__in=plan_ids).order_by("year", "kind"):
        rounds_by_plan[round_.plan_id].append(round_)
    reports = {
        (r["round_id"], r["measure_id"]): r
        for r in StatusReport.objects.filter(measure_id__in=measure_ids).values(
            "round_id", "measure_id", "status", "disposition", "merged_into__number"
        )
    }

    def entries(plan_id: int, measure_id: int) -> list[RoundEntry]:
        result = []
        for round_ in rounds_by_plan.get(plan_id, []):
            report: Mapping[str, Any] = reports.get((round_.pk, measure_id), {})
            result.append(
                RoundEntry(
                    round_id=round_.pk,
                    year=round_.year,
                    kind=round_.kind,
                    state=round_.state,
                    status=report.get("status") or "",
                    disposition=report.get("disposition") or "",
                    merged_into_number=report.get("merged_into__number") or "",
                )
            )
        return result

    return entries


# --- where a rolled-over plan came from ------------------------------------------------------


@dataclass
class MergeNote:
    """'2.3 was merged into 2.1' — and the number the measure it ended in has now."""

    step: Step
    now_number: str | None


@dataclass
class PlanOrigin:
    predecessor: Plan
    round: FollowUpRound | None  # the round the plan was rolled over from
    merges: list[MergeNote]
    dropped: list[Step]


def plan_origin(plan: Plan) -> PlanOrigin | None:
    """For a plan rolled over from another: the round it came from, its merges and drops.

    The round is the predecessor's last round closed before ``plan`` was created (a roll-over
    needs a closed round, and a plan is rolled over once). None for a plan without predecessor.
    """
    if plan.predecessor_id is None:
        return None
    predecessor = Plan.objects.get(pk=plan.predecessor_id)
    round_ = (
        FollowUpRound.objects.filter(
            plan=predecessor, closed_at__isnull=False, closed_at__lte=plan.created_at
        )
        .order_by("-closed_at", "-pk")
        .first()
    )
    if round_ is None:
        return PlanOrigin(predecessor=predecessor, round=None, merges=[], dropped=[])
    carried = dict(
        Measure.objects.filter(plan=plan, predecessor__plan=predecessor).values_list(
            "predecessor_id", "number"
        )
    )
    outline: Outline = rollover_outline(round_)
    # Undecided measures were carried only when the roll-over was asked to: find out which.
    if any(s.measure_id in carried for s in outline.undecided):
        outline = rollover_outline(round_, carry_undecided=True)
    merges = [
        MergeNote(step=s, now_number=carried.get(s.ends_in_id) if s.ends_in_id else None)
        for s in outline.merged
    ]
    return PlanOrigin(
        predecessor=predecessor, round=round_, merges=merges, dropped=outline.dropped
    )

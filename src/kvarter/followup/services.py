"""The verbs of a follow-up round: open it, report on a measure, remind, close it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.services import model_create, model_update
from kvarter.followup.models import (
    CriterionAssessment,
    FollowUpRound,
    RoundKind,
    RoundState,
    StatusReport,
)
from kvarter.plans.models import Measure, Plan, QualitativeCriterion

STATUS_REPORT_FIELDS = ("status", "comment", "disposition", "merged_into")


def _closed_error() -> ValidationError:
    return ValidationError(
        "Uppföljningen är stängd och kan inte ändras. / The follow-up round is closed and "
        "cannot be changed.",
        code="round_closed",
    )


def round_open(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    kind: str = RoundKind.YEARLY,
    deadline: dt.date | None = None,
) -> FollowUpRound:
    if not resolver_for(actor).can_manage_rounds_of(plan.municipality_id):
        raise PermissionDenied()
    return model_create(
        model=FollowUpRound,
        data={"plan": plan, "year": year, "kind": kind, "deadline": deadline},
        actor=actor,
    )


def round_ensure(*, actor: Any, plan: Plan, year: int) -> FollowUpRound:
    """The plan's yearly round for ``year``, opened if there is none (the import's path)."""
    existing = plan.rounds.filter(year=year, kind=RoundKind.YEARLY).first()
    if existing is not None:
        return existing
    return round_open(actor=actor, plan=plan, year=year)


def round_close(
    *, actor: Any, round: FollowUpRound, expected_version: int | None = None
) -> FollowUpRound:
    """Close the round: from now on it is read-only."""
    if not resolver_for(actor).can_manage_rounds_of(round.plan.municipality_id):
        raise PermissionDenied()
    if round.is_closed:
        raise _closed_error()
    closed, _ = model_update(
        instance=round,
        fields=["state", "closed_at"],
        data={"state": RoundState.CLOSED, "closed_at": timezone.now()},
        actor=actor,
        expected_version=expected_version,
    )
    return closed


@transaction.atomic
def status_report(
    *,
    actor: Any,
    round: FollowUpRound,
    measure: Measure,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[StatusReport, bool]:
    """Record (or change) a measure's status, comment and disposition in an open round.

    ``expected_version`` is the version of the status report the person read (0 when there was
    none yet); a report saved by someone else since is refused with :class:`StaleVersion`.
    """
    unit_ids = [u.pk for u in measure.responsible_units.all()]
    if not resolver_for(actor).can_report_on(measure, unit_ids):
        raise PermissionDenied()
    # Lock the round row so a concurrent close cannot slip in between the check and the write.
    locked = FollowUpRound.objects.select_for_update().get(pk=round.pk)
    if locked.is_closed:
        raise _closed_error()
    if measure.plan_id != locked.plan_id:
        raise ValidationError(
            {
                "measure": ValidationError(
                    "Åtgärden hör till en annan plan. / The measure belongs to another plan.",
                    code="other_plan",
                )
            }
        )
    values = {k: v for k, v in data.items() if k in STATUS_REPORT_FIELDS}
    existing = StatusReport.objects.filter(round=locked, measure=measure).first()
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        if expected_version not in (None, existing.version):
            raise StaleVersion()
        return existing, False  # the same report again (a re-import): nothing to record
    values.update(reported_by=_person(actor), reported_at=timezone.now())
    if existing is None:
        if expected_version not in (None, 0):
            raise StaleVersion()
        created = model_create(
            model=StatusReport,
            data={"round": locked, "measure": measure, **values},
            actor=actor,
        )
        return created, True
    if expected_version == 0:
        raise StaleVersion()
    return model_update(
        instance=existing,
        fields=(*STATUS_REPORT_FIELDS, "reported_by", "reported_at"),
        data=values,
        actor=actor,
        expected_version=expected_version,
    )


@transaction.atomic
def criterion_assess(
    *,
    actor: Any,
    round: FollowUpRound,
    criterion: QualitativeCriterion,
    assessment: str,
    motivation: str = "",
    expected_version: int | None = None,
) -> tuple[CriterionAssessment, bool]:
    """Assess a qualitative criterion in an open round: met, partly met or not met, and why.

    Strategists and administrators assess (``manage_rounds``). ``expected_version`` works as for
    :func:`status_report`: 0 when the person saw no assessment yet.
    """
    if not resolver_for(actor).can_manage_rounds_of(round.plan.municipality_id):
        raise PermissionDenied()
    locked = FollowUpRound.objects.select_for_update().get(pk=round.pk)
    if locked.is_closed:
        raise _closed_error()
    values: dict[str, Any] = {"assessment": assessment, "motivation": motivation}
    existing = CriterionAssessment.objects.filter(round=locked, criterion=criterion).first()
    if existing is None:
        if expected_version not in (None, 0):
            raise StaleVersion()
        data = {"round": locked, "criterion": criterion, **values}
        data |= {"assessed_by": _person(actor), "assessed_at": timezone.now()}
        return model_create(model=CriterionAssessment, data=data, actor=actor), True
    if expected_version == 0:
        raise StaleVersion()
    if all(getattr(existing, k) == v for k, v in values.items()):
        if expected_version not in (None, existing.version):
            raise StaleVersion()
        return existing, False
    values |= {"assessed_by": _person(actor), "assessed_at": timezone.now()}
    return model_update(
        instance=existing,
        fields=("assessment", "motivation", "assessed_by", "assessed_at"),
        data=values,
        actor=actor,
        expected_version=expected_version,
    )


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None

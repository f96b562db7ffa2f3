"""Reminders by e-mail before a follow-up round's deadline.

Who: for every responsible unit that still has unreported measures in an open round, the
unit's active people who may report status (the unit reporter role) in the round's
municipality and have an e-mail address. Each gets one e-mail (Swedish first, English below)
listing the unit's unreported measures, the deadline and a link to the round page.

When: ``kvarter send-reminders`` runs daily and calls :func:`reminders_send_due`, which reminds
on the days before the deadline listed in ``settings.KVARTER_REMINDER_DAYS`` (default 7, 1 and
0, the deadline day itself). A strategist can also remind at once from the round page
(:func:`round_reminders_send`), whatever the day.

Once: every reminder is recorded as a :class:`~kvarter.followup.models.Reminder` (round, unit,
day; unique) in the same transaction that queues its e-mails, so a unit is reminded of a round
at most once a day, however often the command or the button is used.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from kvarter.accounts.models import Organisation, User
from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.accounts.selectors import users_with
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create
from kvarter.followup.models import FollowUpRound, Reminder, RoundKind, RoundState, Status
from kvarter.followup.selectors import visible_measures, with_round_status
from kvarter.followup.services import _closed_error
from kvarter.plans.models import Measure

logger = logging.getLogger(__name__)

EMAIL_TEMPLATE = "followup/email/reminder.txt"
LANGUAGES = ("sv", "en")  # the e-mail's parts, in order


class Outcome(StrEnum):
    SENT = "sent"
    WOULD_SEND = "would_send"  # a dry run: nothing sent, nothing recorded
    ALREADY_SENT = "already_sent"  # the unit was reminded of this round earlier the same day
    NO_RECIPIENTS = "no_recipients"  # no active unit reporter with an e-mail address


@dataclass(frozen=True)
class ReminderResult:
    """What happened to one unit's reminder for one round."""

    round: FollowUpRound
    unit: Organisation
    measures: tuple[tuple[str, str], ...]  # the unit's unreported measures: (number, title)
    recipients: tuple[str, ...]  # e-mail addresses
    outcome: Outcome

    @property
    def unit_label(self) -> str:
        return self.unit.short_name or self.unit.name


def reminder_days() -> tuple[int, ...]:
    """Days before the deadline on which reminders go out (0: the deadline day)."""
    return tuple(settings.KVARTER_REMINDER_DAYS)


def rounds_due(*, actor: Any, today: dt.date) -> QuerySet[FollowUpRound]:
    """Open rounds whose deadline is one of the reminder days away from ``today``."""
    deadlines = [today + dt.timedelta(days=days) for days in reminder_days()]
    rounds = FollowUpRound.objects.filter(state=RoundState.OPEN, deadline__in=deadlines)
    municipality_ids = resolver_for(actor).municipality_ids_with(Capability.MANAGE_ROUNDS)
    if municipality_ids is not None:
        rounds = rounds.filter(plan__municipality_id__in=municipality_ids)
    return rounds.select_related("plan__municipality").order_by("deadline", "pk")


def reminders_send_due(
    *, actor: Any, today: dt.date, dry_run: bool = False
) -> list[ReminderResult]:
    """Remind every unit of every round that is due today (see :func:`rounds_due`)."""
    results: list[ReminderResult] = []
    for round in rounds_due(actor=actor, today=today):
        results += round_reminders_send(
            actor=actor, round=round, today=today, dry_run=dry_run
        )
    return results


def round_reminders_send(
    *, actor: Any, round: FollowUpRound, today: dt.date, dry_run: bool = False
) -> list[ReminderResult]:
    """Remind every unit with unreported measures in ``round`` now, at most once a day each.

    Units come in name order. With ``dry_run`` nothing is sent or recorded; the results say
    what would have been. A unit without anyone to reach is in the results, not an error.
    """
    if not resolver_for(actor).can_manage_rounds_of(round.plan.municipality_id):
        raise PermissionDenied()
    if round.is_closed:
        raise _closed_error()
    pending = _unreported_by_unit(actor, round)
    people = _reporters_by_unit(round, [unit.pk for unit, _ in pending])
    reminded_today = set(
        Reminder.objects.filter(round=round, sent_on=today).values_list(
            "organisation_id", flat=True
        )
    )
    results: list[ReminderResult] = []
    for unit, measures in pending:
        recipients = people.get(unit.pk, [])
        if unit.pk in reminded_today:
            outcome = Outcome.ALREADY_SENT
        elif not recipients:
            outcome = Outcome.NO_RECIPIENTS
        elif dry_run:
            outcome = Outcome.WOULD_SEND
        else:
            outcome = _remind(
                actor=actor,
                round=round,
                unit=unit,
                measures=measures,
                recipients=recipients,
                today=today,
            )
        results.append(
            ReminderResult(
                round=round,
                unit=unit,
                measures=tuple((m.number, m.title) for m in measures),
                recipients=tuple(r.email for r in recipients),
                outcome=outcome,
            )
        )
    return results


def last_reminders(round: FollowUpRound) -> list[Reminder]:
    """Each unit's latest reminder for ``round``, units in name order."""
    latest: dict[int, Reminder] = {}
    for reminder in round.reminders.select_related("organisation").order_by("-sent_on", "-pk"):
        latest.setdefault(reminder.organisation_id, reminder)
    return sorted(latest.values(), key=lambda r: (r.organisation.name.casefold(), r.pk))


def _unreported_by_unit(
    actor: Any, round: FollowUpRound
) -> list[tuple[Organisation, list[Measure]]]:
    """Units with measures not yet reported in ``round``, each with those measures in order."""
    reported = [str(s.value) for s in Status]
    measures = (
        with_round_status(round, visible_measures(actor, round.plan))
        .exclude(Q(round_status__in=reported))
        .prefetch_related("responsible_units")
    )
    by_unit: dict[int, tuple[Organisation, list[Measure]]] = {}
    for measure in measures:
        for unit in measure.responsible_units.all():
            by_unit.setdefault(unit.pk, (unit, []))[1].append(measure)
    return sorted(by_unit.values(), key=lambda pair: (pair[0].name.casefold(), pair[0].pk))


def _reporters_by_unit(round: FollowUpRound, unit_ids: Sequence[int]) -> dict[int, list[User]]:
    """Per unit: its active unit reporters in the round's municipality who have an address."""
    users = (
        users_with(Capability.REPORT_STATUS, municipality_id=round.plan.municipality_id)
        .filter(organisation_id__in=unit_ids, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    by_unit: dict[int, list[User]] = {}
    for user in users:
        assert user.organisation_id is not None
        by_unit.setdefault(user.organisation_id, []).append(user)
    return by_unit


def _remind(
    *,
    actor: Any,
    round: FollowUpRound,
    unit: Organisation,
    measures: list[Measure],
    recipients: list[User],
    today: dt.date,
) -> Outcome:
    """Record the reminder and queue its e-mails in one transaction; they go out on commit."""
    try:
        with transaction.atomic():
            model_create(
                model=Reminder,
                data={
                    "round": round,
                    "organisation": unit,
                    "sent_on": today,
                    "recipients_count": len(recipients),
                    "measure_count": len(measures),
                },
                actor=actor,
            )
            emails = [
                _email(round=round, unit=unit, measures=measures, person=p, today=today)
                for p in recipients
            ]
            transaction.on_commit(partial(_deliver, emails, f"{round} · {unit}"))
    except (ValidationError, IntegrityError):
        # Someone reminded the unit between our look and our write: that reminder counts.
        if Reminder.objects.filter(round=round, organisation=unit, sent_on=today).exists():
            return Outcome.ALREADY_SENT
        raise
    return Outcome.SENT


def _deliver(emails: list[EmailMessage], what: str) -> None:
    """Send after commit. A mail server that fails is logged and does not stop the others;
    the reminder stays recorded, so that unit is not retried until the next reminder day."""
    try:
        sent = get_connection().send_messages(emails)
    except Exception:
        logger.exception("Follow-up reminder for %s could not be e-mailed", what)
        return
    logger.info("Follow-up reminder for %s: %s of %s e-mails sent", what, sent, len(emails))


def round_url(round: FollowUpRound) -> str:
    """The round page with the reader's own unit's measures, as an absolute address."""
    path = reverse("followup:round", args=[round.pk])
    return f"{settings.KVARTER_BASE_URL}{path}?mine=1"


def _email(
    *,
    round: FollowUpRound,
    unit: Organisation,
    measures: list[Measure],
    person: User,
    today: dt.date,
) -> EmailMessage:
    context = {
        "name": person.get_full_name() or person.get_username(),
        "unit": unit.name,
        "plan": round.plan.name,
        "deadline": round.deadline,
        "days_left": (round.deadline - today).days if round.deadline else None,
        "measures": [(m.number, m.title) for m in measures],
        "link": round_url(round),
    }
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            context["year"] = _round_label(round)
            subjects.append(_subject(round, unit))
            bodies.append(render_to_string(EMAIL_TEMPLATE, context).strip())
    return EmailMessage(
        subject=" / ".join(subjects),
        body="\n\n----------------------------------------\n\n".join(bodies) + "\n",
        to=[person.email],
    )


def _round_label(round: FollowUpRound) -> str:
    """'2026' for a yearly round, 'interim report 1 (DR1) 2026' for the others."""
    if round.kind == RoundKind.YEARLY:
        return str(round.year)
    return f"{round.get_kind_display()} {round.year}"


def _subject(round: FollowUpRound, unit: Organisation) -> str:
    return gettext("Reminder: follow-up of %(plan)s %(year)s for %(unit)s") % {
        "plan": round.plan.name,
        "year": _round_label(round),
        "unit": unit.short_name or unit.name,
    }


def feedback(results: Sequence[ReminderResult]) -> list[tuple[str, str]]:
    """Messages for the person who pressed 'send reminder now': (level, text) pairs."""
    sent = [r for r in results if r.outcome == Outcome.SENT]
    earlier = [r for r in results if r.outcome == Outcome.ALREADY_SENT]
    unreachable = [r for r in results if r.outcome == Outcome.NO_RECIPIENTS]
    lines: list[tuple[str, str]] = []
    if not results:
        lines.append(("info", gettext("Every unit has reported; no reminders were needed.")))
    if sent:
        people = sum(len(r.recipients) for r in sent)
        units = ngettext(
            "Reminder sent to %(count)d unit", "Reminders sent to %(count)d units", len(sent)
        ) % {"count": len(sent)}
        lines.append(
            (
                "success",
                ngettext("%(units)s (%(people)d person).", "%(units)s (%(people)d people).", people)
                % {"units": units, "people": people},
            )
        )
    if earlier:
        lines.append(
            (
                "info",
                gettext("Already reminded today: %(units)s.")
                % {"units": ", ".join(r.unit_label for r in earlier)},
            )
        )
    if unreachable:
        lines.append(
            (
                "warning",
                gettext(
                    "No unit reporter with an e-mail address to remind at: %(units)s. "
                    "Add an address or a unit reporter for them."
                )
                % {"units": ", ".join(r.unit_label for r in unreachable)},
            )
        )
    return lines

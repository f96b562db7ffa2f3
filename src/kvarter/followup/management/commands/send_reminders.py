"""``kvarter send-reminders [--today YYYY-MM-DD] [--dry-run]``: run daily (cron, systemd timer).

E-mails the unit reporters of every unit with unreported measures in each open round whose
deadline is one of ``KVARTER_REMINDER_DAYS`` days away. A unit is reminded of a round at most
once a day, so running the command again the same day sends nothing. The CLI is a trusted
door and acts as :data:`kvarter.core.actors.SYSTEM`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kvarter.core.actors import SYSTEM
from kvarter.followup.reminders import Outcome, ReminderResult, reminder_days, reminders_send_due

LABELS = {
    Outcome.SENT: "skickad / sent",
    Outcome.WOULD_SEND: "skulle skickas / would be sent",
    Outcome.ALREADY_SENT: "redan påmind i dag / already reminded today",
    Outcome.NO_RECIPIENTS: "ingen rapportör med e-postadress / no reporter with an e-mail address",
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--today: {value!r} är inget datum ÅÅÅÅ-MM-DD / is not a date YYYY-MM-DD"
        ) from error


class Command(BaseCommand):
    help = (
        "E-mail reminders to the units that have not reported in open follow-up rounds whose "
        "deadline is KVARTER_REMINDER_DAYS days away. Meant to run once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="act as if today were this date (YYYY-MM-DD); default: today"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be sent; send and save nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given = options.get("today")
        today = timezone.localdate() if given is None else _date(given)
        dry_run: bool = options["dry_run"]
        results = reminders_send_due(actor=SYSTEM, today=today, dry_run=dry_run)
        days = ", ".join(str(d) for d in reminder_days()) or "–"
        prefix = "Provkörning, inget skickat / Dry run, nothing sent. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{today:%Y-%m-%d}, påminnelsedagar / reminder days before deadline: {days}"
        )
        for result in results:
            self._write(result)
        sent = [r for r in results if r.outcome in (Outcome.SENT, Outcome.WOULD_SEND)]
        people = sum(len(r.recipients) for r in sent)
        rounds = len({r.round.pk for r in results})
        verb = "skulle påminnas / would be reminded" if dry_run else "påminda / reminded"
        self.stdout.write(
            self.style.SUCCESS(
                f"Enheter {verb}: {len(sent)}; mottagare / recipients: {people}; "
                f"uppföljningar / rounds: {rounds}."
            )
        )

    def _write(self, result: ReminderResult) -> None:
        round = result.round
        deadline = f"{round.deadline:%Y-%m-%d}" if round.deadline else "–"
        line = (
            f"{round} (deadline {deadline}) · {result.unit_label}: "
            f"{len(result.recipients)} mottagare / recipients, "
            f"{len(result.measures)} åtgärder / measures "
            f"({', '.join(number for number, _ in result.measures)}) – {LABELS[result.outcome]}"
        )
        if result.outcome == Outcome.NO_RECIPIENTS:
            self.stderr.write(self.style.WARNING(line))
        else:
            self.stdout.write(line)

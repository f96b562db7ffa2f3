"""``kvarter purge-incidents [--municipality CODE] [--dry-run]``: run daily (cron, systemd timer).

Deletes raw EST reports older than each municipality's retention period (``EstSettings``,
default 24 months) after adding their events to the monthly counts, and writes one audit entry
per municipality with the counts. ``--dry-run`` only prints what would go. The CLI is a trusted
door and acts as :data:`kvarter.core.actors.SYSTEM`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.safety.retention.services import incidents_purge


class Command(BaseCommand):
    help = (
        "Delete raw incident reports older than the retention period, keeping monthly counts. "
        "Meant to run once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="only this municipality (four-digit code)")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be deleted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = None
        if options.get("municipality"):
            municipalities = list(Municipality.objects.filter(code=options["municipality"]))
            if not municipalities:
                raise CommandError(
                    f"Kommunen finns inte / No such municipality: {options['municipality']}"
                )
        results = incidents_purge(
            actor=SYSTEM, municipalities=municipalities, dry_run=options["dry_run"]
        )
        verb = "skulle raderas / would be deleted" if options["dry_run"] else "raderade / deleted"
        for r in results:
            self.stdout.write(
                f"{r.municipality_code}: {r.reports} rapporter / reports, {r.events} händelser "
                f"/ events {verb} (äldre än / older than {r.cutoff:%Y-%m-%d %H:%M}); "
                f"{r.aggregated_events} kvar som månadsantal / kept as monthly counts"
            )
        if not results:
            self.stdout.write("Inga rapporter / No reports.")

"""``kvarter import-incidents FILE --municipality CODE [--dry-run]``: EST report history.

Reads the interchange CSV (``/work/shared/formats/incident-reports.md``) and stores every row
as a report with one event, all or nothing. Prints what was added and skipped (ids already
stored); on any problem lists every one (row, column, reason) and exits with status 1 having
changed nothing. A text with personal data is named by row and kind, never shown.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected
from kvarter.core.progress import RichProgress
from kvarter.safety.history.services import incident_history_import

PROGRESS_FROM_BYTES = 1_000_000
PHASES = {
    "parse": "Läser och kontrollerar / reading and checking",
    "store": "Sparar rapporter / storing reports",
}


class Command(BaseCommand):
    help = (
        "Import EST incident report history from CSV. All or nothing; rows whose id is already "
        "stored are skipped, rows without an id are always added."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="four-digit municipality code")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"Kommunen {code} finns inte / municipality {code} not found.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan inte läsa / cannot read {path}: {error}") from error
        started = time.perf_counter()
        show = len(data) >= PROGRESS_FROM_BYTES and sys.stderr.isatty()
        try:
            if show:
                with RichProgress(PHASES) as progress:
                    result = self._import(municipality, data, path.name, options, progress)
            else:
                result = self._import(municipality, data, path.name, options, None)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                row = problem.row if problem.row is not None else "—"
                self.stderr.write(f"rad/row {row}\t{problem.field or '—'}\t{problem.message}")
            raise CommandError(
                f"Inget importerades: {len(rejected.problems)} fel / nothing was imported: "
                f"{len(rejected.problems)} problem(s)."
            ) from rejected
        seconds = time.perf_counter() - started
        prefix = (
            "Provkörning, inget sparat / dry run, nothing saved: " if options["dry_run"] else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{path.name} → {municipality.code} {municipality}: {result.rows} rader/"
                f"rows; {result} ({seconds:.1f} s)"
            )
        )

    def _import(
        self,
        municipality: Municipality,
        data: bytes,
        file_name: str,
        options: dict[str, Any],
        progress: Any,
    ) -> Any:
        return incident_history_import(
            actor=SYSTEM,
            municipality=municipality,
            data=data,
            file_name=file_name,
            dry_run=options["dry_run"],
            progress=progress,
        )

"""``kvarter import-plan FILE --municipality CODE --plan NAME --year YEAR [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected, nothing_imported
from kvarter.followup.importers import plan_import


class Command(BaseCommand):
    help = (
        "Import an action plan (.csv or .xlsx) with its follow-up for YEAR. All or nothing; "
        "measures with the same Nr are updated, and re-importing the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="four-digit municipality code")
        parser.add_argument("--plan", required=True, help="the plan's name; created if new")
        parser.add_argument("--year", required=True, type=int, help="the follow-up year")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(_("Municipality %(code)s not found.") % {"code": code})
        try:
            result = plan_import(
                actor=SYSTEM,
                municipality=municipality,
                plan_name=options["plan"],
                year=options["year"],
                raw=raw,
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            rows = sorted({p.row for p in rejected.problems if p.row is not None})
            where = (
                " " + _("(rows %(rows)s)") % {"rows": ", ".join(map(str, rows))} if rows else ""
            )
            raise CommandError(
                f"{nothing_imported(len(rejected.problems))}{where}\n{rejected}"
            ) from rejected
        prefix = _("Dry run, nothing saved: ") if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{options['plan']}: {result.summary}"))
        if result.round_year is not None:
            self.stdout.write(
                _("Follow-up %(year)s: %(n)s reports recorded")
                % {"year": result.round_year, "n": result.reports_recorded}
            )
        if result.unknown_columns:
            self.stdout.write(
                _("Unknown columns kept as extra fields: %(columns)s")
                % {"columns": ", ".join(result.unknown_columns)}
            )

"""``kvarter import-organisations FILE --municipality CODE``: the organisation register.

A CSV (any encoding Excel writes, ``;`` ``,`` or tab) or XLSX with the columns namn/name,
förkortning/abbreviation, typ/type (a code such as ``municipal_unit`` or its Swedish or
English name) and del av/parent (another organisation's name or abbreviation, in the file or
the register). All or nothing; every problem is listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kvarter.accounts.onboarding import describe, organisations_import
from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected, nothing_imported


class Command(BaseCommand):
    help = "Import a municipality's organisations (name, abbreviation, type, parent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="four-digit code")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                _("No such municipality: %(code)s.") % {"code": options["municipality"]}
            )
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        try:
            result = organisations_import(
                actor=SYSTEM, municipality=municipality, data=data, file_name=path.name
            )
        except ImportRejected as rejected:
            label = _("row")
            for problem in rejected.problems:
                row = problem.row if problem.row is not None else "—"
                self.stderr.write(f"{label} {row}\t{problem.field or '—'}\t{problem.message}")
            raise CommandError(nothing_imported(len(rejected.problems))) from rejected
        self.stdout.write(self.style.SUCCESS(f"{path.name}: {describe(result)}"))

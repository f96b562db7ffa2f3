"""``kvarter import-areas FILE --municipality CODE``: areas from a GeoJSON FeatureCollection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kvarter.areas.importers import parse_areas
from kvarter.areas.services import areas_import
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected, nothing_imported


class Command(BaseCommand):
    help = (
        "Import areas from a GeoJSON FeatureCollection in WGS 84 or SWEREF 99 TM. "
        "All or nothing; areas with the same name are updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="four-digit municipality code")
        parser.add_argument("--municipality-name", help="creates the municipality if it is new")
        parser.add_argument(
            "--name-property", default="name", help="feature property with the name"
        )
        parser.add_argument("--crs", help="EPSG:3006 or EPSG:4326 when the file does not say")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        try:
            rows = parse_areas(raw, name_property=options["name_property"], crs=options["crs"])
            municipality, summary = areas_import(
                actor=SYSTEM,
                municipality_code=options["municipality"],
                municipality_name=options["municipality_name"],
                rows=rows,
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(nothing_imported(len(rejected.problems))) from rejected
        self.stdout.write(self.style.SUCCESS(f"{municipality.code} {municipality}: {summary}"))

"""``kvarter report DOCUMENT … --format FORMAT --out FILE``: a thin dispatcher.

Each domain registers its documents (:mod:`kvarter.reports.registry`) from its app's
``ready()``: ``followup`` (the follow-up of a plan's round), ``profile`` (an area profile),
``picture`` (the weekly situational picture), ``est-strategic`` and ``crime-prevention`` (the
management group's EST documents). The domain's writer reads the options below, builds the
document from its own selectors and returns the file; this command only writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.reports.formats import FORMATS
from kvarter.reports.registry import document_command, document_commands


class Command(BaseCommand):
    help = "Write a document (a report) to a file: the follow-up of a plan, an area profile …"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = document_commands()
        parser.add_argument(
            "report",
            choices=[c.name for c in commands],
            help="which document: " + "; ".join(f"{c.name}: {c.help}" for c in commands),
        )
        parser.add_argument(
            "plan",
            nargs="?",
            default="",
            help="the plan's name or id (followup); the area's id (profile); none (picture)",
        )
        parser.add_argument("--municipality", help="four-digit municipality code")
        parser.add_argument(
            "--round", help="YEAR or YEAR:KIND (yearly, dr1, dr2); default the latest round"
        )
        parser.add_argument(
            "--area", help="only the measures of this area (name); picture: names, comma-separated"
        )
        parser.add_argument("--week", help="picture: ISO week, e.g. 2026-W48, or a date")
        parser.add_argument("--unit", help="only the measures of this unit (abbreviation)")
        parser.add_argument("--year", type=int, help="est-strategic, crime-prevention: the year")
        parser.add_argument(
            "--quarter", type=int, choices=[1, 2, 3, 4], help="est-strategic: the quarter"
        )
        parser.add_argument(
            "--exact",
            action="store_true",
            help="est-strategic, crime-prevention: show small counts (for EST members only)",
        )
        parser.add_argument("--format", choices=list(FORMATS), required=True)
        parser.add_argument("--language", default="sv", choices=["sv", "en"])
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        content = document_command(options["report"]).write(options)
        out: Path = options["out"]
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kan inte skriva / Cannot write {out}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{out} ({len(content):,} bytes)"))

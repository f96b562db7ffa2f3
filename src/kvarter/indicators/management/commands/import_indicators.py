"""``kvarter import-indicators FILE [--source scb|kolada|csv] [--indicator CODE] …``.

Reads SCB JSON-stat 2.0, Kolada API JSON or a long CSV and stores the values all or nothing.
Prints what was added, changed, skipped and summed up to areas; on any problem, lists every
one (row, field, reason) and exits with status 1 having changed nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected, nothing_imported
from kvarter.core.progress import RichProgress
from kvarter.indicators.services import indicator_file_import

FORMATS = {"scb": "json-stat2", "json-stat2": "json-stat2", "kolada": "kolada", "csv": "csv"}
PROGRESS_FROM_BYTES = 1_000_000  # smaller files are done before a bar would be worth drawing
PHASES = {
    "parse": "Läser filen / reading the file",
    "store": "Sparar värden / storing values",
    "aggregate": "Summerar områden / summing up areas",
}
FETCH_TIMEOUT_SECONDS = 60


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("Invalid date %(text)s (YYYY-MM-DD)") % {"text": repr(text)}
        ) from error


def _cannot_read(path: Path, error: OSError) -> str:
    return _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}


class Command(BaseCommand):
    help = (
        "Import indicator values from SCB JSON-stat 2.0, Kolada API JSON or a long CSV. "
        "All or nothing; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="the file (or use --fetch URL)")
        parser.add_argument(
            "--source",
            choices=sorted(FORMATS),
            help="the file's format: scb (JSON-stat 2.0), kolada or csv; sniffed when left out",
        )
        parser.add_argument("--indicator", help="catalogue code, for a table without ContentsCode")
        parser.add_argument(
            "--municipality", help="four-digit code; needed for area names in a long CSV"
        )
        parser.add_argument(
            "--retrieved", help="the date the file was retrieved, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--label",
            help="the source named on each value (default: the file's own, e.g. SCB TAB…)",
        )
        parser.add_argument("--fetch", metavar="URL", help="download the file from SCB or Kolada")
        parser.add_argument(
            "--query",
            type=Path,
            metavar="JSON",
            help="with --fetch: POST this query (PxWeb's 'Spara fråga' JSON, response format "
            "json-stat2) instead of a GET",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data, file_name = self._read(options)
        municipality = None
        if options["municipality"]:
            code = options["municipality"]
            municipality = Municipality.objects.filter(code=code).first()
            if municipality is None:
                raise CommandError(
                    _("Municipality %(code)s not found.") % {"code": code}
                )
        retrieved = _date(options["retrieved"]) if options["retrieved"] else None
        file_format = FORMATS[options["source"]] if options["source"] else None
        started = time.perf_counter()
        show = len(data) >= PROGRESS_FROM_BYTES and sys.stderr.isatty()
        try:
            if show:
                with RichProgress(PHASES) as progress:
                    batch = self._import(
                        data, file_name, file_format, municipality, retrieved, options, progress
                    )
            else:
                batch = self._import(
                    data, file_name, file_format, municipality, retrieved, options, None
                )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                row = problem.row if problem.row is not None else "—"
                self.stderr.write(f"{_('row')} {row}\t{problem.field or '—'}\t{problem.message}")
            raise CommandError(nothing_imported(len(rejected.problems))) from rejected
        seconds = time.perf_counter() - started
        prefix = _("Dry run, nothing saved: ") if options["dry_run"] else ""
        counts = _(
            "%(added)s added, %(changed)s changed, %(skipped)s skipped, "
            "%(aggregated)s area values aggregated"
        ) % {
            "added": batch.added,
            "changed": batch.changed,
            "skipped": batch.skipped,
            "aggregated": batch.aggregated,
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{file_name} ({batch.source}, {batch.file_format}): {counts} "
                f"({seconds:.1f} s)"
            )
        )
        for note in batch.notes:
            self.stdout.write(_("Note: %(note)s") % {"note": note})

    def _import(
        self,
        data: bytes,
        file_name: str,
        file_format: str | None,
        municipality: Municipality | None,
        retrieved: dt.date | None,
        options: dict[str, Any],
        progress: Any,
    ) -> Any:
        return indicator_file_import(
            actor=SYSTEM,
            data=data,
            file_name=file_name,
            file_format=file_format,
            indicator_code=options["indicator"],
            municipality=municipality,
            retrieved_on=retrieved,
            source=options["label"],
            progress=progress,
            dry_run=options["dry_run"],
        )

    def _read(self, options: dict[str, Any]) -> tuple[bytes, str]:
        url = options["fetch"]
        path: Path | None = options["file"]
        if url:
            if path is not None:
                raise CommandError(_("Give FILE or --fetch, not both."))
            query = options["query"]
            body = None
            if query is not None:
                try:
                    body = query.read_bytes()
                except OSError as error:
                    raise CommandError(_cannot_read(query, error)) from error
            return _fetch(url, body)
        if options["query"] is not None:
            raise CommandError(_("--query goes with --fetch."))
        if path is None:
            raise CommandError(_("Give a file or --fetch URL."))
        try:
            return path.read_bytes(), path.name
        except OSError as error:
            raise CommandError(_cannot_read(path, error)) from error


def _fetch(url: str, body: bytes | None = None) -> tuple[bytes, str]:
    """GET ``url`` (an SCB PxWeb v2 table with outputFormat=json-stat2, or a Kolada data URL),
    or POST ``body`` to it (a PxWeb v1/v2 query asking for json-stat2)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise CommandError(_("Only http(s) URLs: %(url)s") % {"url": url})
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            data: bytes = response.read()
    except OSError as error:
        raise CommandError(
            _("Could not fetch %(url)s: %(error)s") % {"url": url, "error": error}
        ) from error
    name = Path(parts.path).name or parts.netloc
    return data, name

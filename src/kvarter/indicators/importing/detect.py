"""One door for every indicator file: the format named, or sniffed from the bytes.

JSON holding a dataset (``class: dataset``, or ``dimension`` with ``value``, or a JSON-stat 1.x
bundle) is JSON-stat; JSON holding a ``values`` list of rows with ``kpi`` is Kolada; anything
else is read as a long table (CSV, or XLSX when the name ends in .xlsx). JSON is read once,
whichever parser then takes it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Municipality
from kvarter.indicators.importing import jsonstat, kolada, longcsv
from kvarter.indicators.importing._vocab import Problems, load_json
from kvarter.indicators.importing.observations import ParseResult
from kvarter.indicators.models import Indicator

FORMATS: dict[str, str] = {
    "json-stat2": "json-stat2",
    "json-stat": "json-stat2",
    "jsonstat": "json-stat2",
    "px": "json-stat2",
    "scb": "json-stat2",
    "kolada": "kolada",
    "csv": "csv",
}


def parse_indicator_file(
    data: bytes,
    *,
    file_name: str,
    file_format: str | None = None,
    indicator: Indicator | None = None,
    municipality: Municipality | None = None,
) -> ParseResult:
    """The file's figures (or problems), read as ``file_format`` or as what the bytes show."""
    problems = Problems()
    wanted = None
    if file_format:
        wanted = FORMATS.get(file_format.strip().lower())
        if wanted is None:
            problems.add(
                None,
                "format",
                "unknown_format",
                _("Unknown format %(file_format)s (json-stat2, kolada or csv)"),
                file_format=repr(file_format),
            )
            return ParseResult(file_format=file_format, source="", problems=problems.result())
    if wanted == "csv" or (wanted is None and not _looks_like_json(data, file_name)):
        return longcsv.parse_long_csv(data, municipality=municipality, file_name=file_name)

    document = load_json(data, problems)
    if document is None:
        return ParseResult(file_format=wanted or "json", source="", problems=problems.result())
    if wanted == "kolada":
        return kolada.parse_kolada_document(document, indicator=indicator)
    if wanted == "json-stat2" or _is_jsonstat(document):
        return jsonstat.parse_jsonstat_document(document, indicator=indicator)
    if kolada.kolada_rows(document) is not None:
        return kolada.parse_kolada_document(document, indicator=indicator)
    problems.add(
        None,
        "",
        "unknown_json",
        _("The JSON file is neither JSON-stat nor a Kolada response"),
    )
    return ParseResult(file_format="json", source="", problems=problems.result())


def _looks_like_json(data: bytes, file_name: str) -> bool:
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:1] in (b"{", b"[") or file_name.lower().endswith(".json")


def _is_jsonstat(document: object) -> bool:
    if not isinstance(document, dict):
        return False
    if document.get("class") == "dataset" or ("dimension" in document and "value" in document):
        return True
    return any(isinstance(v, dict) and "dimension" in v for v in document.values())

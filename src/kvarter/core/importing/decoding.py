"""Which encoding a table's bytes are in, and where they break it (row, column), for tables.py.

Nothing here keeps the decoded text of a whole file: bytes are checked a megabyte at a time,
and only the part before a bad byte is decoded again to find its row and column.
"""

from __future__ import annotations

import codecs
import csv
import heapq
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.core.importing import Problem

CHUNK = 1 << 20  # bytes checked at a time
LOCATED = 20  # bad spans located one by one; the rest are counted
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # undefined in Windows-1252
_ZERO = re.compile(rb"\x00")
_UTF8_IN_CP1252 = re.compile(rb"[\xc3\xc2][\x80-\xbf]")  # 'Ã¥', 'Ã¶' …: UTF-8 read as 1252

Numbering = Literal["record", "line"]


def _problem(
    row: int | None, column: str, code: str, text: Promise, /, **params: Any
) -> Problem:
    """A problem with its own message (lazy: rendered in the reader's language)."""
    return Problem(row, column, code, text, params=params)


@dataclass(frozen=True)
class Encoding:
    name: str  # as reported: utf-8, utf-8-sig, utf-16, cp1252; '' when neither
    codec: str  # what the rows are decoded with (handles the BOM itself)
    bare: str  # the codec without BOM handling, for checking from any offset
    skip: int  # bytes of BOM


def detect_encoding(raw: bytes) -> Encoding:
    if raw.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", "utf-8-sig", "utf-8", 3)
    if raw.startswith(codecs.BOM_UTF16_LE):
        return Encoding("utf-16", "utf-16", "utf-16-le", 2)
    if raw.startswith(codecs.BOM_UTF16_BE):
        return Encoding("utf-16", "utf-16", "utf-16-be", 2)
    if len(raw) >= 2 and raw[0] and not raw[1]:  # ASCII text without a BOM: 'N\0r\0'
        return Encoding("utf-16", "utf-16-le", "utf-16-le", 0)
    if len(raw) >= 2 and not raw[0] and raw[1]:
        return Encoding("utf-16", "utf-16-be", "utf-16-be", 0)
    first = _NON_ASCII.search(raw)
    if first is None:
        return Encoding("utf-8", "utf-8", "utf-8", 0)
    at = first.start()
    lead = raw[at]
    length = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4
    try:
        raw[at : at + length].decode("utf-8")
    except UnicodeDecodeError:
        if _NOT_CP1252.match(raw, at):
            return Encoding("", "", "", 0)
        return Encoding("cp1252", "cp1252", "cp1252", 0)
    return Encoding("utf-8", "utf-8", "utf-8", 0)


def bad_spans(raw: bytes, codec: str, start: int) -> Iterator[tuple[int, int]]:
    """Byte spans of ``raw[start:]`` that do not belong to a text in ``codec``, in order.

    Zero bytes count too outside UTF-16: no table holds them, and they are what UTF-16 or a
    binary file looks like when read as UTF-8 or Windows-1252.
    """
    if codec.startswith("utf-16"):
        yield from _undecodable(raw, codec, start)
        return
    zeros = ((m.start(), m.end()) for m in _ZERO.finditer(raw, start))
    if codec == "cp1252":
        undefined = ((m.start(), m.end()) for m in _NOT_CP1252.finditer(raw, start))
        pasted = ((m.start(), m.end()) for m in _UTF8_IN_CP1252.finditer(raw, start))
        yield from heapq.merge(undefined, pasted, zeros)
        return
    yield from heapq.merge(_undecodable(raw, codec, start), zeros)


def _undecodable(raw: bytes, codec: str, start: int) -> Iterator[tuple[int, int]]:
    view = memoryview(raw)
    position = start
    while position < len(raw):
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            for chunk_start in range(position, len(raw), CHUNK):
                pending = len(decoder.getstate()[0])
                decoder.decode(view[chunk_start : chunk_start + CHUNK])
            pending = len(decoder.getstate()[0])
            chunk_start = len(raw)
            decoder.decode(b"", final=True)
            return
        except UnicodeDecodeError as error:
            begin = chunk_start - pending + error.start
            end = max(chunk_start - pending + error.end, begin + 1)
            yield begin, end
            position = end


def encoding_problems(
    raw: bytes,
    codec: str,
    text_start: int,
    delimiter: str,
    spans: list[tuple[int, int]],
    numbering: Numbering,
) -> list[Problem]:
    """Each bad byte span as a problem on its row and column (header name when known)."""
    name = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(codec, "UTF-16")
    problems = []
    for begin, end in spans[:LOCATED]:
        row, column, header = _locate(raw, codec, text_start, begin, delimiter, numbering)
        shown = raw[begin:min(end, begin + 4)].hex(" ").upper()
        params = {"row": row, "column": column, "bytes": shown, "encoding": name}
        if raw[begin] == 0:
            text = (
                _("A zero byte on row %(row)s, column %(column)s: the file is binary, or UTF-16 "
                  "without a BOM; save the file as UTF-8.")
                if row
                else _("A zero byte at the start of the file: the file is binary, or UTF-16 "
                       "without a BOM; save the file as UTF-8.")
            )
        elif codec == "cp1252" and end - begin == 2:  # 'Ã¥': UTF-8 pasted into a 1252 file
            text = (
                _("The bytes %(bytes)s on row %(row)s, column %(column)s are UTF-8 in a "
                  "Windows-1252 file; save the file as UTF-8.")
                if row
                else _("The bytes %(bytes)s at the start of the file are UTF-8 in a "
                       "Windows-1252 file; save the file as UTF-8.")
            )
        else:
            text = (
                _("The bytes %(bytes)s on row %(row)s, column %(column)s are not valid "
                  "%(encoding)s; save the file as UTF-8.")
                if row
                else _("The bytes %(bytes)s at the start of the file are not valid "
                       "%(encoding)s; save the file as UTF-8.")
            )
        problems.append(_problem(row or None, header, "encoding", text, **params))
    if len(spans) > LOCATED:
        problems.append(
            _problem(
                None,
                "",
                "encoding",
                _("There are more invalid characters than the %(shown)s shown."),
                shown=LOCATED,
            )
        )
    return problems


def _locate(
    raw: bytes, codec: str, text_start: int, offset: int, delimiter: str, numbering: Numbering
) -> tuple[int, int, str]:
    """(row, 1-based column, header name) of the byte at ``offset``; row 0 before the table."""
    if offset < text_start:
        return 0, 0, ""
    prefix = raw[text_start:offset].decode(codec, errors="replace") + "x"
    reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter)
    header: list[str] = []
    record, start, previous, last = 0, 1, 0, [""]
    try:
        for cells in reader:
            record += 1
            start, previous = previous + 1, reader.line_num
            header = header or cells
            last = cells
    except csv.Error:
        pass
    column = max(len(last), 1)
    name = header[column - 1].strip() if record > 1 and column <= len(header) else ""
    return (start if numbering == "line" else record), column, name

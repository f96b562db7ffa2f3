"""The XLSX half of :mod:`kvarter.core.importing.tables`: one sheet's rows as text.

The zip's directory is read first: if its parts would unpack to more than the cap, the file
is refused before openpyxl parses a byte of XML (a zip cannot unpack to more than its
directory says: Python's zipfile stops at the declared size and fails the CRC check). The
sheet's declared dimensions are ignored, so a cell at XFD1048576 does not pad every row to
16,384 columns; rows are padded to the header's width instead.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.core.importing import ImportRejected, Problem

if TYPE_CHECKING:
    from kvarter.core.importing.tables import Limits, TableRow

MiB = 1 << 20


def _refused(code: str, text: Promise, **params: Any) -> ImportRejected:
    return ImportRejected([Problem(None, "", code, text, params=params)])


def _unreadable() -> ImportRejected:
    return _refused(
        "unreadable_file",
        _("The file could not be read as an Excel file (.xlsx)."),
    )


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: '' for empty, '12' for 12.0, ISO 8601 for dates and times."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date cell: Excel stores it as midnight
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def check_unpacked_size(raw: bytes, limit: int) -> None:
    """Refuse a zip whose parts unpack to more than ``limit`` bytes, from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable() from error
    if unpacked > limit:
        raise _refused(
            "unpacked_too_large",
            _("The Excel file unpacks to %(size)s MB; at most %(cap)s MB is accepted."),
            size=f"{unpacked / MiB:.0f}",
            cap=f"{limit / MiB:.0f}",
        )


def read_xlsx(raw: bytes, *, limits: Limits, sheet: str | None) -> Iterator[TableRow]:
    """The rows of the sheet named ``sheet`` (any case), or of the first sheet."""
    import openpyxl

    check_unpacked_size(raw, limits.max_unpacked_bytes)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # not a workbook, corrupt, encrypted …
        raise _unreadable() from error
    wanted = " ".join(sheet.split()).casefold() if sheet else None
    worksheets = workbook.worksheets
    if not worksheets:
        workbook.close()
        raise _unreadable()
    chosen = next(
        (ws for ws in worksheets if " ".join(ws.title.split()).casefold() == wanted),
        worksheets[0],
    )
    chosen.reset_dimensions()
    return _rows(workbook, chosen)


def _rows(workbook: Any, worksheet: Any) -> Iterator[TableRow]:
    width = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if not width:  # the header: trailing empty cells mean nothing
                while cells and not cells[-1].strip():
                    cells.pop()
                width = len(cells)
            elif len(cells) < width:
                cells += [""] * (width - len(cells))
            else:
                while len(cells) > width and not cells[-1].strip():
                    cells.pop()
            yield number, cells
    except ImportRejected:
        raise
    except Exception as error:  # broken XML inside a readable zip
        raise _unreadable() from error
    finally:
        workbook.close()

"""Renderers of a `Document`: `html.render_html`, `pdf.render_pdf`, `docx.render_docx`,
`xlsx.render_xlsx`. Each is a pure function of the document.

This module holds what several renderers share, so that a number or a page label reads the same
in every format. Callers import the renderers from their modules, e.g.
`from kvarter.reports.render.pdf import render_pdf`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.utils.formats import number_format
from django.utils.translation import gettext

from kvarter.reports.document import Cell, StatusCell

PagePart = tuple[Literal["text", "page", "pages"], str]

# Characters that cannot occur in a translated page label; used to find its placeholders.
_MARK = "\x00"


def cell_text(cell: Cell) -> str:
    """The text a reader sees for a cell, numbers formatted for the active language."""
    if cell is None:
        return ""
    if isinstance(cell, StatusCell):
        return cell.label
    if isinstance(cell, int | Decimal) and not isinstance(cell, bool):
        return number_format(cell, use_l10n=True, force_grouping=True)
    return str(cell)


def value_text(value: str | int | Decimal) -> str:
    """A key figure's value: numbers formatted like table cells, text as given."""
    return value if isinstance(value, str) else cell_text(value)


def page_label_parts() -> list[PagePart]:
    """The translated "Page N of M" split into literal text and the two page numbers.

    PDF (CSS counters) and Word (PAGE/NUMPAGES fields) insert the numbers themselves, so they
    need the label in pieces; splitting the translation keeps any word order a language uses.
    """
    label = gettext("Page %(page)s of %(pages)s") % {
        "page": f"{_MARK}page{_MARK}",
        "pages": f"{_MARK}pages{_MARK}",
    }
    parts: list[PagePart] = []
    for index, piece in enumerate(label.split(_MARK)):
        if index % 2:
            parts.append(("pages", "") if piece == "pages" else ("page", ""))
        elif piece:
            parts.append(("text", piece))
    return parts

"""Word rendering with python-docx: real headings and tables, so the text stays editable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

import docx
from django.utils import translation
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as WordParagraph

from kvarter.reports import charts
from kvarter.reports.document import (
    STATUS_COLOURS,
    Cell,
    Chart,
    Document,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    StatusCell,
    Table,
)
from kvarter.reports.render import cell_text, page_label_parts, value_text

_PAGE_WIDTH, _PAGE_HEIGHT = Mm(210), Mm(297)
_MARGIN_SIDE, _MARGIN_TOP, _MARGIN_BOTTOM = Mm(18), Mm(20), Mm(22)
_TEXT_WIDTH = Mm(210 - 2 * 18)
_CHART_WIDTH = Mm(165)
# The template's headings are mid-blue, which is below 4.5:1 on white for the smaller levels.
_HEADING_INK = RGBColor(0x1F, 0x3A, 0x5F)
_HEADER_FILL = "EEF1F4"
_KEY_FIGURES_PER_ROW = 4


def render_docx(doc: Document) -> bytes:
    """The document as a .docx: title page, headings, tables with repeating headers, charts as
    PNG pictures with alt text followed by their data, and "Page N of M" in the footer."""
    with translation.override(doc.language):
        word = docx.Document()
        _set_up(word, doc)
        _title_page(word, doc)
        for block in doc.blocks:
            writer = _BLOCK_WRITERS.get(type(block))
            if writer is None:
                raise TypeError(f"unknown block {block!r}")
            writer(word, block)
        out = BytesIO()
        word.save(out)
        return out.getvalue()


def _set_up(word: WordDocument, doc: Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    section.left_margin = section.right_margin = _MARGIN_SIDE
    section.top_margin, section.bottom_margin = _MARGIN_TOP, _MARGIN_BOTTOM
    word.core_properties.title = doc.title
    word.core_properties.subject = doc.subtitle
    word.core_properties.language = doc.language
    _set_language(word, doc.language)
    for level in (1, 2, 3):
        word.styles[f"Heading {level}"].font.color.rgb = _HEADING_INK
    _footer(word, doc)


def _set_language(word: WordDocument, language: str) -> None:
    """Tell Word the text's language, for spelling and for screen readers' pronunciation."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)


def _footer(word: WordDocument, doc: Document) -> None:
    """Title at the left, "Page N of M" at the right margin, numbers as PAGE/NUMPAGES fields."""
    paragraph = word.sections[0].footer.paragraphs[0]
    tabs = paragraph.paragraph_format.tab_stops
    # The Footer style's stops are set for US Letter; replace them with one at our right margin.
    for stop in word.styles["Footer"].paragraph_format.tab_stops:
        tabs.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _small(paragraph.add_run(doc.title + "\t"))
    for kind, text in page_label_parts():
        if kind == "text":
            _small(paragraph.add_run(text))
        else:
            _add_field(paragraph, "PAGE" if kind == "page" else "NUMPAGES")


def _small(run: Any) -> None:
    run.font.size = Pt(8)


def _add_field(paragraph: WordParagraph, instruction: str) -> None:
    """A simple field Word fills in on layout; "1" shows until it does."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")  # half-points: 8 pt, like the rest of the footer
    properties.append(size)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(properties)
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _title_page(word: WordDocument, doc: Document) -> None:
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_before = Mm(50)
    word.add_paragraph(doc.title, style="Title")
    if doc.subtitle:
        word.add_paragraph(doc.subtitle, style="Subtitle")
    if doc.meta:
        table = word.add_table(rows=0, cols=2)
        for label, value in doc.meta:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(label).bold = True
            cells[1].text = value
        _set_widths(table, [Mm(40), Mm(120)])
    word.add_page_break()


def _heading(word: WordDocument, block: Heading) -> None:
    word.add_heading(block.text, level=block.level)


def _paragraph(word: WordDocument, block: Paragraph) -> None:
    word.add_paragraph(block.text)


def _page_break(word: WordDocument, block: PageBreak) -> None:
    word.add_page_break()


def _key_figures(word: WordDocument, block: KeyFigures) -> None:
    """Big numbers in a grid, each value above its label, as text (never a picture)."""
    if block.caption:
        _caption(word, block.caption)
    items = list(block.items)
    columns = min(len(items), _KEY_FIGURES_PER_ROW) or 1
    table = word.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for start in range(0, len(items), columns):
        cells = table.add_row().cells
        for cell, (label, value) in zip(cells, items[start : start + columns], strict=False):
            number = cell.paragraphs[0].add_run(value_text(value))
            number.bold, number.font.size = True, Pt(20)
            cell.add_paragraph(label)
    _set_widths(table, [Length(_TEXT_WIDTH // columns)] * columns)
    word.add_paragraph()


def _caption(word: WordDocument, text: str) -> WordParagraph:
    paragraph = word.add_paragraph(style="Caption")
    paragraph.add_run(text)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _table(word: WordDocument, block: Table) -> None:
    _caption(word, block.caption)
    table = word.add_table(rows=0, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    kinds = [column.kind for column in block.columns]
    header = table.add_row()
    for cell, column in zip(header.cells, block.columns, strict=True):
        run = cell.paragraphs[0].add_run(column.label)
        run.bold = True
        _shade(cell, _HEADER_FILL)
        _align(cell, column.kind)
    _repeat_as_header(header)
    for values in block.rows:
        row = table.add_row()
        _keep_row_together(row)
        for cell, value, kind in zip(row.cells, values, kinds, strict=True):
            _write_cell(cell, value, kind)
    _set_widths(table, _column_widths(block))
    word.add_paragraph()


def _write_cell(cell: _Cell, value: Cell, kind: str) -> None:
    cell.text = cell_text(value)
    if isinstance(value, StatusCell):
        _shade(cell, STATUS_COLOURS[value.code].tint.lstrip("#").upper())
    numeric = isinstance(value, int | Decimal) and not isinstance(value, bool)
    _align(cell, "number" if numeric else kind)


def _align(cell: _Cell, kind: str) -> None:
    if kind == "number":
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _column_widths(block: Table) -> list[Length]:
    """Widths from the columns' hints (equal when a hint is missing), filling the text width."""
    hints = [column.width or 0 for column in block.columns]
    if not all(hints):
        hints = [1] * len(hints)
    total = sum(hints)
    return [Length(_TEXT_WIDTH * hint // total) for hint in hints]


def _set_widths(table: WordTable, widths: Sequence[Length]) -> None:
    # Word reads each cell's own width; the grid alone is ignored by some versions.
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row: _Row) -> None:
    """Mark the row as the table's header: Word repeats it on every page and announces it."""
    _row_flag(row, "w:tblHeader")


def _keep_row_together(row: _Row) -> None:
    _row_flag(row, "w:cantSplit")


def _row_flag(row: _Row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _chart(word: WordDocument, block: Chart) -> None:
    """The chart as a PNG (python-docx cannot embed SVG) with alt text, then its data table."""
    _caption(word, block.title)
    picture = word.add_picture(BytesIO(charts.to_png(block.spec)), width=_CHART_WIDTH)
    doc_properties = picture._inline.docPr
    doc_properties.set("descr", block.description)
    doc_properties.set("title", block.title)
    word.add_paragraph(block.description)
    _table(word, block.table)


_BLOCK_WRITERS: dict[type, Callable[[WordDocument, Any], None]] = {
    Heading: _heading,
    Paragraph: _paragraph,
    KeyFigures: _key_figures,
    Table: _table,
    Chart: _chart,
    PageBreak: _page_break,
}

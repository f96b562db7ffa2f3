"""HTML rendering: a standalone page (also the input of the PDF) or a fragment for the site."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from kvarter.reports import charts
from kvarter.reports.document import (
    STATUS_COLOURS,
    Block,
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
from kvarter.reports.render.columns import column_layout

TEMPLATE = "reports/document.html"


@dataclass
class _Ids:
    """Hands out element ids that are unique within one rendered document."""

    count: int = 0
    chart_pictures: bool = False  # PNG pictures instead of inline SVG (for the PDF)

    def next(self, prefix: str) -> str:
        self.count += 1
        return f"kv-{prefix}-{self.count}"


@dataclass
class _View:
    """What the template needs for one block; `kind` picks the markup."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


def render_html(
    doc: Document, *, standalone: bool = True, print_css: str = "", chart_pictures: bool = False
) -> str:
    """The document as HTML. `standalone` gives a whole page with its own CSS; otherwise a
    fragment (`<article class="kv-report">`) for the site's base template, whose page must then
    carry `report_css()` in its head. `print_css` is added by the PDF renderer.

    `chart_pictures` draws charts as PNG pictures instead of inline SVG. The PDF renderer asks
    for them: WeasyPrint parses, styles and draws every SVG node on its own, which took two
    thirds of the time of a profile with two dozen charts; a picture is one box."""
    with translation.override(doc.language):
        ids = _Ids(chart_pictures=chart_pictures)
        blocks = [_block_view(block, ids) for block in doc.blocks]
        _keep_headings_with_wide_tables(blocks)
        context = {
            "doc": doc,
            "standalone": standalone,
            "blocks": blocks,
            "toc": [v.data for v in blocks if v.kind == "heading" and v.data["level"] <= 2],
            "status_css": mark_safe(_status_css()),  # noqa: S308 - built from our palette only
            "print_css": mark_safe(print_css),  # noqa: S308 - written by render_pdf, no user text
        }
        return render_to_string(TEMPLATE, context)


def report_css() -> SafeString:
    """The rules a page embedding the fragment needs (for a <style> in the site's head block)."""
    rules = render_to_string("reports/_report.css", {"print_css": ""})
    return mark_safe(f"{rules}\n{_status_css()}")  # noqa: S308 - our own stylesheet


def _block_view(block: Block, ids: _Ids) -> _View:
    if isinstance(block, Heading):
        # The document title is the page's only h1, so heading level 1 is an h2.
        return _View(
            "heading",
            {
                "text": block.text,
                "level": block.level,
                "tag": f"h{block.level + 1}",
                "id": ids.next("s"),
                "wide": False,
            },
        )
    if isinstance(block, Paragraph):
        return _View("paragraph", {"text": block.text})
    if isinstance(block, KeyFigures):
        items = [(label, value_text(value)) for label, value in block.items]
        return _View("key_figures", {"caption": block.caption, "items": items})
    if isinstance(block, Table):
        return _View("table", _table_view(block))
    if isinstance(block, Chart):
        return _View("chart", _chart_view(block, ids))
    if isinstance(block, PageBreak):
        return _View("page_break")
    raise TypeError(f"unknown block {block!r}")


def _table_view(table: Table) -> dict[str, Any]:
    rows = [[_cell_view(cell) for cell in row] for row in table.rows]
    layout = column_layout(table.columns, [[cell["text"] for cell in row] for row in rows])
    columns = [
        {"label": c.label, "kind": c.kind, "width": f"{layout.percentages[i]:.1f}"}
        for i, c in enumerate(table.columns)
    ]
    return {"caption": table.caption, "columns": columns, "rows": rows, "wide": layout.wide}


def _keep_headings_with_wide_tables(blocks: list[_View]) -> None:
    """A table too wide for a portrait page is printed on a landscape one; the headings right
    above it go with it, so a heading never ends a page of its own."""
    for index, view in enumerate(blocks):
        if view.kind == "table" and view.data["wide"]:
            before = index - 1
            while before >= 0 and blocks[before].kind == "heading":
                blocks[before].data["wide"] = True
                before -= 1


def _cell_view(cell: Cell) -> dict[str, str]:
    status = cell.code if isinstance(cell, StatusCell) else ""
    numeric = isinstance(cell, int | Decimal) and not isinstance(cell, bool)
    return {"text": cell_text(cell), "status": status, "numeric": "1" if numeric else ""}


def _chart_view(chart: Chart, ids: _Ids) -> dict[str, Any]:
    return {
        "title": chart.title,
        "description": chart.description,
        "svg": (
            _chart_picture(charts.to_png(chart.spec), chart.description)
            if ids.chart_pictures
            else _accessible_svg(charts.to_svg(chart.spec), chart.description)
        ),
        # Printed inside the chart's figure, on the chart's page, whatever its width.
        "table": _table_view(chart.table) | {"wide": False},
        "id": ids.next("chart"),
    }


def _chart_picture(png: bytes, description: str) -> SafeString:
    """The chart as one PNG picture named by its description (for print)."""
    data = base64.b64encode(png).decode("ascii")
    return format_html(
        '<img class="kv-chart-picture" src="data:image/png;base64,{}" alt="{}">', data, description
    )


def _accessible_svg(svg: str, description: str) -> SafeString:
    """The chart's SVG as one image for assistive technology, named by its description.

    vl-convert writes a well-formed SVG with its text escaped; the only text added here is
    escaped, so the result is safe to embed without autoescaping.
    """
    start = svg.index("<svg")
    end = svg.index(">", start)
    label = escape(description)
    opening = f'{svg[start:end]} role="img" aria-label="{label}" focusable="false">'
    return mark_safe(f"{opening}<title>{label}</title>{svg[end + 1 :]}")  # noqa: S308


def _status_css() -> str:
    """One rule per status code, from the single palette every format uses."""
    return "\n".join(
        f".kv-report .kv-status-{code} {{ background-color: {colour.strong}; }}"
        for code, colour in STATUS_COLOURS.items()
    )


def css_string(text: str) -> str:
    """`text` as a quoted CSS string that is also safe inside an HTML <style> element."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\<>\n\r' or ord(ch) < 0x20 else ch for ch in text
    )
    return f'"{escaped}"'


def page_label_css() -> str:
    """The CSS `content` value for the running "Page N of M" footer in the active language."""
    pieces = {"page": "counter(page)", "pages": "counter(pages)"}
    return " ".join(
        css_string(text) if kind == "text" else pieces[kind] for kind, text in page_label_parts()
    )

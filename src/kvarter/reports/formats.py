"""The file formats a document is served in: one table (content type, file extension, renderer)
and one :func:`render`.

Pages, the API and the ``report`` command all serve documents through this table, so "which
renderer for which format" and "which content type for which format" are written once. JSON is
in the table for its content type and extension, but it is not a rendering of a `Document`:
each domain writes its own data (the same shape as its API) for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse

from kvarter.reports.document import Document

Renderer = Callable[[Document, str], bytes]


def _html(document: Document, extra_css: str) -> bytes:
    from kvarter.reports.render.html import render_html

    return render_html(document).encode("utf-8")


def _pdf(document: Document, extra_css: str) -> bytes:
    from kvarter.reports.render.pdf import render_pdf

    return render_pdf(document, extra_css=extra_css)


def _docx(document: Document, extra_css: str) -> bytes:
    from kvarter.reports.render.docx import render_docx

    return render_docx(document)


def _xlsx(document: Document, extra_css: str) -> bytes:
    from kvarter.reports.render.xlsx import render_xlsx

    return render_xlsx(document)


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One format: what HTTP calls it, how a file of it ends, and what renders a document in it
    (``None``: not a rendering of a document, e.g. JSON)."""

    name: str
    content_type: str
    extension: str
    renderer: Renderer | None = None

    def filename(self, stem: str) -> str:
        """``stem`` with this format's extension, e.g. ``omradesprofil-7.pdf``."""
        return f"{stem}.{self.extension}"


FORMATS: dict[str, FileFormat] = {
    fmt.name: fmt
    for fmt in (
        FileFormat("html", "text/html; charset=utf-8", "html", _html),
        FileFormat("pdf", "application/pdf", "pdf", _pdf),
        FileFormat(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            _docx,
        ),
        FileFormat(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            _xlsx,
        ),
        FileFormat("json", "application/json", "json"),
    )
}

# The formats a `Document` renders to, in the order the pages offer them.
DOCUMENT_FORMATS: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.renderer)


def file_format(fmt: str) -> FileFormat:
    """The format named ``fmt``; an unknown name is a ``ValueError``."""
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None


def content_type(fmt: str) -> str:
    """The HTTP content type of a file in ``fmt``."""
    return file_format(fmt).content_type


def render(document: Document, fmt: str, *, extra_css: str = "") -> bytes:
    """The document as a file in ``fmt`` (html, pdf, docx or xlsx).

    ``extra_css`` (our own rules, never user text) is added to the PDF's page rules, e.g. the
    situational picture's compact one-page layout; the other formats have no page to lay out.
    """
    renderer = file_format(fmt).renderer
    if renderer is None:
        raise ValueError(f"a document is not rendered as {fmt!r}")
    return renderer(document, extra_css)


def file_response(body: bytes, fmt: str, *, stem: str | None) -> HttpResponse:
    """An HTTP response with ``body`` in ``fmt``: a download named ``stem.<extension>``, or
    shown in the browser when ``stem`` is ``None``."""
    file = file_format(fmt)
    response = HttpResponse(body, content_type=file.content_type)
    if stem is not None:
        response["Content-Disposition"] = f'attachment; filename="{file.filename(stem)}"'
    return response

"""The one format table and `render`: every document format comes out of the same renderer."""

from __future__ import annotations

from io import BytesIO

import docx
import openpyxl
import pytest

from kvarter.reports.document import Column, Document, Heading, Paragraph, Table
from kvarter.reports.formats import (
    DOCUMENT_FORMATS,
    FORMATS,
    content_type,
    file_format,
    file_response,
    render,
)
from kvarter.reports.render.docx import render_docx
from kvarter.reports.render.html import render_html
from kvarter.reports.render.xlsx import render_xlsx


def _document() -> Document:
    return Document(
        title="Rapport",
        blocks=[
            Heading("Del", 1),
            Paragraph("Text"),
            Table("Tabell", [Column("A"), Column("B", "number")], [["x", 1]]),
        ],
    )


def test_formats__table__one_content_type_and_extension_each() -> None:
    assert DOCUMENT_FORMATS == ("html", "pdf", "docx", "xlsx")
    assert content_type("pdf") == "application/pdf"
    assert content_type("docx").endswith("wordprocessingml.document")
    assert content_type("xlsx").endswith("spreadsheetml.sheet")
    assert content_type("json") == "application/json"
    assert content_type("html").startswith("text/html")
    assert {name: f.extension for name, f in FORMATS.items()} == {
        "html": "html",
        "pdf": "pdf",
        "docx": "docx",
        "xlsx": "xlsx",
        "json": "json",
    }
    assert file_format("docx").filename("rapport-1") == "rapport-1.docx"


def test_render__each_format__the_renderers_file() -> None:
    doc = _document()
    assert render(doc, "html") == render_html(doc).encode("utf-8")
    assert render(doc, "pdf").startswith(b"%PDF")
    word = docx.Document(BytesIO(render(doc, "docx")))
    assert [p.text for p in word.paragraphs if p.text == "Text"] == ["Text"]
    assert len(render(doc, "docx")) == len(render_docx(doc))
    book = openpyxl.load_workbook(BytesIO(render(doc, "xlsx")))
    assert book.sheetnames == openpyxl.load_workbook(BytesIO(render_xlsx(doc))).sheetnames


def test_render__json_or_unknown__refused() -> None:
    with pytest.raises(ValueError, match="json"):
        render(_document(), "json")
    with pytest.raises(ValueError, match="odt"):
        render(_document(), "odt")
    with pytest.raises(ValueError, match="odt"):
        content_type("odt")


def test_file_response__download_or_inline__content_type_and_name() -> None:
    response = file_response(b"%PDF-", "pdf", stem="rapport-7")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-7.pdf"'
    assert response.content == b"%PDF-"
    shown = file_response(b"<html>", "html", stem=None)
    assert shown["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Disposition" not in shown

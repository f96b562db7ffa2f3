"""PDF rendering: WeasyPrint prints the standalone HTML with A4 page rules added."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import translation
from weasyprint import HTML, URLFetcher

from kvarter.reports.document import Document
from kvarter.reports.render.html import page_label_css, render_html

# WeasyPrint logs every layout step at INFO; a report run by the CLI or a bench must not print
# hundreds of progress lines.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

# Margins leave room for the running footer; the footer repeats the title (taken from the h1
# with string-set, so no document text is ever pasted into CSS) and "Page N of M".
_PAGE_CSS = """
@page {
  size: A4;
  margin: 20mm 18mm 22mm 18mm;
  @bottom-left {
    content: string(kv-doc-title, first);
    font: 7.5pt "DejaVu Sans", sans-serif; color: #4a4a4a;
    width: 75%%; vertical-align: top; padding-top: 4mm;
  }
  @bottom-right {
    content: %(page_label)s;
    font: 7.5pt "DejaVu Sans", sans-serif; color: #4a4a4a;
    vertical-align: top; padding-top: 4mm;
  }
}
@page kv-wide { size: A4 landscape; }
.kv-report .kv-wide { page: kv-wide; }
.kv-title-page h1 { string-set: kv-doc-title content(text); }
/* The page number at the right end of a thin rule. (A leader(".") or a dotted border would lay
   out or draw every dot on its own, which took a tenth of the time of a whole report.) */
.kv-report .kv-toc li { border-bottom: 0.5pt solid #b8b8b8; }
.kv-report .kv-toc a::after { content: target-counter(attr(href url), page); float: right; }
html { font-family: "DejaVu Sans", sans-serif; }
"""


def _offline_fetcher() -> URLFetcher:
    """A fetcher that only reads data: URLs: a report must never reach the network or disk."""
    return URLFetcher(allowed_protocols=["data"], fail_on_errors=False)


@contextmanager
def _collector_skips_older_objects() -> Iterator[None]:
    """Let the cyclic garbage collector look only at objects made while the PDF is drawn.

    WeasyPrint makes hundreds of thousands of objects, so Python's collector runs hundreds of
    times per report; its full collections also walk every object Django and the app already
    hold (some 200,000), which took 0.3-0.5 s of a 2.5 s report. `gc.freeze` sets those aside
    until `gc.unfreeze`; WeasyPrint's own garbage is still collected as usual.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def render_pdf(doc: Document, *, extra_css: str = "") -> bytes:
    """The document as a tagged A4 PDF: title page, contents, running footer with page numbers.

    ``extra_css`` (our own rules, never user text) comes after the page rules, e.g. the
    situational picture's compact one-page layout.
    """
    with translation.override(doc.language):
        print_css = _PAGE_CSS % {"page_label": page_label_css()} + extra_css
    html = render_html(doc, standalone=True, print_css=print_css, chart_pictures=True)
    # Tags give the PDF its reading order and headings for screen readers (PDF/UA needs them).
    with _collector_skips_older_objects():
        pdf = HTML(string=html, base_url=None, url_fetcher=_offline_fetcher()).write_pdf(
            pdf_tags=True,
        )
    assert pdf is not None  # write_pdf only returns None when given a target
    return bytes(pdf)

"""The document model and its four renderers: HTML, PDF, Word and Excel from one `Document`."""

from __future__ import annotations

import base64
import gc
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from kvarter.reports import charts
from kvarter.reports.document import (
    STATUS_CODES,
    STATUS_COLOURS,
    Chart,
    Column,
    Document,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    StatusCell,
    Table,
)
from kvarter.reports.render.docx import render_docx
from kvarter.reports.render.html import render_html, report_css
from kvarter.reports.render.pdf import _offline_fetcher, render_pdf
from kvarter.reports.render.xlsx import render_xlsx, sheet_name

MEASURE_LABELS = {
    "done": "Genomförd",
    "in_progress": "Pågår",
    "not_done": "Ej genomförd",
    "not_reported": "Ej rapporterad",
}
GOAL_LABELS = {
    "met": "Uppfyllt",
    "partly_met": "Delvis uppfyllt",
    "not_met": "Ej uppfyllt",
    "on_track": "I fas",
}
AREAS = ["Fler i arbete", "Utbildning", "Trygghet", "En rikare fritid för alla"]
INJECTION = "=SUM(A1)"
MEASURES_CAPTION = "Åtgärder och deras status"


def _measure_rows() -> list[list]:
    codes = list(MEASURE_LABELS)
    rows: list[list] = []
    for i in range(60):
        code = codes[i % 4] if i < 56 else "done"  # uneven counts, so a swapped column shows
        rows.append(
            [
                f"{i // 15 + 1}.{i % 15 + 1}",
                f"Åtgärd {i + 1}: läxhjälp på Skäggetorps bibliotek",
                ["SOF", "UAF", "KoF", "Hyresbostäder"][i % 4],
                StatusCell(code, MEASURE_LABELS[code]),  # type: ignore[arg-type]
                1000 * i + 7,
                Decimal("12.5") if i % 2 else None,
            ]
        )
    rows[5][1] = INJECTION
    return rows


def _status_counts(rows: list[list]) -> list[tuple[str, dict[str, int]]]:
    counts = []
    for number, area in enumerate(AREAS):
        chunk = rows[number * 15 : (number + 1) * 15]
        counts.append((area, {c: sum(r[3].code == c for r in chunk) for c in MEASURE_LABELS}))
    counts.append(("Totalt", {c: sum(area[1][c] for area in counts) for c in MEASURE_LABELS}))
    return counts


def _sample_document(language: str = "sv") -> Document:
    rows = _measure_rows()
    counts = _status_counts(rows)
    chart = Chart(
        spec=charts.status_bar_chart(counts, MEASURE_LABELS, count_title="Antal åtgärder"),
        title="Status per målområde",
        description="Av 60 åtgärder är 19 genomförda, 14 pågår, 14 ej genomförda.",
        table=charts.status_table(
            counts,
            MEASURE_LABELS,
            caption="Status per målområde",
            group_label="Målområde",
            total_label="Totalt",
        ),
    )
    goals = Table(
        "Måluppfyllelse per mål",
        [Column("Mål", "text", 30), Column("Status", "status", 14)],
        [[f"Mål {n}", StatusCell(c, label)] for n, (c, label) in enumerate(GOAL_LABELS.items())],  # type: ignore[arg-type]
    )
    measures = Table(
        MEASURES_CAPTION,
        [
            Column("Nr", "text", 5),
            Column("Åtgärd", "text", 38),
            Column("Ansvarig", "text", 12),
            Column("Status", "status", 17),
            Column("Kostnad (kr)", "number", 10),
            Column("Andel", "number", 7),
        ],
        rows,
        sheet_name="Åtgärder",
    )
    return Document(
        title="Uppföljning av åtgärdsplan för Skäggetorp 2025",
        subtitle="Rapport till kommunstyrelsen",
        meta=[("Kommun", "Exempelstad"), ("Beslut", "KS 2020-754"), ("Uppföljning", "2025")],
        blocks=[
            Heading("Sammanfattning", 1),
            Paragraph("Arbetet har fortsatt. Tecken som <script> och & visas som text."),
            KeyFigures([("Åtgärder", 60), ("Andel genomförda", "32 %")], caption="Nyckeltal"),
            chart,
            Heading("Måluppfyllelse", 2),
            goals,
            PageBreak(),
            Heading("Åtgärder", 1),
            Heading("Detaljer", 3),
            measures,
        ],
        language=language,
    )


ALL_LABELS = [*MEASURE_LABELS.values(), *GOAL_LABELS.values()]


@pytest.fixture(scope="module")
def document() -> Document:
    return _sample_document()


@pytest.fixture(scope="module")
def pdf_bytes(document) -> bytes:
    return render_pdf(document)


def _words(text: str) -> str:
    return " ".join(text.split())


def _run(tool: str, *args: str, stdin: bytes | None = None) -> bytes:
    """Run a poppler tool by its full path, or skip the test where it is not installed."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed")
    # A fixed program and our own arguments: nothing here comes from outside the test.
    done = subprocess.run([path, *args], input=stdin, capture_output=True, check=True)  # noqa: S603
    return done.stdout


# --- the model -------------------------------------------------------------------------------


def test_table__row_of_wrong_width__rejected():
    with pytest.raises(ValueError, match="row 2"):
        Table("T", [Column("A"), Column("B")], [["a", "b"], ["only one"]])


def test_status_cell__unknown_code_or_empty_label__rejected():
    with pytest.raises(ValueError, match="unknown status"):
        StatusCell("finished", "Klar")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="label"):
        StatusCell("done", " ")


def test_heading__level_outside_1_to_3__rejected():
    with pytest.raises(ValueError, match="level"):
        Heading("Fyra", 4)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_status_colours__every_code__has_tint_readable_under_black_text():
    assert set(STATUS_COLOURS) == STATUS_CODES
    for code, colour in STATUS_COLOURS.items():
        contrast = (_luminance(colour.tint) + 0.05) / 0.05  # against black (luminance 0)
        assert contrast >= 4.5, code


# --- charts ----------------------------------------------------------------------------------


def test_status_bar_chart__spec__holds_counts_and_traffic_light_colours():
    rows = [("Trygghet", {"done": 3, "in_progress": 2}), ("Totalt", {"done": 3, "not_done": 1})]
    spec = charts.status_bar_chart(rows, MEASURE_LABELS)
    values = spec["datasets"][next(iter(spec["datasets"]))] if "datasets" in spec else None
    values = values or spec["data"]["values"]
    counts = {(v["group"], v["code"]): v["count"] for v in values}
    assert counts[("Trygghet", "done")] == 3
    assert counts[("Trygghet", "not_reported")] == 0
    assert counts[("Totalt", "not_done")] == 1
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == list(MEASURE_LABELS.values())
    assert scale["range"] == ["#2e7d32", "#f2b705", "#c62828", "#9e9e9e"]


def test_status_table__rows__match_chart_counts_with_total():
    table = charts.status_table(
        [("Trygghet", {"done": 3, "in_progress": 2})],
        MEASURE_LABELS,
        caption="Status",
        group_label="Målområde",
        total_label="Totalt",
    )
    assert [c.label for c in table.columns] == ["Målområde", *MEASURE_LABELS.values(), "Totalt"]
    assert list(table.rows[0]) == ["Trygghet", 3, 2, 0, 0, 5]


def test_chart_images__svg_and_png__drawn_offline():
    spec = charts.status_bar_chart([("Skäggetorp", {"done": 2})], MEASURE_LABELS)
    svg = charts.to_svg(spec)
    assert svg.lstrip().startswith("<svg") and "Skäggetorp" in svg and "Genomförd" in svg
    assert charts.to_png(spec, scale=1).startswith(b"\x89PNG")


# --- HTML ------------------------------------------------------------------------------------


def test_render_html__standalone__semantic_and_accessible(document):
    html = render_html(document)
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert "<h1>Uppföljning av åtgärdsplan för Skäggetorp 2025</h1>" in html
    # The title is the only h1, so the document's levels 1, 2 and 3 are h2, h3 and h4.
    assert re.search(r'<h2 id="[^"]+">Sammanfattning</h2>', html)
    assert re.search(r'<h3 id="[^"]+">Måluppfyllelse</h3>', html)
    assert re.search(r'<h4 id="[^"]+">Detaljer</h4>', html)
    assert f"<caption>{MEASURES_CAPTION}</caption>" in html
    assert "<caption>Måluppfyllelse per mål</caption>" in html
    # 6 measure columns, 2 goal columns, 6 columns in the chart's data table.
    assert html.count('<th scope="col"') == 14
    for code, label in {**MEASURE_LABELS, **GOAL_LABELS}.items():
        marker = f'class="kv-marker kv-status-{code}" aria-hidden="true"></span> {label}<'
        assert marker in html, label
    assert re.search(r'<svg [^>]*role="img" aria-label="Av 60 åtgärder är 19 genomförda', html)
    assert "Innehåll" in html


def test_render_html__chart_pictures__png_named_by_the_description_instead_of_svg(document):
    # The PDF renderer asks for pictures: WeasyPrint draws one box instead of every SVG node.
    html = render_html(document, chart_pictures=True)
    assert "<svg" not in html
    picture = re.search(
        r'<img class="kv-chart-picture" src="data:image/png;base64,([^"]+)" alt="([^"]+)"', html
    )
    assert picture and picture.group(2).startswith("Av 60 åtgärder är 19 genomförda")
    assert base64.b64decode(picture.group(1)).startswith(b"\x89PNG")


def test_render_html__user_text__escaped(document):
    html = render_html(document)
    assert "&lt;script&gt; och &amp;" in html
    assert "<script>" not in html


def test_render_html__fragment__no_page_wrapper(document):
    fragment = render_html(document, standalone=False)
    assert "<html" not in fragment and "<style" not in fragment
    assert fragment.lstrip().startswith('<article class="kv-report" lang="sv">')
    # The page around the fragment gets the same rules, status colours included.
    assert ".kv-report .kv-status-not_met { background-color: #c62828; }" in report_css()


def test_render_html__english_document__renderer_words_in_english():
    html = render_html(_sample_document(language="en"))
    assert "Contents" in html and "Innehåll" not in html


# --- PDF -------------------------------------------------------------------------------------


def test_render_pdf__sample__text_pages_and_numbers(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF")
    raw = _run("pdftotext", "-", "-", stdin=pdf_bytes).decode()
    text = _words(raw)
    assert "Uppföljning av åtgärdsplan för Skäggetorp 2025" in text
    assert "Sammanfattning" in text and "Ej rapporterad" in text and "Delvis uppfyllt" in text
    assert "Sida 1 av" in text
    pages = raw.split("\f")
    # The 60-row table runs over several pages and its header row is repeated on each.
    header_pages = [p for p in pages if "Ansvarig" in p and "Kostnad" in p]
    assert len(header_pages) >= 2
    assert f"Sida {len(pages) - 1} av {len(pages) - 1}" in text  # last form feed ends the text


def test_render_pdf__first_page__rasterises(pdf_bytes, tmp_path: Path):
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf_bytes)
    _run("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p"))
    images = list(tmp_path.glob("p*.png"))
    assert len(images) == 1 and images[0].read_bytes().startswith(b"\x89PNG")


def test_render_pdf__after_rendering__garbage_collector_as_before(pdf_bytes):
    # render_pdf sets older objects aside from the collector only while WeasyPrint draws.
    assert pdf_bytes.startswith(b"%PDF")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_pdf_fetcher__network_and_files__refused():
    fetcher = _offline_fetcher()
    for url in ("https://example.org/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


# --- Word ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word(document) -> docx.document.Document:
    return docx.Document(BytesIO(render_docx(document)))


def test_render_docx__headings__use_heading_styles(word):
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name != "Normal"]
    assert ("Title", "Uppföljning av åtgärdsplan för Skäggetorp 2025") in styled
    assert ("Heading 1", "Sammanfattning") in styled
    assert ("Heading 1", "Åtgärder") in styled
    assert ("Heading 2", "Måluppfyllelse") in styled
    assert ("Heading 3", "Detaljer") in styled


def test_render_docx__tables__texts_repeating_header_and_status_shading(word):
    measures = next(t for t in word.tables if t.rows[0].cells[0].text == "Nr")
    assert len(measures.rows) == 61
    assert [c.text for c in measures.rows[0].cells][3:5] == ["Status", "Kostnad (kr)"]
    assert measures.rows[6].cells[1].text == INJECTION
    assert measures.rows[2].cells[4].text == "1\xa0007"  # Swedish grouping, as in HTML/PDF
    header_flags = [t.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") for t in word.tables]
    # Every data table (not the title page's meta or the key figures) repeats its header.
    assert sum(flag is not None for flag in header_flags) == 3
    status = measures.rows[1].cells[3]
    assert status.text == "Genomförd"
    shading = status._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    assert shading.get(qn("w:fill")) == STATUS_COLOURS["done"].tint.lstrip("#").upper()


def test_render_docx__chart__picture_with_alt_text(word):
    assert len(word.inline_shapes) == 1
    properties = word.inline_shapes[0]._inline.docPr
    assert properties.get("descr").startswith("Av 60 åtgärder")


def test_render_docx__footer__page_fields_in_swedish(word):
    footer = word.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert "Sida " in footer and " av " in footer


# --- Excel -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(document) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(render_xlsx(document)))


def test_render_xlsx__sheets__summary_first_then_one_per_table(book):
    assert book.sheetnames == [
        "Sammanfattning",
        "Status per målområde",
        "Måluppfyllelse per mål",
        "Åtgärder",
    ]
    summary = [[c.value for c in row] for row in book["Sammanfattning"].iter_rows()]
    assert ["Beslut", "KS 2020-754"] in summary
    assert ["Åtgärder", 60] in summary  # key figures stay numbers


def test_render_xlsx__table_sheet__typed_cells_frozen_filtered_header(book):
    sheet = book["Åtgärder"]
    assert [c.value for c in sheet[1]] == [
        "Nr", "Åtgärd", "Ansvarig", "Status", "Kostnad (kr)", "Andel"
    ]  # fmt: skip
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F61"
    assert sheet["E3"].value == 1007 and sheet["E3"].data_type == "n"
    assert sheet["F3"].value == 12.5 and sheet["F3"].data_type == "n"
    assert sheet["D2"].value == "Genomförd"
    assert sheet["D2"].fill.fgColor.rgb.endswith(STATUS_COLOURS["done"].tint.lstrip("#").upper())


def test_render_xlsx__formula_like_text__stored_as_text(book):
    cell = book["Åtgärder"]["B7"]
    assert cell.value == INJECTION
    assert cell.data_type == "s"  # a formula would read back as data_type "f"
    assert cell.quotePrefix


def test_sheet_name__illegal_long_or_taken__made_legal_and_unique():
    taken: set[str] = set()
    assert sheet_name("Status: [Norrby]/Berga?", taken) == "Status Norrby Berga"
    long_name = sheet_name("Åtgärder inom målområdet Fler i arbete 2025", taken)
    assert long_name == "Åtgärder inom målområdet Fler i"
    again = sheet_name("åtgärder inom målområdet fler i arbete", taken)
    assert again == "åtgärder inom målområdet fl (2)" and len(again) == 31
    assert sheet_name("'History'", taken) == "History (2)"


# --- one document, the same numbers everywhere -----------------------------------------------


def test_renderers__same_document__same_status_counts(document, book, word):
    expected = {label: 0 for label in MEASURE_LABELS.values()}
    for row in _measure_rows():
        expected[row[3].label] += 1
    html = render_html(document)
    measures_html = html[html.index(f"<caption>{MEASURES_CAPTION}") :]
    measures_word = next(t for t in word.tables if t.rows[0].cells[0].text == "Nr")
    status_excel = [row[3].value for row in book["Åtgärder"].iter_rows(min_row=2)]
    for label, count in expected.items():
        assert measures_html.count(f"</span> {label}</td>") == count, label
        assert sum(r.cells[3].text == label for r in measures_word.rows[1:]) == count, label
        assert status_excel.count(label) == count, label
    totals = book["Status per målområde"]
    assert [c.value for c in totals[6]][1:] == [*expected.values(), 60]


# --- layout for print: one summary table, wide tables on landscape pages ---------------------


def test_render_html__chart__data_table_shown_once_inside_the_figure(document):
    html = render_html(document)
    figure = html[html.index('<figure class="kv-chart"') : html.index("</figure>")]
    # The table follows the image it describes, visible (not folded away in a <details>).
    assert figure.index("<svg") < figure.index("<caption>Status per målområde</caption>")
    assert html.count("<caption>Status per målområde</caption>") == 1
    assert "<details" not in html


def test_render_pdf__wide_table__landscape_page_with_its_heading(tmp_path: Path):
    columns = [Column(f"Kolumn {n}", "text", 10) for n in range(8)]
    rows = [[f"Långtextord{n} och lite mer text" for n in range(8)] for _ in range(3)]
    doc = Document(
        title="Bred rapport",
        blocks=[
            Heading("Smal text"),
            Paragraph("Ett stycke."),
            PageBreak(),
            Heading("Bred tabell"),
            Table("Åtta kolumner", columns, rows),
        ],
    )
    source = tmp_path / "wide.pdf"
    source.write_bytes(render_pdf(doc))
    info = _run("pdfinfo", "-f", "1", "-l", "9", str(source)).decode()
    sizes = [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+)", info)]
    assert len(sizes) == 4
    assert all(w < h for w, h in sizes[:3]), sizes  # title, contents, the narrow section
    assert sizes[3][0] > sizes[3][1], sizes
    last = _words(_run("pdftotext", "-f", "4", "-l", "4", str(source), "-").decode())
    assert "Bred tabell" in last and "Långtextord7" in last and "Sida 4 av 4" in last
    contents = _words(_run("pdftotext", "-layout", "-f", "2", "-l", "2", str(source), "-").decode())
    assert "Smal text 3" in contents and "Bred tabell 4" in contents

"""The yearly follow-up report: every format shows the counts of round_summary."""

from __future__ import annotations

import json
import re
import subprocess
from io import BytesIO

import docx
import lxml.html
import openpyxl
import pytest
from django.core.management import call_command
from tests.followup.test_round_summary import build_followup_plan

from kvarter.core.actors import SYSTEM
from kvarter.followup.documents.report import followup_document
from kvarter.followup.goal_fulfilment import round_report_summary
from kvarter.followup.selectors import STATUS_KEYS, round_summary, visible_measures
from kvarter.reports.document import Heading, StatusCell, Table
from kvarter.reports.render.docx import render_docx
from kvarter.reports.render.html import render_html
from kvarter.reports.render.pdf import render_pdf
from kvarter.reports.render.xlsx import render_xlsx

LABELS = {
    "done": "Genomförd",
    "in_progress": "Pågår",
    "not_done": "Ej genomförd",
    "not_reported": "Ej rapporterad",
}
NUMBER = re.compile(r"^\d+$")


@pytest.fixture
def followup(demo):
    return build_followup_plan(demo)


def _expected_rows(summary) -> dict[str, list[int]]:
    """Group label → the five numbers of its row in the summary tables (four counts, total)."""
    rows = {}
    for g in summary["goal_areas"]:
        counts = [g["counts"][k] for k in STATUS_KEYS]
        rows[f"{g['number']}. {g['name']}"] = [*counts, sum(counts)]
    total = [summary["total"][k] for k in STATUS_KEYS]
    rows["Totalt"] = [*total, sum(total)]
    return rows


def _count_rows(rows: list[list[str]], labels) -> dict[str, list[list[int]]]:
    """Every row that starts with one of `labels` and goes on with five whole numbers."""
    found: dict[str, list[list[int]]] = {}
    for row in rows:
        cells = [c.strip() for c in row if c is not None and c.strip() != ""]
        if len(cells) == 6 and cells[0] in labels and all(NUMBER.match(c) for c in cells[1:]):
            found.setdefault(cells[0], []).append([int(c) for c in cells[1:]])
    return found


def _assert_rows_agree(rows: list[list[str]], expected: dict[str, list[int]]) -> None:
    """Every summary row is shown with the expected numbers, and exactly once: the chart's
    data table is the report's one summary table."""
    found = _count_rows(rows, expected)
    assert set(found) == set(expected)
    for label, numbers in expected.items():
        assert found[label] == [numbers], (label, found[label])


def _html_parts(html: str) -> tuple[dict[str, int], list[list[str]]]:
    tree = lxml.html.fromstring(html)
    figures = {
        div.find("dt").text_content().strip(): int(div.find("dd").text_content())
        for div in tree.xpath("//div[@class='kv-key-figure']")
    }
    rows = [[td.text_content() for td in tr.findall("td")] for tr in tree.iter("tr")]
    return figures, rows


def test_followup_document__structure__sections_labels_and_merged_into(followup):
    doc = followup_document(followup.round, user=SYSTEM)
    assert doc.title == "Uppföljning av Åtgärdsplan 2025 2025"
    assert ("Beslut", "KS 2024-754") in doc.meta
    assert ("Kommun", "Exempelstad") in doc.meta
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings[:4] == ["Sammanfattning", "1. Fler i arbete", "2. Utbildning", "3. Trygghet"]
    assert "Förändringar till nästa plan" in headings
    [goal_area_2] = [b for b in doc.blocks if isinstance(b, Table) and b.caption.endswith(" 2")]
    assert [c.label for c in goal_area_2.columns] == [
        "Nr",
        "Åtgärd",
        "Område",
        "Ansvarig",
        "Finansiering och tid",
        "Status",
        "Kommentar",
        "Hantering nästa plan",
    ]
    by_number = {row[0]: row for row in goal_area_2.rows}
    assert by_number["2.1"][7] == "Ingår i annan åtgärd (2.3)"
    assert by_number["2.2"][2] == "Norrby och Västerdal"
    assert by_number["2.3"][2] == "Hela kommunen"
    assert by_number["2.2"][5] == StatusCell("not_reported", "Ej rapporterad")
    assert by_number["2.3"][5] == StatusCell("in_progress", "Pågår")


def test_followup_document__english__english_words(followup):
    doc = followup_document(followup.round, user=SYSTEM, language="en")
    assert doc.title == "Follow-up of Åtgärdsplan 2025 2025"
    assert doc.language == "en"


def test_json_summary_and_four_formats__agree_on_every_count(followup, tmp_path):
    """Acceptance: the JSON summary and HTML, PDF, Word and Excel agree on every count."""
    call_command("report", "followup", "Åtgärdsplan 2025", format="json", out=tmp_path / "r.json")
    summary = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    measures = visible_measures(SYSTEM, followup.plan)
    assert summary == round_report_summary(followup.round, measures)
    expected = _expected_rows(summary)
    figures = {LABELS[k]: summary["total"][k] for k in STATUS_KEYS}
    doc = followup_document(followup.round, user=SYSTEM)

    # HTML: the key figures and every summary row.
    html_figures, html_rows = _html_parts(render_html(doc))
    assert html_figures == figures
    _assert_rows_agree(html_rows, expected)

    # PDF: the text layer of the summary tables, columns split at runs of spaces.
    (tmp_path / "r.pdf").write_bytes(render_pdf(doc))
    text = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf_rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]
    _assert_rows_agree(pdf_rows, expected)

    # Word: the key figures (number above label) and the summary tables.
    word = docx.Document(BytesIO(render_docx(doc)))
    word_figures = {}
    word_rows = []
    for table in word.tables:
        for row in table.rows:
            word_rows.append([cell.text for cell in row.cells])
            for cell in row.cells:
                lines = [p.text for p in cell.paragraphs]
                if len(lines) == 2 and lines[1] in figures and NUMBER.match(lines[0]):
                    word_figures[lines[1]] = int(lines[0])
    assert word_figures == figures
    _assert_rows_agree(word_rows, expected)

    # Excel: the key figures on the summary sheet and the tables' sheets.
    book = openpyxl.load_workbook(BytesIO(render_xlsx(doc)))
    excel_rows = [
        ["" if v is None else str(v) for v in row]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    excel_figures = {r[0]: int(r[1]) for r in excel_rows if len(r) > 1 and r[0] in figures}
    assert excel_figures == figures
    _assert_rows_agree(excel_rows, expected)
    disposition_rows = {r[0]: r[1] for r in excel_rows if len(r) > 1}
    assert disposition_rows["Vidmakthålls"] == str(summary["dispositions"]["kept"])
    assert disposition_rows["Utgår"] == str(summary["dispositions"]["dropped"])


def test_followup_document__area_coordinator__only_own_and_whole_municipality(followup, demo_users):
    doc = followup_document(followup.round, user=demo_users["samordnare"])
    numbers = [
        row[0]
        for b in doc.blocks
        if isinstance(b, Table) and b.caption.startswith("Åtgärder i målområde")
        for row in b.rows
    ]
    assert numbers == ["1.1", "1.3", "1.4", "2.2", "2.3", "3.10"]
    _html_figures, html_rows = _html_parts(render_html(doc))
    summary = round_summary(
        followup.round, visible_measures(demo_users["samordnare"], followup.plan)
    )
    assert summary["total"] == {"done": 2, "in_progress": 1, "not_done": 1, "not_reported": 2}
    _assert_rows_agree(html_rows, _expected_rows(summary))


def test_followup_document__unit_filter__only_the_units_measures(followup):
    doc = followup_document(followup.round, user=SYSTEM, unit=followup.units["KoF"])
    numbers = [
        row[0]
        for b in doc.blocks
        if isinstance(b, Table) and b.caption.startswith("Åtgärder i målområde")
        for row in b.rows
    ]
    assert numbers == ["2.3", "3.2"]
    assert ("Urval", "Ansvarig enhet: KoF") in doc.meta


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "json", "html"])
def test_report_command__each_format__written(followup, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command(
        "report",
        "followup",
        str(followup.plan.pk),
        municipality="9999",
        round="2025",
        area="Norrby",
        format=fmt,
        out=out,
    )
    content = out.read_bytes()
    magic = {"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK", "json": b"{", "html": b"<!"}
    assert content.startswith(magic[fmt])
    if fmt == "json":
        # Norrby and the whole municipality: 1.1, 1.3, 2.2, 2.3, 3.10.
        assert json.loads(content)["total"] == {
            "done": 2,
            "in_progress": 1,
            "not_done": 1,
            "not_reported": 1,
        }


@pytest.mark.django_db
def test_report_command__unknown_plan__said_in_the_active_language_only(tmp_path):
    from django.core.management import CommandError
    from django.utils import translation

    out = tmp_path / "r.json"
    with translation.override("sv"), pytest.raises(CommandError) as swedish:
        call_command("report", "followup", "Finns inte", format="json", out=out)
    with translation.override("en"), pytest.raises(CommandError) as english:
        call_command("report", "followup", "Finns inte", format="json", out=out)
    assert str(swedish.value) == "Planen finns inte: Finns inte"
    assert str(english.value) == "No such plan: Finns inte"

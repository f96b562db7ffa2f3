"""The area profile as a report: PDF, Word, Excel and JSON show the same figures as the profile.

The expected figures are read from the AreaProfile the selector builds from the database, and
each format is read back (pdftotext, python-docx, openpyxl, json) and compared with them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import docx
import lxml.html
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from tests.factories import AreaFactory, MunicipalityFactory
from tests.indicators.test_pages import YEARS, build_profile_values

from kvarter.core.actors import SYSTEM
from kvarter.indicators import charts
from kvarter.indicators.documents import (
    area_profile_data,
    area_profile_document,
    render_area_profile,
    summary_table,
)
from kvarter.indicators.profile import area_profile
from kvarter.indicators.profile_types import AreaProfile
from kvarter.reports.document import Chart, Heading, Table
from kvarter.reports.render import cell_text
from kvarter.reports.render.html import render_html


@pytest.fixture
def profile(db) -> AreaProfile:
    municipality = MunicipalityFactory(code="0580", name="Linköping")
    area = AreaFactory(municipality=municipality, name="Skäggetorp")
    build_profile_values(area)
    return area_profile(actor=SYSTEM, area=area)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def _chart_rows(profile: AreaProfile) -> dict[str, list[list[str]]]:
    """Indicator code → the rows of its chart table as a reader sees them."""
    return {
        item.indicator.code: [[cell_text(c) for c in row] for row in charts.chart_table(item).rows]
        for item in profile.indicators
    }


def _summary_rows(profile: AreaProfile) -> list[list[str]]:
    return [[cell_text(c) for c in row] for row in summary_table(profile).rows]


# --- the document ------------------------------------------------------------------------------


def test_document__summary_then_a_chart_with_its_table_per_indicator(profile) -> None:
    doc = area_profile_document(profile)
    assert "Skäggetorp" in doc.title
    chart_blocks = [b for b in doc.blocks if isinstance(b, Chart)]
    assert len(chart_blocks) == len(profile.indicators) == 3
    for block, item in zip(chart_blocks, profile.indicators, strict=True):
        assert block.title == item.verdict
        assert block.description == charts.chart_summary(item)
        assert block.table == charts.chart_table(item, sheet_name=item.indicator.code)
        assert len(block.table.rows) == len(YEARS)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    for item in profile.indicators:
        assert item.indicator.name() in headings


def test_document__summary_rows_come_from_the_profile(profile) -> None:
    rows = _summary_rows(profile)
    for row, item in zip(rows, profile.indicators, strict=True):
        assert row[0].startswith(item.indicator.name())
        assert row[1] == item.latest.period == "2024"
        assert row[2] == cell_text(charts.decimal_value(item.latest.value, item.indicator))
        assert row[3] == item.baseline.period == "2015"
        assert row[5] == cell_text(
            charts.decimal_value(item.municipality_latest.value, item.indicator)
        )
        assert row[7] == item.verdict


def test_document__women_and_men_apart(profile) -> None:
    doc = area_profile_document(profile)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    by_sex = next(t for t in tables if t.sheet_name in ("Women and men", "Kvinnor och män"))
    assert len(by_sex.rows) == len(profile.indicators)
    for row, item in zip(by_sex.rows, profile.indicators, strict=True):
        women = next(s for s in item.series if (s.level, s.sex) == ("area", "K")).latest()
        men = next(s for s in item.series if (s.level, s.sex) == ("area", "M")).latest()
        assert row[2] == charts.decimal_value(women.value, item.indicator)
        assert row[3] == charts.decimal_value(men.value, item.indicator)
        assert row[2] != row[3]


def test_document__area_types_over_time(profile) -> None:
    doc = area_profile_document(profile)
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0].label == "År")
    assert [row[0] for row in table.rows] == ["2022", "2023"]


def test_document__excel_gets_tables_not_pictures(profile) -> None:
    doc = area_profile_document(profile, charts_as_pictures=False)
    assert not any(isinstance(b, Chart) for b in doc.blocks)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    codes = {item.indicator.code for item in profile.indicators}
    assert codes <= {t.sheet_name for t in tables}


# --- every format agrees -----------------------------------------------------------------------


def test_html__same_figures(profile) -> None:
    html = render_html(area_profile_document(profile))
    tree = lxml.html.fromstring(html)
    rows = [
        [" ".join(td.text_content().split()) for td in tr.findall("td")] for tr in tree.iter("tr")
    ]
    for row in _summary_rows(profile):
        assert row in rows
    for table in _chart_rows(profile).values():
        for row in table:
            assert row in rows


def test_pdf__same_figures(profile) -> None:
    pdf = render_area_profile(profile, "pdf")
    assert pdf.startswith(b"%PDF")
    text = _pdftotext(pdf)
    lines = [line.split() for line in text.splitlines()]
    for code, table in _chart_rows(profile).items():
        for row in table:
            assert row in lines, (code, row)
    words = " ".join(text.split())
    for item in profile.indicators:
        assert item.verdict in words


def _pdftotext(pdf: bytes) -> str:
    path = shutil.which("pdftotext")
    if path is None:
        pytest.skip("pdftotext is not installed")
    done = subprocess.run(  # noqa: S603 - a fixed program and our own arguments
        [path, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_docx__editable_headings_tables_and_charts_with_alt_text(profile) -> None:
    word = docx.Document(BytesIO(render_area_profile(profile, "docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for item in profile.indicators:
        assert item.indicator.name() in headings
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in word.tables]
    rows = [row for table in tables for row in table]
    for row in _summary_rows(profile):
        assert row in rows
    for table in _chart_rows(profile).values():
        for row in table:
            assert row in rows
    pictures = word.inline_shapes
    assert len(pictures) == len(profile.indicators)
    descriptions = [p._inline.docPr.get("descr") for p in pictures]
    assert descriptions == [charts.chart_summary(item) for item in profile.indicators]


def test_xlsx__a_sheet_per_indicator_with_numbers(profile) -> None:
    book = openpyxl.load_workbook(BytesIO(render_area_profile(profile, "xlsx")))
    for item in profile.indicators:
        sheet = book[item.indicator.code]
        assert not sheet._charts  # a time series is not drawn as stacked bars
        table = charts.chart_table(item)
        assert [c.value for c in sheet[1]] == [c.label for c in table.columns]
        for number, row in enumerate(table.rows, start=2):
            cells = [c.value for c in sheet[number]]
            for got, expected in zip(cells, row, strict=True):
                if isinstance(expected, Decimal):
                    assert Decimal(str(got)) == expected
                else:
                    assert got == expected
    summary = book[book.sheetnames[1]]
    names = [row[0].value for row in summary.iter_rows(min_row=2)]
    assert names == [r[0] for r in summary_table(profile).rows]


def test_json__the_profile_as_data_the_same_as_the_api(profile, client) -> None:
    data = json.loads(render_area_profile(profile, "json"))
    assert data == json.loads(json.dumps(area_profile_data(profile)))
    api = client.get(f"/api/v1/areas/{profile.area.pk}/profile/", HTTP_ACCEPT_LANGUAGE="sv")
    assert api.status_code == 200
    assert api.json() == data
    for got, item in zip(data["indicators"], profile.indicators, strict=True):
        assert got["latest"]["value"] == item.latest.value
        assert got["verdict"] == item.verdict
        hidden = [
            p
            for s in got["series"]
            if s["level"] == "area"
            for p in s["points"]
            if p["status"] == "suppressed"
        ]
        assert hidden and all(p["value"] is None for p in hidden)


def test_render__unknown_format_refused(profile) -> None:
    with pytest.raises(ValueError, match="format"):
        render_area_profile(profile, "odt")


# --- the CLI -----------------------------------------------------------------------------------


def test_cli__report_profile_writes_every_format(profile, tmp_path) -> None:
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK"), ("json", b"{")):
        out = tmp_path / f"profil.{fmt}"
        call_command("report", "profile", str(profile.area.pk), "--format", fmt, "--out", str(out))
        assert out.read_bytes().startswith(magic), fmt
    data = json.loads((tmp_path / "profil.json").read_text(encoding="utf-8"))
    assert [i["indicator"]["code"] for i in data["indicators"]] == [
        i.indicator.code for i in profile.indicators
    ]


def test_cli__unknown_area_or_html_refused(profile, tmp_path) -> None:
    from django.utils import translation

    out = tmp_path / "x.pdf"
    with translation.override("sv"):
        with pytest.raises(CommandError) as unknown:
            call_command("report", "profile", "999999", "--format", "pdf", "--out", str(out))
        with pytest.raises(CommandError) as html:
            call_command(
                "report", "profile", str(profile.area.pk), "--format", "html", "--out", str(out)
            )
    # In the active language only, not "sv / en".
    assert str(unknown.value) == "Området finns inte: 999999"
    assert str(html.value).startswith("En områdesprofil finns som ")
    with translation.override("en"), pytest.raises(CommandError, match="No such area: 999999"):
        call_command("report", "profile", "999999", "--format", "pdf", "--out", str(out))
    assert not out.exists()

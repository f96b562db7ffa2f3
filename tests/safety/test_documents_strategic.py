"""The EST strategic summary and the crime-prevention draft: counts per area and category,
changes against the previous quarter and the same quarter last year, suppression for readers
outside the areas, purged months still counted, and every format renders."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document as WordDocument
from openpyxl import load_workbook
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    PlaceFactory,
)

from kvarter.reports.document import Heading, KeyFigures, Paragraph, Table
from kvarter.reports.formats import render
from kvarter.safety.documents.strategic import (
    crime_prevention_document,
    est_strategic_document,
)
from kvarter.safety.models import MonthlyAggregate

pytestmark = pytest.mark.django_db

MARKER = "Strategimarkör i texten"


@pytest.fixture
def s():
    north = AreaFactory(name="Norr")
    municipality = north.municipality
    south = AreaFactory(name="Söder", municipality=municipality)
    graffiti = IncidentCategoryFactory(municipality=municipality, name="Klotter", order=1)
    fire = IncidentCategoryFactory(municipality=municipality, name="Brand", order=2)
    square = PlaceFactory(area=north, name="Torget")

    def events(area, category, when, n, **kw):
        for _ in range(n):
            report = IncidentReportFactory(municipality=municipality, submitted_at=when)
            IncidentEventFactory(
                area=area, report=report, category=category, occurred_at=when, text=MARKER, **kw
            )

    events(north, graffiti, dt.datetime(2026, 8, 10, 12, tzinfo=dt.UTC), 10, place=square)
    events(north, graffiti, dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC), 5, place=square)
    events(north, fire, dt.datetime(2026, 8, 11, 12, tzinfo=dt.UTC), 1)
    events(south, graffiti, dt.datetime(2026, 7, 2, 12, tzinfo=dt.UTC), 2)
    # Q3 2025 was purged: only its monthly count remains.
    MonthlyAggregate.objects.create(
        municipality=municipality,
        area=north,
        category=graffiti,
        place=square,
        month=dt.date(2025, 8, 1),
        count=20,
    )
    return {"municipality": municipality, "north": north, "south": south}


def _table(doc, caption):
    return next(b for b in doc.blocks if isinstance(b, Table) and b.caption == caption)


def _rows(table):
    return {row[0]: list(row[1:]) for row in table.rows}


def test_strategic__quarter_changes_and_purged_months(s) -> None:
    doc = est_strategic_document(
        municipality=s["municipality"], year=2026, quarter=3, exact_area_ids=[s["north"].pk]
    )
    north = _rows(_table(doc, "Norr"))
    # Klotter: Q3 2026 10, Q2 2026 5 (+100 %), Q3 2025 20 from the kept monthly count (-50 %).
    assert north["Klotter"] == [10, 5, "+100 %", 20, "-50 %"]
    assert north["Brand"][0] == 1  # the reader's own area: exact
    south = _rows(_table(doc, "Söder"))
    assert south["Klotter"][0] == "< 3" and south["Klotter"][2] == "–"


def test_strategic__management_reader__small_counts_hidden_everywhere(s) -> None:
    doc = est_strategic_document(
        municipality=s["municipality"], year=2026, quarter=3, language="en"
    )
    north = _rows(_table(doc, "Norr"))
    assert north["Brand"][0] == "< 3"
    whole = _rows(_table(doc, "Whole municipality"))
    # Brand is 1 in Norr and 0 in Söder: the total would give the hidden cell away.
    assert whole["Brand"][0] == "< 3"
    # Klotter: Norr 10 shown, Söder 2 hidden; the total 12 would reveal Söder's 2.
    assert whole["Klotter"][0] == "–"
    key = next(b for b in doc.blocks if isinstance(b, KeyFigures))
    # 13 = 10 + three hidden cells (zero included) summing to 3: none given away.
    assert key.items[0] == ("2026 Q3", 13)
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                assert 1 not in row[1:] and 2 not in row[1:]


def test_strategic__year_without_quarter(s) -> None:
    doc = est_strategic_document(
        municipality=s["municipality"],
        year=2026,
        exact_area_ids=[s["north"].pk, s["south"].pk],
        language="en",
    )
    whole = _rows(_table(doc, "Whole municipality"))
    assert whole["Klotter"] == [17, 20, "-15 %"]
    key = next(b for b in doc.blocks if isinstance(b, KeyFigures))
    assert key.items[0] == ("2026", 18)


def test_strategic__year_figure_hidden_when_a_quarter_of_it_is(s) -> None:
    # Klotter 2026: Q1 0 and Q4 0 ('< 3' in the trend), Q2 5 and Q3 12 hidden ('–': beside
    # Söder's hidden 0 and 2); the year's 17 would be a sum of hidden quarters, hidden too.
    doc = est_strategic_document(municipality=s["municipality"], year=2026, language="en")
    trend = _rows(_table(doc, "Reports per quarter, whole municipality"))
    assert trend["Klotter"][-4:] == ["< 3", "–", "–", "< 3"]
    whole = _rows(_table(doc, "Whole municipality"))
    assert whole["Klotter"][0] == "–"
    north = _rows(_table(doc, "Norr"))
    assert north["Klotter"][0] == "–"  # Norr's quarters: 0, 5, 10, 0
    key = next(b for b in doc.blocks if isinstance(b, KeyFigures))
    assert key.items[0] == ("2026", "–")


def test_crime_prevention__structure_and_draft_notice(s) -> None:
    doc = crime_prevention_document(municipality=s["municipality"], year=2026, language="en")
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    for expected in (
        "About this draft",
        "Purpose",
        "Sources and method",
        "Situational picture per area and category",
        "Development over time",
        "Places that recur",
        "Conclusions",
    ):
        assert expected in headings
    text = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "DRAFT" in text and "2023:196" in text and "police" in text
    places = _rows(_table(doc, "Places with the most reports"))
    assert places["Torget"][:2] == ["Norr", 35]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_documents__render_without_texts(s, fmt) -> None:
    doc = est_strategic_document(municipality=s["municipality"], year=2026, quarter=3)
    content = render(doc, fmt)
    assert content[:2] in (b"%P", b"PK")
    if fmt == "docx":
        word = WordDocument(BytesIO(content))
        body = " ".join(p.text for p in word.paragraphs)
        assert MARKER not in body
    if fmt == "xlsx":
        workbook = load_workbook(BytesIO(content))
        assert len(workbook.sheetnames) > 1


def test_report_command__est_strategic_and_crime_prevention(s, tmp_path: Path) -> None:
    code = s["municipality"].code
    out = tmp_path / "est.xlsx"
    call_command(
        "report",
        "est-strategic",
        "--municipality",
        code,
        "--year",
        "2026",
        "--quarter",
        "3",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    assert out.read_bytes()[:2] == b"PK"
    out = tmp_path / "lagesbild.docx"
    call_command(
        "report",
        "crime-prevention",
        "--municipality",
        code,
        "--year",
        "2026",
        "--format",
        "docx",
        "--out",
        str(out),
    )
    word = WordDocument(str(out))
    assert any("2023:196" in p.text for p in word.paragraphs)


def test_strategic_page__reader_sees_hidden_counts_and_downloads(client, s) -> None:
    from django.urls import reverse
    from tests.factories import UserFactory

    from kvarter.accounts.roles import Role

    reader = UserFactory.create_with_role(Role.READER, s["municipality"])
    client.force_login(reader)
    query = f"?kommun={s['municipality'].code}&ar=2026&kvartal=3"
    page = client.get(reverse("safety:strategic") + query)
    assert page.status_code == 200
    body = page.content.decode()
    assert MARKER not in body and "&lt; 3" in body
    download = client.get(reverse("safety:strategic_download") + query + "&format=xlsx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    draft = client.get(
        reverse("safety:strategic_download")
        + f"?kommun={s['municipality'].code}&ar=2026&dokument=crime-prevention&format=docx"
    )
    word = WordDocument(BytesIO(draft.content))
    assert any("2023:196" in p.text for p in word.paragraphs)


def test_strategic_page__other_municipality__not_found(client, s) -> None:
    from django.urls import reverse
    from tests.factories import UserFactory

    from kvarter.accounts.roles import Role

    stranger = UserFactory.create_with_role(Role.READER, AreaFactory().municipality)
    client.force_login(stranger)
    query = f"?kommun={s['municipality'].code}&ar=2026"
    assert client.get(reverse("safety:strategic") + query).status_code == 404


def test_report_command__refusals__in_the_active_language_only(tmp_path: Path) -> None:
    from django.core.management import CommandError
    from django.utils import translation

    out = str(tmp_path / "est.xlsx")
    args = ["report", "est-strategic", "--format", "xlsx", "--out", out]
    with translation.override("sv"), pytest.raises(CommandError) as swedish:
        call_command(*args, "--municipality", "0000", "--year", "2026", "--quarter", "3")
    with translation.override("en"), pytest.raises(CommandError) as english:
        call_command(*args, "--municipality", "0000", "--year", "2026", "--quarter", "3")
    assert str(swedish.value) == "Kommunen 0000 finns inte."
    assert str(english.value) == "No such municipality: 0000."

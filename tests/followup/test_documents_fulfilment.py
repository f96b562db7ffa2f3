"""Goal fulfilment in the follow-up report: JSON and the four formats agree on every count."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from io import BytesIO

import docx
import lxml.html
import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation
from tests.factories import IndicatorFactory, IndicatorValueFactory
from tests.followup.test_round_summary import build_followup_plan

from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.followup.documents.fulfilment import assessment_labels, fulfilment_labels
from kvarter.followup.documents.report import followup_document
from kvarter.followup.services import criterion_assess
from kvarter.indicators.models import Unit
from kvarter.plans import goal_services as gs
from kvarter.reports.render.docx import render_docx
from kvarter.reports.render.html import render_html
from kvarter.reports.render.pdf import render_pdf
from kvarter.reports.render.xlsx import render_xlsx

# (area, {(sex, year): value}, targets T/K/M) → on track (T), not met (K), met (M) …
# None: the figure is suppressed at the source.
CRITERIA = [
    ("", {("T", 2022): "50", ("T", 2025): "58"}, ("60", None, None)),  # on track
    (
        "Norrby",
        {("K", 2022): "40", ("K", 2024): "41", ("M", 2022): "60", ("M", 2024): "66"},
        (None, "55", "65"),  # women behind the line, men past the target
    ),
    ("Åsen", {("T", 2022): None, ("T", 2024): "28"}, ("30", None, None)),  # no data
]
ASSESSMENTS = ["met", "partly_met", None]


@pytest.fixture
def followup(demo):
    setup = build_followup_plan(demo)
    goal_area = setup.plan.goal_areas.order_by("number").first()
    goal = gs.goal_create(
        actor=SYSTEM, goal_area=goal_area, data={"number": 1, "title": "Ökad trygghet"}
    )
    areas = {a.name: a for a in Area.objects.filter(municipality=demo)}
    for i, (area_name, values, (t, k, m)) in enumerate(CRITERIA, start=1):
        indicator = IndicatorFactory(code=f"indikator-{i}", name_sv=f"Indikator {i}")
        area = areas.get(area_name)
        for (sex, year), value in values.items():
            IndicatorValueFactory(
                indicator=indicator,
                area=area,
                region_code="" if area else demo.code,
                period=str(year),
                sex=sex,
                value=None if value is None else float(value),
                status="ok" if value is not None else "suppressed",
            )
        gs.quantitative_criterion_create(
            actor=SYSTEM,
            goal=goal,
            data={
                "indicator": indicator,
                "area": area,
                "baseline_year": 2022,
                "target_year": 2026,
                "target_value": t and Decimal(t),
                "target_value_women": k and Decimal(k),
                "target_value_men": m and Decimal(m),
            },
        )
    for assessment in ASSESSMENTS:
        criterion = gs.qualitative_criterion_create(
            actor=SYSTEM, goal=goal, data={"text": "Ett kriterium"}
        )
        if assessment:
            criterion_assess(
                actor=SYSTEM, round=setup.round, criterion=criterion, assessment=assessment
            )
    return setup


def _expected_rows(counts) -> dict[tuple[str, str], int]:
    with translation.override("sv"):
        fulfilment, assessments = fulfilment_labels(), assessment_labels()
        quantitative, qualitative = (
            translation.gettext("Quantitative targets"),
            translation.gettext("Qualitative criteria"),
        )
    rows = {(quantitative, fulfilment[k]): n for k, n in counts["quantitative"].items()}
    rows |= {(qualitative, assessments[k]): n for k, n in counts["qualitative"].items()}
    return rows


def _found(rows: list[list[str]], expected) -> dict[tuple[str, str], int]:
    found = {}
    for row in rows:
        cells = [c.strip() for c in row if c is not None and c.strip()]
        if len(cells) == 3 and (cells[0], cells[1]) in expected and cells[2].isdigit():
            found[(cells[0], cells[1])] = int(cells[2])
    return found


def test_goal_fulfilment__json_and_four_formats__agree(followup, tmp_path):
    call_command("report", "followup", "Åtgärdsplan 2025", format="json", out=tmp_path / "r.json")
    counts = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["goal_fulfilment"]
    targets = counts.pop("targets")
    assert counts == {
        "quantitative": {"met": 1, "on_track": 1, "not_met": 1, "no_data": 1},
        "qualitative": {"met": 1, "partly_met": 1, "not_met": 0, "not_assessed": 1},
    }
    assert [(t["indicator"], t["place"], t["sex"], t["status"]) for t in targets] == [
        ("indikator-1", "Exempelstad", "T", "on_track"),
        ("indikator-2", "Norrby", "K", "not_met"),
        ("indikator-2", "Norrby", "M", "met"),
        ("indikator-3", "Åsen", "T", "no_data"),
    ]
    expected = _expected_rows(counts)
    doc = followup_document(followup.round, user=SYSTEM)

    tree = lxml.html.fromstring(render_html(doc))
    html_rows = [[td.text_content() for td in tr.xpath("th|td")] for tr in tree.iter("tr")]
    assert _found(html_rows, expected) == expected

    (tmp_path / "r.pdf").write_bytes(render_pdf(doc))
    text = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf_rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]
    assert _found(pdf_rows, expected) == expected

    word = docx.Document(BytesIO(render_docx(doc)))
    word_rows = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert _found(word_rows, expected) == expected

    book = openpyxl.load_workbook(BytesIO(render_xlsx(doc)))
    excel_rows = [
        ["" if v is None else str(v) for v in row]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert _found(excel_rows, expected) == expected


def test_goal_fulfilment__area_filter__keeps_that_area_and_whole_municipality(followup, tmp_path):
    call_command(
        "report",
        "followup",
        "Åtgärdsplan 2025",
        format="json",
        area="Åsen",
        out=tmp_path / "r.json",
    )
    counts = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["goal_fulfilment"]
    # The municipality's criterion (on track) and Åsen's (no data); Norrby's two targets are out.
    assert counts["quantitative"] == {"met": 0, "on_track": 1, "not_met": 0, "no_data": 1}


def test_goal_fulfilment__unit_filter__section_left_out(followup, tmp_path):
    call_command(
        "report", "followup", "Åtgärdsplan 2025", format="json", unit="SOF", out=tmp_path / "r.json"
    )
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["goal_fulfilment"] is None


def test_goal_fulfilment__table__indicator_place_baseline_latest_target_by_sex(followup):
    doc = followup_document(followup.round, user=SYSTEM, language="sv")
    tree = lxml.html.fromstring(render_html(doc))
    rows = [
        " | ".join(" ".join(td.text_content().split()) for td in tr.xpath("th|td"))
        for tr in tree.iter("tr")
    ]
    with translation.override("sv"):  # the unit in the report's language
        unit = str(Unit.PERCENT.label)
    expected = [
        f"1.1 | Indikator 1 ({unit}) | Exempelstad | Totalt | 50,0 (2022) | 60,0 (2026) | "
        "58,0 (2025) | På väg",
        f"1.1 | Indikator 2 ({unit}) | Norrby | Kvinnor | 40,0 (2022) | 55,0 (2026) | "
        "41,0 (2024) | Ej uppfyllt",
        f"1.1 | Indikator 2 ({unit}) | Norrby | Män | 60,0 (2022) | 65,0 (2026) | "
        "66,0 (2024) | Uppfyllt",
        # The suppressed baseline is shown as missing, not as 0.
        f"1.1 | Indikator 3 ({unit}) | Åsen | Totalt | – | 30,0 (2026) | 28,0 (2024) | "
        "Underlag saknas",
    ]
    assert [r for r in rows if r.startswith("1.1 | Indikator")] == expected

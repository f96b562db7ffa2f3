"""The situational picture's one-page PDF and its JSON: one A4 page for a typical week of
Exempelstad, and the same counts as the selector."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import subprocess
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from tests.factories import IncidentEventFactory, IncidentReportFactory

from kvarter.accounts.models import Organisation, User
from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.reports.document import Table
from kvarter.safety.documents.picture import picture_data, picture_document, render_picture
from kvarter.safety.models import (
    Deployment,
    IncidentCategory,
    Place,
    RawReadLog,
    Resource,
)
from kvarter.safety.picture.rules import IsoWeek
from kvarter.safety.picture.selectors import situational_picture

TZ = ZoneInfo("Europe/Stockholm")
WEEK = IsoWeek(2026, 48)
TEXTS = ["Krossad busskur", "Ungdomar samlades", "Klotter på väggen", "Lampan trasig", ""]


def build_demo_weeks(municipality: Municipality, *, per_week: int = 60, seed: int = 48) -> None:
    """A typical week of Exempelstad (and the four before, and last year's): about ``per_week``
    approved events spread over its areas, places, categories and hours, a few pending; three
    deployments during the week with their outcome and two decided for the next."""
    rng = random.Random(seed)
    areas = list(Area.objects.filter(municipality=municipality).order_by("name"))
    places = {a.pk: list(Place.objects.filter(area=a)) for a in areas}
    categories = list(IncidentCategory.objects.filter(municipality=municipality))
    organisations = list(Organisation.objects.filter(municipality=municipality))
    weeks = [WEEK.shifted(-k) for k in range(5)] + [WEEK.same_week_last_year()]
    for week in weeks:
        for number in range(per_week + rng.randint(-10, 10)):
            area = rng.choice(areas[:2] * 3 + areas)  # the first two areas are busier
            place = rng.choice([*places[area.pk], None])
            evening = rng.random() < 0.6
            moment = week.start.astimezone(TZ) + dt.timedelta(
                days=rng.randrange(7),
                hours=rng.choice([19, 20, 21, 22, 23]) if evening else rng.randrange(24),
                minutes=rng.randrange(60),
            )
            report = IncidentReportFactory(
                municipality=municipality,
                organisation=rng.choice(organisations),
                review_state="pending" if number % 25 == 24 else "approved",
                submitted_at=moment,
            )
            lat = place.latitude if place else None
            lon = place.longitude if place else None
            IncidentEventFactory(
                report=report,
                area=area,
                place=place,
                category=rng.choice(categories[:6] * 2 + categories),
                occurred_at=moment,
                latitude=lat + rng.uniform(-0.0004, 0.0004) if lat else None,
                longitude=lon + rng.uniform(-0.0004, 0.0004) if lon else None,
                text=rng.choice(TEXTS),
                severity=rng.choice([None, 1, 2, 3]),
            )
    resources = list(Resource.objects.filter(municipality=municipality))
    monday = WEEK.monday
    plans = [
        (0, 0, "done", "Lugnt på fredagskvällen; samtal med ett tiotal ungdomar."),
        (1, 0, "partly", "Två av tre kvällar; väktarbilen behövdes annanstans på lördagen."),
        (0, 1, "not_done", "Inställt: sjukdom."),
        (1, 7, "", ""),
        (2, 7, "", ""),
    ]
    for number, (area_index, offset, outcome, note) in enumerate(plans):
        area = areas[area_index]
        Deployment.objects.create(
            area=area,
            place=(places[area.pk] or [None])[0],
            resource=resources[number % len(resources)],
            starts_on=monday + dt.timedelta(days=offset),
            ends_on=monday + dt.timedelta(days=offset + 4),
            weekdays=[5, 6] if number % 2 else [],
            time_from=dt.time(19),
            time_to=dt.time(23),
            purpose="Närvaro kvällstid vid centrum och tunneln",
            decided_on=monday - dt.timedelta(days=3),
            outcome=outcome,
            outcome_note=note,
        )


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
            ["/usr/bin/pdfinfo", handle.name], capture_output=True, text=True, check=True
        ).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
            ["/usr/bin/pdftotext", "-layout", handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


@pytest.fixture
def demo_weeks(demo: Municipality) -> Municipality:
    build_demo_weeks(demo)
    return demo


def test_picture_pdf__a_typical_week_fits_one_page(demo_weeks: Municipality) -> None:
    member = User.objects.get(username="est")
    picture = situational_picture(actor=member, municipality=demo_weeks, week=WEEK, door="pdf")
    pdf = render_picture(picture, "pdf")
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert "48 2026" in text  # the title: the week and its year
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    (out / "est-picture.pdf").write_bytes(pdf)


def test_picture_pdf__all_areas_as_system_fits_one_page(demo_weeks: Municipality) -> None:
    picture = situational_picture(actor=SYSTEM, municipality=demo_weeks, week=WEEK, door="cli")
    assert pdf_pages(render_picture(picture, "pdf")) == 1


def test_picture_document__counts_agree_with_the_selector(demo_weeks: Municipality) -> None:
    picture = situational_picture(actor=SYSTEM, municipality=demo_weeks, week=WEEK)
    doc = picture_document(picture)
    categories, areas = [b for b in doc.blocks if isinstance(b, Table)][:2]
    for row, cells in zip(picture.categories, categories.rows, strict=False):
        assert cells[0] == row.label
        assert cells[1] == row.week.text
        assert cells[2] == row.mean.text
        assert cells[4] == row.last_year.text
    assert [cells[1] for cells in areas.rows[:-1]] == [r.week.text for r in picture.by_area]
    assert categories.rows[-1][1] == picture.total.week.text
    assert picture.total.week.value == sum(r.week.value for r in picture.categories)
    data = picture_data(picture)
    assert data["total"]["week"]["value"] == picture.total.week.value
    assert sum(c["value"] for day in data["timeline"]["counts"] for c in day) == (
        picture.total.week.value
    )
    assert len(data["reports"]) == picture.total.week.value


def test_report_command__picture_as_json_and_pdf(demo_weeks: Municipality, tmp_path) -> None:
    out = tmp_path / "picture.json"
    call_command(
        "report", "picture", "--municipality", demo_weeks.code, "--week", "2026-W48",
        "--area", "Norrby", "--format", "json", "--out", str(out),
    )  # fmt: skip
    data = json.loads(out.read_text())
    assert data["week"] == "2026-W48"
    assert [a["name"] for a in data["areas"]] == ["Norrby"]
    expected = situational_picture(
        actor=SYSTEM, municipality=demo_weeks, week=WEEK, areas=data["raw_areas"]
    )
    assert data["total"]["week"]["value"] == expected.total.week.value
    pdf = tmp_path / "picture.pdf"
    call_command(
        "report", "picture", "--municipality", demo_weeks.code, "--week", "2026-W48",
        "--format", "pdf", "--out", str(pdf),
    )  # fmt: skip
    assert pdf_pages(pdf.read_bytes()) == 1
    assert RawReadLog.objects.filter(door="cli").count() == 2

"""Permission matrix of the situational picture: every role through the page, the PDF and the
API. Only EST members of an area (and superusers) see its reports and its small counts; every
other reader sees no count below the threshold anywhere, and no report text."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import tempfile
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.test import Client
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlaceFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.safety.models import RawReadLog

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Stockholm")
TEXT_A = "Trasig belysning i tunneln"
TEXT_B = "Hemlig iakttagelse vid torget"
THRESHOLD = 3


@pytest.fixture
def world():
    municipality = MunicipalityFactory()
    a = AreaFactory(municipality=municipality, name="Alfa")
    b = AreaFactory(municipality=municipality, name="Beta")
    place_b = PlaceFactory(area=b, name="Betatorget")
    cats = [IncidentCategoryFactory(municipality=municipality, name=f"Kat {i}") for i in range(2)]
    org = OrganisationFactory(municipality=municipality)

    def event(area, category, day, hour, text, place=None):
        IncidentEventFactory(
            area=area,
            category=category,
            place=place,
            report__organisation=org,
            occurred_at=dt.datetime(2026, 11, 23 + day, hour, 10, tzinfo=TZ),
            text=text,
        )

    event(a, cats[0], 0, 20, TEXT_A)
    event(a, cats[0], 1, 21, TEXT_A)
    event(b, cats[0], 2, 22, TEXT_B, place_b)  # a single event: below the threshold
    for day in range(4):
        event(b, cats[1], day, 18, TEXT_B, place_b)
    return {"municipality": municipality, "a": a, "b": b, "place_b": place_b}


ROLES = [
    # role, areas given to it, raw areas it sees (names)
    (Role.ADMINISTRATOR, False, set()),
    (Role.STRATEGIST, False, set()),
    (Role.AREA_COORDINATOR, True, set()),
    (Role.UNIT_REPORTER, False, set()),
    (Role.READER, False, set()),
    (Role.EST_MEMBER, True, {"Alfa"}),
]


def _user(world, role, scoped):
    return UserFactory.create_with_role(
        role, world["municipality"], areas=[world["a"]] if scoped else []
    )


def _query(world):
    areas = f"omrade={world['a'].pk}&omrade={world['b'].pk}"
    return f"?kommun={world['municipality'].code}&vecka=2026-W48&{areas}"


def _small_number(text: str, scale: int = 1) -> bool:
    """Is ``text`` a shown count below the threshold (a mean: below threshold / 4)?"""
    text = text.strip().replace("\xa0", "")
    if not re.fullmatch(r"\d+(,\d+)?", text):
        return False
    return float(text.replace(",", ".")) * scale < THRESHOLD


def _html_small_counts(html: str, raw_areas: set[str]) -> list[str]:
    tree = lxml.html.fromstring(html)
    found = []
    for table in tree.xpath("//table[contains(@class, 'picture-table')]"):
        head = [th.text_content().strip() for th in table.xpath(".//thead/tr/th")]
        for tr in table.xpath(".//tbody/tr|.//tfoot/tr"):
            cells = [c.text_content() for c in tr.xpath("th|td")]
            if {c.strip() for c in cells[:2]} & raw_areas:
                continue  # the member's own area (or a place in it)
            for label, text in zip(head, cells, strict=False):
                scale = 4 if label.startswith(("Mean", "Medel", "Snitt")) else 1
                if _small_number(text, scale):
                    found.append(f"{cells[0]} / {label}: {text}")
    timeline = tree.xpath("//details[contains(@class, 'picture-timeline-table')]//td")
    found += [
        f"timeline: {td.text_content()}" for td in timeline if _small_number(td.text_content())
    ]
    return found


def _json_small_counts(data, raw_area_names: set[str]) -> list[str]:
    found = []

    def walk(node, scale=1, owner=()):
        if isinstance(node, dict):
            if set(node) == {"value", "text", "hidden"}:
                small = node["value"] is not None and node["value"] * scale < THRESHOLD
                if small and not set(owner) & raw_area_names:
                    found.append(f"{owner}: {node}")
                return
            names = tuple(v for k, v in node.items() if k in ("name", "area") and v) or owner
            for key, value in node.items():
                walk(value, 4 if key == "mean" else 1, names)
        elif isinstance(node, list):
            for item in node:
                walk(item, scale, owner)

    walk({k: v for k, v in data.items() if k != "reports"})
    return found


def _pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
            ["/usr/bin/pdftotext", "-layout", handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


@pytest.mark.parametrize(("role", "scoped", "raw"), ROLES)
def test_picture_page__per_role(world, role, scoped, raw) -> None:
    client = Client()
    client.force_login(_user(world, role, scoped))
    response = client.get("/est/lagesbild/" + _query(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert TEXT_B not in html  # nobody here may read Beta's reports
    assert (TEXT_A in html) == ("Alfa" in raw)
    assert _html_small_counts(html, raw) == []  # Beta is never a raw area in this matrix
    data = json.loads(lxml.html.fromstring(html).get_element_by_id("picture-map-data").text)
    assert len(data["points"]) == (2 if "Alfa" in raw else 0)
    assert RawReadLog.objects.filter(door="web").count() == (1 if raw else 0)


@pytest.mark.parametrize(("role", "scoped", "raw"), ROLES)
def test_picture_api__per_role(world, role, scoped, raw) -> None:
    client = Client()
    client.force_login(_user(world, role, scoped))
    code = world["municipality"].code
    url = f"/api/v1/municipalities/{code}/situational-picture/?week=2026-W48"
    response = client.get(url + f"&area={world['a'].pk}&area={world['b'].pk}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert _json_small_counts(data, raw) == []
    if raw:
        assert {r["area"] for r in data["reports"]} == {"Alfa"}
    else:
        assert data["reports"] is None
    assert TEXT_B not in response.content.decode()
    assert RawReadLog.objects.filter(door="api").count() == (1 if raw else 0)


@pytest.mark.parametrize(("role", "scoped", "raw"), ROLES)
def test_picture_pdf__per_role(world, role, scoped, raw) -> None:
    client = Client()
    client.force_login(_user(world, role, scoped))
    response = client.get("/est/lagesbild/lagesbild.pdf" + _query(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert TEXT_A not in text and TEXT_B not in text  # the PDF never lists reports
    # Beta's row in the table of areas (the right-hand column of the page): its 5 events are
    # shown (≥ 3); against Alfa's 2, the total would give Alfa's count away to a non-member,
    # so Beta is hidden too ('×') for them.
    cell = re.compile(r"(?:^|\s{2,})Beta\s+(.*)$")
    row = next(m.group(1) for line in text.splitlines() if (m := cell.search(line)))
    numbers = re.findall(r"(?<![\d,+−-])\d+(?:,\d+)?(?![\d,])", row)
    assert all(float(n.replace(",", ".")) >= THRESHOLD / 4 for n in numbers), row


def test_picture__member_sees_own_small_counts_exactly(world) -> None:
    client = Client()
    client.force_login(_user(world, Role.EST_MEMBER, True))
    response = client.get("/est/lagesbild/" + _query(world))
    tree = lxml.html.fromstring(response.content.decode())
    rows = {
        tr.xpath("th")[0].text_content().strip(): [td.text_content() for td in tr.xpath("td")]
        for tr in tree.xpath("//section[@aria-labelledby='h-areas']//tbody/tr")
    }
    assert rows["Alfa"][0].strip() == "2"
    assert rows["Beta"][0].strip() in ("×", "5")


@pytest.mark.parametrize("role", [Role.EST_REPORTER, None])
def test_picture__no_access_without_aggregate_rights(world, role) -> None:
    client = Client()
    if role is not None:
        client.force_login(_user(world, role, False))
    page = client.get("/est/lagesbild/" + _query(world))
    assert page.status_code in (302, 404)
    code = world["municipality"].code
    api = client.get(f"/api/v1/municipalities/{code}/situational-picture/?week=2026-W48")
    assert api.status_code in (401, 403, 404)
    assert not RawReadLog.objects.exists()


def test_picture__superuser_sees_everything_and_is_logged(world) -> None:
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    code = world["municipality"].code
    data = client.get(f"/api/v1/municipalities/{code}/situational-picture/?week=2026-W48").json()
    assert data["total"]["week"]["value"] == 7
    assert len(data["reports"]) == 7
    log = RawReadLog.objects.get()
    assert log.count == 7 and log.door == "api"
    assert TEXT_B not in json.dumps(log.filters)


def test_picture_api__unreadable_week__400(world) -> None:
    client = Client()
    client.force_login(_user(world, Role.READER, False))
    code = world["municipality"].code
    response = client.get(f"/api/v1/municipalities/{code}/situational-picture/?week=vecka-99")
    assert response.status_code == 400

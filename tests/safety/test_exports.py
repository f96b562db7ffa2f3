"""Exports match the filter on screen and the user's permissions: raw files only for the areas'
EST members (logged), counts for everyone of the municipality with small counts hidden."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    PlaceFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.errors import PermissionDenied
from kvarter.safety.history.exports import count_table, events_csv, export_filter_from
from kvarter.safety.models import MonthlyAggregate, RawReadLog

pytestmark = pytest.mark.django_db

MARKER = "Exportmarkör vid lekplatsen"
DAY = dt.datetime(2026, 11, 18, 20, tzinfo=dt.UTC)


@pytest.fixture
def s():
    north = AreaFactory(name="Norr")
    municipality = north.municipality
    south = AreaFactory(name="Söder", municipality=municipality)
    graffiti = IncidentCategoryFactory(municipality=municipality, name="Klotter", order=1)
    fire = IncidentCategoryFactory(municipality=municipality, name="Brand", order=2)
    place = PlaceFactory(area=north, name="Lekplatsen")

    def event(area, category, when=DAY, **kw):
        report = IncidentReportFactory(municipality=municipality, submitted_at=when)
        return IncidentEventFactory(
            area=area, report=report, category=category, occurred_at=when, **kw
        )

    for _ in range(4):
        event(north, graffiti, place=place, text=MARKER)
    event(north, fire, latitude=None, longitude=None, place=place)
    event(south, graffiti)
    event(south, graffiti, when=DAY - dt.timedelta(days=60))  # outside the period
    return {
        "municipality": municipality,
        "north": north,
        "south": south,
        "graffiti": graffiti,
        "fire": fire,
        "north_member": UserFactory.create_with_role(Role.EST_MEMBER, municipality, areas=[north]),
        "reader": UserFactory.create_with_role(Role.READER, municipality),
    }


def _query(s, *areas, categories=()):
    params = {"kommun": s["municipality"].code, "fran": "2026-11-16", "till": "2026-11-22"}
    parts = [f"{k}={v}" for k, v in params.items()]
    parts += [f"omrade={a.pk}" for a in areas] + [f"kategori={c.pk}" for c in categories]
    return "?" + "&".join(parts)


def test_filter__from_query_string(s) -> None:
    from django.http import QueryDict

    flt = export_filter_from(
        QueryDict(f"omrade={s['north'].pk}&omrade=999999&vecka=2026-W47"), s["municipality"]
    )
    assert flt.area_ids == (s["north"].pk,)
    assert (flt.start, flt.end) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert flt.category_ids is None


def test_raw_csv__member_of_the_areas__holds_the_filter_and_is_logged(client, s) -> None:
    client.force_login(s["north_member"])
    response = client.get(reverse("safety:export_events_csv") + _query(s, s["north"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5
    assert sum(1 for r in rows if r["beskrivning"] == MARKER) == 4
    log = RawReadLog.objects.get()
    assert (log.what, log.count, log.door) == ("export_csv", 5, "web")
    assert log.filters["areas"] == [s["north"].pk]
    assert MARKER not in json.dumps(log.filters)


def test_raw_export__area_not_readable__403_not_narrowed(client, s) -> None:
    client.force_login(s["north_member"])
    for name in ("safety:export_events_csv", "safety:export_events_geojson"):
        response = client.get(reverse(name) + _query(s, s["north"], s["south"]))
        assert response.status_code == 403
    assert not RawReadLog.objects.exists()
    with pytest.raises(PermissionDenied):
        events_csv(s["reader"], export_filter_from({"omrade": [s["north"].pk]}, s["municipality"]))


def test_raw_geojson__positions_and_place_fallback(client, s) -> None:
    client.force_login(s["north_member"])
    response = client.get(
        reverse("safety:export_events_geojson") + _query(s, s["north"], categories=[s["fire"]])
    )
    assert response.status_code == 200
    collection = json.loads(response.content)
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [15.005, 59.005]}
    assert feature["properties"]["place"] == "Lekplatsen"


def test_counts__reader_sees_small_counts_hidden(client, s) -> None:
    client.force_login(s["reader"])
    page = client.get(reverse("safety:export") + _query(s, s["north"], s["south"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert MARKER not in body
    response = client.get(reverse("safety:export_counts_csv") + _query(s, s["north"], s["south"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert cells[("Norr", "Klotter")] == "4"
    assert cells[("Norr", "Brand")] == "< 3"
    assert cells[("Söder", "Klotter")] == "< 3"
    geo = client.get(reverse("safety:export_counts_geojson") + _query(s, s["north"], s["south"]))
    features = {
        f["properties"]["area"]: f["properties"] for f in json.loads(geo.content)["features"]
    }
    assert features["Norr"]["counts"] == {"Klotter": 4, "Brand": "< 3"}
    assert features["Norr"]["total"] == "–"
    assert not RawReadLog.objects.exists()


def test_counts__member_sees_own_area_exact_other_hidden(s) -> None:
    flt = export_filter_from(
        {"omrade": [s["north"].pk, s["south"].pk], "fran": "2026-11-16", "till": "2026-11-22"},
        s["municipality"],
    )
    table = count_table(s["north_member"], flt)
    rows = {row.area.name: row for row in table.rows}
    assert [c.name for c in table.categories] == ["Klotter", "Brand"]
    assert rows["Norr"].cells == [4, 1] and rows["Norr"].total == 5
    # Zero is hidden like 1 and 2 (decision 6): a 0 beside '< 3' would tell the other is 1–2.
    assert rows["Söder"].cells == ["< 3", "< 3"]


def test_counts__page_and_csv_agree(client, s) -> None:
    client.force_login(s["north_member"])
    query = _query(s, s["north"], s["south"])
    page = client.get(reverse("safety:export") + query)
    table = page.context["table"]
    response = client.get(reverse("safety:export_counts_csv") + query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    from_file = {(r[0], r[1]): r[2] for r in rows[1:]}
    on_screen = {
        (row.area.name, c.name): str(cell)
        for row in table.rows
        for c, cell in zip(table.categories, row.cells, strict=True)
    }
    assert from_file == on_screen


def test_counts__purged_months_wholly_inside_the_period_count(s) -> None:
    MonthlyAggregate.objects.create(
        municipality=s["municipality"],
        area=s["south"],
        category=s["fire"],
        month=dt.date(2024, 5, 1),
        count=7,
    )
    inside = export_filter_from(
        {"omrade": [s["south"].pk], "fran": "2024-05-01", "till": "2024-05-31"},
        s["municipality"],
    )
    partly = export_filter_from(
        {"omrade": [s["south"].pk], "fran": "2024-05-02", "till": "2024-05-31"},
        s["municipality"],
    )
    # The kept 7 is shown; a zero beside it is hidden, so the total that would tell it goes.
    table = count_table(s["reader"], inside)
    fire = table.categories.index(s["fire"])
    assert table.rows[0].cells[fire] == 7 and table.rows[0].total == "–"
    assert count_table(s["reader"], partly).rows[0].cells[fire] == "< 3"


def test_exports__other_municipality_and_anonymous(client, s) -> None:
    stranger = UserFactory.create_with_role(Role.EST_MEMBER, AreaFactory().municipality)
    client.force_login(stranger)
    assert client.get(reverse("safety:export_counts_csv") + _query(s)).status_code == 404
    client.logout()
    assert client.get(reverse("safety:export_counts_csv") + _query(s)).status_code == 302

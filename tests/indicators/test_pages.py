"""The area profile page, its charts, the indicator map and the comparison table.

Every page is public like the area pages (indicator values are official statistics), and
answers 404 alike for a missing area and one the resolver forbids. The table beside each
chart holds exactly the figures the chart draws.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.utils import translation
from tests.factories import AreaFactory, IndicatorFactory, MunicipalityFactory, UserFactory

from kvarter.accounts.permissions import PermissionResolver
from kvarter.accounts.roles import Role
from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.indicators import catalogue, charts
from kvarter.indicators.models import NATION_CODE, AreaType, Indicator, IndicatorValue, Level
from kvarter.indicators.profile import area_profile

YEARS = range(2015, 2025)
SUPPRESSED = ("K", 2019)  # the area's figure for women in 2019 is hidden
MISSING_YEAR = 2017  # the area has no figures at all in 2017


def _value(indicator: Indicator, level: str, sex: str, year: int) -> float:
    """Plausible, distinct figures: the area below the municipality below the nation."""
    base = {"area": 50.0, "municipality": 66.0, "nation": 72.0}[level]
    if indicator.direction == "lower":
        base = {"area": 14.0, "municipality": 5.0, "nation": 4.0}[level]
    if indicator.unit == "points":
        base *= 4
    step = {"T": 0.0, "K": -2.5, "M": 2.5}[sex]
    return round(base + step + (year - YEARS[0]) * 0.65 + indicator.pk % 3 * 0.1, 1)


def _store(indicator: Indicator, *, area: Area | None, code: str, level: str, **fields: Any):
    place = {"area": area, "region_code": ""} if area else {"area": None, "region_code": code}
    IndicatorValue.objects.update_or_create(
        indicator=indicator,
        period=fields.pop("period"),
        sex=fields.pop("sex"),
        **place,
        defaults={
            "level": level,
            "source": "SCB (test)",
            "retrieved_on": dt.date(2025, 3, 1),
            **fields,
        },
    )


def build_profile_values(
    area: Area, codes: tuple[str, ...] | None = None, *, offset: float = 0.0
) -> list[Indicator]:
    """Ten years for the area, its municipality and the nation, total, women and men, of three
    catalogue indicators (share higher-is-better, share lower-is-better, points), with one
    suppressed and one missing year for the area, and two years of area types. ``offset`` is
    added to the area's figures, so that several areas differ on a map."""
    codes = codes or (catalogue.EMPLOYMENT_RATE, catalogue.ECONOMIC_ASSISTANCE, "meritvarde-ak9")
    units = {"meritvarde-ak9": ("points", "higher")}
    indicators = []
    for code in codes:
        unit, direction = units.get(
            code, ("percent", "lower" if code == catalogue.ECONOMIC_ASSISTANCE else "higher")
        )
        indicator = IndicatorFactory(code=code, unit=unit, direction=direction)
        indicators.append(indicator)
        municipality_code = area.municipality.code
        for year in YEARS:
            for sex in ("T", "K", "M"):
                for level, code_ in (("municipality", municipality_code), ("nation", NATION_CODE)):
                    _store(
                        indicator,
                        area=None,
                        code=code_,
                        level=level,
                        period=str(year),
                        year=year,
                        sex=sex,
                        value=_value(indicator, level, sex, year),
                    )
                if year == MISSING_YEAR:
                    continue
                hidden = (sex, year) == SUPPRESSED
                _store(
                    indicator,
                    area=area,
                    code="",
                    level="area",
                    period=str(year),
                    year=year,
                    sex=sex,
                    value=None
                    if hidden
                    else round(_value(indicator, "area", sex, year) + offset, 1),
                    status="suppressed" if hidden else "ok",
                )
    for year, index, kind in ((2022, -1.2, 1), (2023, -0.9, 2)):
        AreaType.objects.update_or_create(
            area=area, year=year, defaults={"index": index, "area_type": kind}
        )
    return indicators


@pytest.fixture
def place(db) -> tuple[Area, list[Indicator]]:
    municipality = MunicipalityFactory(code="0580", name="Linköping")
    area = AreaFactory(municipality=municipality, name="Skäggetorp")
    AreaFactory(municipality=municipality, name="Berga")
    return area, build_profile_values(area)


def _get(client: Client, url: str, **headers: str):
    with translation.override("sv"):
        return client.get(url, **headers)


def _html(response) -> Any:
    return lxml.html.fromstring(response.content.decode())


# --- the profile page --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *Role])
def test_profile_page__every_role_and_the_public__sees_every_indicator(place, role) -> None:
    area, indicators = place
    client = Client()
    if role is not None:
        user = UserFactory.create_with_role(role, area.municipality, areas=[area])
        client.force_login(user)
    response = _get(client, f"/indikatorer/omraden/{area.pk}/")
    assert response.status_code == 200
    tree = _html(response)
    for indicator in indicators:
        section = tree.get_element_by_id(f"i-{indicator.code}")
        assert indicator.name_sv in section.text_content()
        chart = section.xpath(".//*[@hx-get]")
        assert chart and f"/diagram/{indicator.code}/" in chart[0].get("hx-get")
    hrefs = [a.get("href") for a in tree.iter("a")]
    for fmt in ("pdf", "docx", "xlsx"):
        assert any(h and f"/profil.{fmt}" in h for h in hrefs), fmt


def test_profile_page__shows_verdict_latest_change_and_comparison(place) -> None:
    area, _indicators = place
    with translation.override("sv"):  # the page speaks Swedish; so must the expected verdicts
        profile = area_profile(actor=SYSTEM, area=area)
    response = _get(Client(), f"/indikatorer/omraden/{area.pk}/")
    tree = _html(response)
    for item in profile.indicators:
        section = tree.get_element_by_id(f"i-{item.indicator.code}")
        text = " ".join(section.text_content().split())
        assert item.verdict and item.verdict in text
        with translation.override("sv"):
            latest = charts.format_point(item.latest, item.indicator)
            municipality = charts.format_point(item.municipality_latest, item.indicator)
        assert latest.replace("\xa0", " ") in text.replace("\xa0", " ")
        assert municipality.replace("\xa0", " ") in text.replace("\xa0", " ")
        assert "2024" in latest


def test_profile_page__area_types_over_time(place) -> None:
    area, _ = place
    tree = _html(_get(Client(), f"/indikatorer/omraden/{area.pk}/"))
    section = tree.xpath("//section[@aria-labelledby='area-types-title']")[0]
    years = [th.text_content() for th in section.xpath(".//tbody/tr/th")]
    assert years == ["2022", "2023"]


def _rendered_table(section: Any) -> tuple[list[str], dict[str, list[str]]]:
    table = section.xpath(".//details//table")[0]
    headers = [" ".join(th.text_content().split()) for th in table.xpath(".//thead//th")]
    rows = {}
    for tr in table.xpath(".//tbody/tr"):
        cells = [c.text_content().strip() for c in tr]
        rows[cells[0]] = cells[1:]
    return headers, rows


def test_profile_page__table_alternative_holds_the_figures_of_the_chart(place) -> None:
    """Every figure the chart draws is in the table, in its period and column; every gap in
    the chart is a word in the table, never an empty cell or 0."""
    area, _ = place
    with translation.override("sv"):  # series labels ('Riket') are words of the page's language
        profile = area_profile(actor=SYSTEM, area=area)
    tree = _html(_get(Client(), f"/indikatorer/omraden/{area.pk}/"))
    with translation.override("sv"):
        sexes = charts.sex_labels()
        for item in profile.indicators:
            spec = charts.indicator_chart(item)
            data = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else None
            data = data or spec["data"]["values"]
            headers, rows = _rendered_table(tree.get_element_by_id(f"i-{item.indicator.code}"))
            assert len(rows) == len(YEARS)
            drawn = 0
            for record in data:
                column = headers.index(f"{record['place']}, {record['sex'].lower()}")
                cell = rows[record["period"]][column - 1]
                if record["value"] is None:
                    assert not re.search(r"\d", cell), (record, cell)
                    assert cell  # a word says why
                else:
                    number = charts.decimal_value(record["value"], item.indicator)
                    assert cell == f"{number}".replace(".", ","), (record, cell)
                    drawn += 1
            # 3 places × 3 sexes × 10 years, less the area's missing year and hidden figure
            assert drawn == 90 - 3 - 1
            assert {r["sex"] for r in data} == set(sexes.values())


def test_profile_chart__svg_named_by_its_summary(place) -> None:
    area, indicators = place
    indicator = indicators[0]
    response = _get(Client(), f"/indikatorer/omraden/{area.pk}/diagram/{indicator.code}/")
    assert response.status_code == 200
    svg = _html(response).xpath("//svg")[0]
    assert svg.get("role") == "img"
    profile = area_profile(actor=SYSTEM, area=area, indicators=[indicator])
    with translation.override("sv"):
        summary = charts.chart_summary(profile.indicators[0])
    assert svg.get("aria-label") == summary
    assert "Skäggetorp" in summary and "2024" in summary
    # Lines break at gaps: the area's line for total has two pieces (2017 missing).
    lines = [p.get("d") for p in svg.xpath(".//g[starts-with(@class, 'mark-line')]/path")]
    assert lines and any(d.count("M") == 2 for d in lines)


def test_profile_page__filters_by_group_and_sex_with_htmx(place) -> None:
    area, _indicators = place
    url = f"/indikatorer/omraden/{area.pk}/?grupp=utbildning&kon=KM"
    response = _get(Client(), url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="profile-indicators")
    body = response.content.decode()
    assert not body.lstrip().startswith("<!doctype")
    tree = _html(response)
    ids = {e.get("id") for e in tree.xpath("//section[@class='indicator']")}
    assert ids == {"i-meritvarde-ak9"}
    headers, _rows = _rendered_table(tree.get_element_by_id("i-meritvarde-ak9"))
    with translation.override("sv"):
        nation = str(Level.NATION.label)  # 'Riket'
    assert headers[1:] == [
        "Skäggetorp, kvinnor",
        "Skäggetorp, män",
        "Linköping, kvinnor",
        "Linköping, män",
        f"{nation}, kvinnor",
        f"{nation}, män",
    ]
    assert "kon=KM" in tree.xpath("//*[@hx-get]")[0].get("hx-get")


def test_profile_pages__missing_area_and_unknown_format_are_404(place) -> None:
    area, _indicators = place
    client = Client()
    assert _get(client, "/indikatorer/omraden/999999/").status_code == 404
    assert _get(client, f"/indikatorer/omraden/{area.pk}/profil.exe").status_code == 404
    assert _get(client, f"/indikatorer/omraden/{area.pk}/diagram/nope/").status_code == 404


def test_profile_pages__forbidden_area_is_the_same_404(place, monkeypatch) -> None:
    """Should the resolver ever keep an area from someone, every door answers 'not found'."""
    area, indicators = place
    monkeypatch.setattr(PermissionResolver, "can_view_area", lambda self, area: False)
    client = Client()
    for url in (
        f"/indikatorer/omraden/{area.pk}/",
        f"/indikatorer/omraden/{area.pk}/diagram/{indicators[0].code}/",
        f"/indikatorer/omraden/{area.pk}/profil.pdf",
    ):
        assert _get(client, url).status_code == 404, url


def test_area_page__links_to_its_profile(place) -> None:
    area, _ = place
    response = _get(Client(), f"/areas/{area.pk}/")
    assert f'href="/indikatorer/omraden/{area.pk}/"' in response.content.decode()


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "json"])
def test_profile_document__downloads(place, fmt) -> None:
    area, _ = place
    response = _get(Client(), f"/indikatorer/omraden/{area.pk}/profil.{fmt}?kon=T")
    assert response.status_code == 200
    assert f"omradesprofil-{area.pk}.{fmt}" in response["Content-Disposition"]
    magic = {"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK", "json": b"{"}
    assert response.content.startswith(magic[fmt])


# --- the map -----------------------------------------------------------------------------------


def _features(tree: Any) -> dict[str, Any]:
    return json.loads(tree.get_element_by_id("map-features").text_content())


def test_map_page__colours_areas_by_class_and_lists_the_same_values(place) -> None:
    area, _indicators = place
    berga = Area.objects.get(name="Berga")
    url = f"/indikatorer/karta/?kommun=0580&indikator={catalogue.EMPLOYMENT_RATE}&kon=K"
    response = _get(Client(), url)
    assert response.status_code == 200
    tree = _html(response)
    features = {f["properties"]["name"]: f["properties"] for f in _features(tree)["features"]}
    assert set(features) == {"Skäggetorp", "Berga"}
    expected = IndicatorValue.objects.get(
        indicator__code=catalogue.EMPLOYMENT_RATE, area=area, period="2024", sex="K"
    ).value
    assert features["Skäggetorp"]["value"] == expected
    assert features["Skäggetorp"]["class"] == 1 and features["Skäggetorp"]["colour"]
    # Berga has no figure: no class and no colour, so the map hatches it as 'no data'.
    assert features["Berga"]["value"] is None and features["Berga"]["colour"] is None
    assert features["Skäggetorp"]["area_type"] == 2
    rows = {
        tr[0].text_content().strip(): [c.text_content().strip() for c in tr[1:]]
        for tr in tree.xpath("//table//tbody/tr")
    }
    assert rows["Skäggetorp"][0] == features["Skäggetorp"]["value_text"]
    assert not re.search(r"\d", rows["Berga"][0])
    legend = " ".join(tree.xpath("string(//div[contains(@class, 'map-legends')])").split())
    assert "2024" in legend
    classed = [f["id"] for f in _features(tree)["features"] if f["properties"]["class"]]
    assert berga.pk not in classed


def test_map_page__period_chooser_and_defaults(place) -> None:
    _area, _ = place
    tree = _html(_get(Client(), "/indikatorer/karta/?period=2016"))
    periods = [o.get("value") for o in tree.xpath("//select[@name='period']/option")]
    assert periods[0] == "" and "2016" in periods and "2024" in periods
    caption = tree.xpath("string(//table/caption)")
    assert "2016" in caption


def test_map_page__unknown_municipality_or_indicator_is_404(place) -> None:
    client = Client()
    assert _get(client, "/indikatorer/karta/?kommun=9999").status_code == 404
    assert _get(client, "/indikatorer/karta/?kommun=0580&indikator=nope").status_code == 404


# --- the comparison ----------------------------------------------------------------------------


def test_comparison__areas_then_municipality_and_nation_sorted_by_a_column(place) -> None:
    _area, _ = place
    other = Area.objects.get(name="Berga")
    indicator = Indicator.objects.get(code=catalogue.EMPLOYMENT_RATE)
    _store(
        indicator,
        area=other,
        code="",
        level="area",
        period="2024",
        year=2024,
        sex="T",
        value=80.0,
    )
    client = Client()
    url = f"/indikatorer/jamforelse/?kommun=0580&sortera={indicator.code}&ordning=desc"
    tree = _html(_get(client, url))
    names = [th.text_content().strip() for th in tree.xpath("//table//tbody/tr/th")]
    with translation.override("sv"):
        nation = str(Level.NATION.label)
    assert names == ["Berga", "Skäggetorp", "Linköping", nation]
    header = tree.xpath(f"//th[a[contains(@href, 'sortera={indicator.code}')]]")[0]
    assert header.get("aria-sort") == "descending"
    # The link now offers the other order.
    assert "ordning=asc" in header.xpath("a")[0].get("href")
    tree = _html(_get(client, url.replace("desc", "asc")))
    names = [th.text_content().strip() for th in tree.xpath("//table//tbody/tr/th")]
    assert names == ["Skäggetorp", "Berga", "Linköping", nation]


def test_comparison__cells_agree_with_the_values(place) -> None:
    _area, indicators = place
    tree = _html(_get(Client(), "/indikatorer/jamforelse/?kommun=0580&kon=M"))
    headers = [th.xpath("string(a)").strip() for th in tree.xpath("//table/thead/tr/th")]
    row = tree.xpath("//table//tbody/tr")[-1]  # the nation's row comes last
    for indicator in indicators:
        stored = IndicatorValue.objects.get(
            indicator=indicator, region_code=NATION_CODE, period="2024", sex="M"
        )
        with translation.override("sv"):
            expected = charts.format_value(stored.value, indicator)
        assert row[headers.index(indicator.name_sv)].text_content().strip() == expected


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [(None, False), (Role.ADMINISTRATOR, True), (Role.STRATEGIST, True), (Role.READER, False)],
)
def test_comparison__import_link_only_for_those_who_may_import(place, role, sees_link) -> None:
    area, _ = place
    client = Client()
    if role is not None:
        client.force_login(UserFactory.create_with_role(role, area.municipality, areas=[area]))
    url = f"/indikatorer/jamforelse/?kommun={area.municipality.code}"
    assert ('href="/indikatorer/import/"' in _get(client, url).content.decode()) is sees_link


def test_comparison__unknown_municipality_is_404(db) -> None:
    MunicipalityFactory(code="0580")
    assert _get(Client(), "/indikatorer/jamforelse/?kommun=1234").status_code == 404


def test_pages__no_municipality_at_all_is_404(db) -> None:
    Municipality.objects.all().delete()
    assert _get(Client(), "/indikatorer/karta/").status_code == 404


def test_profile_document__follows_the_group_filter(place) -> None:
    area, _indicators = place
    response = _get(Client(), f"/indikatorer/omraden/{area.pk}/profil.json?grupp=utbildning")
    data = json.loads(response.content)
    assert [i["indicator"]["code"] for i in data["indicators"]] == ["meritvarde-ak9"]
    tree = _html(_get(Client(), f"/indikatorer/omraden/{area.pk}/?grupp=utbildning&kon=T"))
    links = [a.get("href") for a in tree.iter("a") if "/profil." in (a.get("href") or "")]
    assert links and all("grupp=utbildning" in h and "kon=T" in h for h in links)

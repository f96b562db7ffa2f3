"""The own-figures pages through the test client: the values grid (decimal comma, empty
cells, bad cells, stale grids), the place switch, and that only own figures can be typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.factories import AreaFactory, IndicatorFactory, IndicatorValueFactory
from tests.plans.goal_setup import goal_world_fixture  # noqa: F401 - the fixture goal_world

from kvarter.core.actors import SYSTEM
from kvarter.indicators.models import IndicatorValue
from kvarter.indicators.own_values_services import own_indicator_create, own_values_set

pytestmark = pytest.mark.django_db

VALUES = {(2022, "T"): "50", (2024, "T"): "56", (2022, "K"): "45", (2024, "K"): "46"}
VALUES |= {(2022, "M"): "55", (2024, "M"): "61"}


@pytest.fixture
def own(goal_world):
    indicator = own_indicator_create(
        actor=SYSTEM,
        municipality=goal_world["municipality"],
        data={"name_sv": "Andel i föreningslivet", "unit": "percent", "direction": "higher"},
    )
    own_values_set(
        actor=SYSTEM,
        indicator=indicator,
        municipality=goal_world["municipality"],
        values=[(year, sex, Decimal(v)) for (year, sex), v in VALUES.items()],
    )
    return indicator


def _web(client, goal_world, role="strateg"):
    client.force_login(goal_world["users"][role])
    client.cookies["django_language"] = "en"
    return client


def _url(goal_world, own, area=None) -> str:
    base = f"/indikatorer/own/{goal_world['municipality'].code}/{own.code}/"
    return f"{base}area/{area.pk}/" if area else base


def _values(own) -> dict[tuple[int, str], float]:
    rows = IndicatorValue.objects.filter(indicator=own, area__isnull=True)
    return {(v.year, v.sex): v.value for v in rows}


def test_own_values_grid__decimal_comma_and_empty_cells__stored(client, goal_world, own):
    web = _web(client, goal_world)
    url = _url(goal_world, own)
    form = web.get(url)
    html = form.content.decode()
    assert 'value="50"' in html and 'name="v_2024_K" value="46"' in html
    answer = web.post(
        url,
        {
            "state": form.context["form"].initial["state"],
            "v_2022_T": "50,25",
            "v_2024_T": "",  # emptied: the value goes
            "v_2022_K": "1 234,5",
            "v_2024_K": "46",
            "v_2022_M": "−3,5",
            "v_2024_M": "61.75",
            "new_0_year": "2025",
            "new_0_T": "63,5",
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors
    assert _values(own) == {
        (2022, "T"): 50.25,
        (2022, "K"): 1234.5,
        (2024, "K"): 46.0,
        (2022, "M"): -3.5,
        (2024, "M"): 61.75,
        (2025, "T"): 63.5,
    }


@pytest.mark.parametrize(
    ("cell", "text", "field", "code"),
    [
        ("v_2022_T", "sextio", "v_2022_T", "invalid"),
        ("v_2022_T", "1,23456", "v_2022_T", "too_precise"),
        ("v_2022_T", "12 34", "v_2022_T", "invalid"),
        ("v_2022_T", "1" * 11, "v_2022_T", "too_large"),
        ("new_0_T", "5", "new_0_year", "year_missing"),
        ("new_0_year", "2022", "new_0_year", "year_twice"),
    ],
)
def test_own_values_grid__bad_cell__field_error_and_nothing_saved(
    client, goal_world, own, cell, text, field, code
):
    web = _web(client, goal_world)
    url = _url(goal_world, own)
    state = web.get(url).context["form"].initial["state"]
    before = _values(own)
    answer = web.post(url, {"state": state, "v_2024_T": "57", cell: text})
    assert answer.status_code == 200
    errors = answer.context["form"].errors.as_data()
    assert [e.code for e in errors[field]] == [code]
    assert _values(own) == before


def test_own_values_grid__stale_grid__refused_and_form_kept(client, goal_world, own):
    web = _web(client, goal_world)
    url = _url(goal_world, own)
    state = web.get(url).context["form"].initial["state"]
    own_values_set(
        actor=SYSTEM,
        indicator=own,
        municipality=goal_world["municipality"],
        values=[(2024, "T", Decimal("57"))],
    )
    answer = web.post(url, {"state": state, "v_2024_T": "58,5", "v_2022_T": "50"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Someone else has changed this since you opened it" in html
    assert 'value="58,5"' in html  # what the user wrote is kept
    assert _values(own)[(2024, "T")] == 57


def test_own_values_grid__area__its_own_values_and_a_way_to_the_others(client, goal_world, own):
    web = _web(client, goal_world)
    area = goal_world["municipality"].areas.order_by("name").first()
    page = web.get(_url(goal_world, own, area))
    html = page.content.decode()
    assert page.context["form"].years == []  # the municipality's values are not the area's
    assert f'href="{_url(goal_world, own)}"' in html
    assert f'<strong aria-current="page">{area.name}</strong>' in html


def test_own_values_pages__catalogue_indicator__not_found(client, goal_world):
    web = _web(client, goal_world)
    scb = IndicatorFactory(source_kind="scb")
    IndicatorValueFactory(indicator=scb, region_code=goal_world["municipality"].code)
    assert web.get(_url(goal_world, scb)).status_code == 404
    assert (
        web.post(_url(goal_world, scb), {"new_0_year": "2020", "new_0_T": "1"}).status_code == 404
    )


def test_own_values_pages__area_of_another_municipality__not_found(client, goal_world, own):
    web = _web(client, goal_world)
    assert web.get(_url(goal_world, own, AreaFactory())).status_code == 404


@pytest.mark.parametrize(
    ("role", "list_status", "grid_status"),
    [
        ("admin", 200, 200),
        ("strateg", 200, 200),
        ("samordnare", 200, 403),
        ("lasare", 200, 403),
        ("other_admin", 404, 404),
    ],
)
def test_own_values_pages__roles__readers_see_editors_type(
    client, goal_world, own, role, list_status, grid_status
):
    web = _web(client, goal_world, role)
    listing = web.get(f"/indikatorer/own/{goal_world['municipality'].code}/")
    assert listing.status_code == list_status
    if list_status == 200:
        html = listing.content.decode()
        assert "Andel i föreningslivet" in html and "2022–2024" in html
        assert (_url(goal_world, own) in html) == (grid_status == 200)
    assert web.get(_url(goal_world, own)).status_code == grid_status

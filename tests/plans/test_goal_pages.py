"""Goal pages through the test client: the goals page, edit forms, the values grid, access."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import MunicipalityFactory
from tests.plans.goal_setup import ROLES, goal_world_fixture  # noqa: F401 - the fixture goal_world

from kvarter.core.actors import SYSTEM
from kvarter.followup.services import criterion_assess
from kvarter.plans import goal_services
from kvarter.plans.goal_selectors import series_fingerprint
from kvarter.plans.models import (
    Goal,
    IndicatorSeries,
    QualitativeCriterion,
    QuantitativeCriterion,
    SeriesValue,
    Vision,
)
from kvarter.plans.services import plan_create

pytestmark = pytest.mark.django_db

# Reading the goals page, the series list and the round's goal page.
READ = {
    "admin": 200,
    "strateg": 200,
    "samordnare": 200,
    "rapportor": 200,
    "est": 200,
    "lasare": 200,
    "anonymous": "login",
    "other_admin": 404,
}
# Every editing form, GET and POST: administrators and strategists of the municipality.
EDIT = {
    "admin": "ok",
    "strateg": "ok",
    "samordnare": "forbidden",
    "rapportor": "forbidden",
    "est": "forbidden",
    "lasare": "forbidden",
    "anonymous": "login",
    "other_admin": "hidden",
}


def _client(client, user, *, english=True):
    if user is not None:
        client.force_login(user)
    if english:
        client.cookies["django_language"] = "en"
    return client


def _outcome(response) -> str:
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "ok"
    if response.status_code == 200:
        return "form"  # a form page, or the same form with its errors
    return {403: "forbidden", 404: "hidden"}.get(response.status_code, str(response.status_code))


def _section(html: str, element_id: str, tag: str = "tbody") -> str:
    """The text of the ``tag`` element with ``element_id``, up to its first closing tag."""
    match = re.search(rf'<{tag} id="{element_id}".*?</{tag}>', html, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


@pytest.mark.parametrize("role", ROLES)
def test_goal_pages__every_role__read_gives_the_table(client, goal_world, role):
    w = goal_world
    web = _client(client, w["users"][role])
    for url in [
        f"/plans/{w['plan'].pk}/goals/",
        f"/plans/{w['plan'].pk}/series/",
        f"/rounds/{w['round'].pk}/goals/",
    ]:
        response = web.get(url)
        got = "login" if response.status_code == 302 else response.status_code
        assert got == READ[role], (role, url)
        if got == 200:
            assert "Ökad sysselsättning" in response.content.decode() or "series" in url


@pytest.mark.parametrize("role", ROLES)
def test_goal_forms__every_role__write_gives_the_table(client, goal_world, role):
    w = goal_world
    web = _client(client, w["users"][role])
    plan, goal, series = w["plan"], w["goal"], w["series"]
    p = f"/plans/{plan.pk}"
    expected = EDIT[role]
    # (url, POST data, what the database holds afterwards when the write went through)
    writes = [
        (
            f"{p}/goals/new/",
            {"goal_area": w["safety"].pk, "number": 1, "title": "Ökad trygghet", "version": 0},
            lambda: Goal.objects.filter(title="Ökad trygghet").exists(),
        ),
        (
            f"{p}/goals/{goal.pk}/",
            {"number": 1, "title": "Fler i arbete", "description": "", "version": goal.version},
            lambda: Goal.objects.filter(pk=goal.pk, title="Fler i arbete").exists(),
        ),
        (
            f"{p}/visions/new/",
            {"title": "Trygg och levande", "version": 0},
            lambda: Vision.objects.filter(title="Trygg och levande").exists(),
        ),
        (
            f"{p}/visions/{w['vision'].pk}/",
            {"title": "Attraktivare", "description": "", "version": w["vision"].version},
            lambda: Vision.objects.filter(title="Attraktivare").exists(),
        ),
        (
            f"{p}/goal-areas/{w['safety'].pk}/vision/",
            {"vision": w["vision"].pk, "version": w["safety"].version},
            lambda: w["safety"].__class__.objects.get(pk=w["safety"].pk).vision_id is not None,
        ),
        (
            f"{p}/goals/{goal.pk}/quantitative/new/",
            {
                "series": series.pk,
                "direction": "decrease",
                "baseline_year": 2022,
                "target_year": 2025,
                "target_value": "40",
                "version": 0,
            },
            lambda: goal.quantitative_criteria.filter(direction="decrease").exists(),
        ),
        (
            f"{p}/quantitative/{w['quantitative'].pk}/",
            {
                "series": series.pk,
                "direction": "increase",
                "baseline_year": 2022,
                "target_year": 2027,
                "target_value": "60",
                "position": 1,
                "version": w["quantitative"].version,
            },
            lambda: QuantitativeCriterion.objects.filter(target_year=2027).exists(),
        ),
        (
            f"{p}/goals/{goal.pk}/qualitative/new/",
            {"text": "Föreningar ordnar sommarjobb.", "version": 0},
            lambda: goal.qualitative_criteria.filter(letter="b").exists(),
        ),
        (
            f"{p}/qualitative/{w['qualitative'].pk}/",
            {"letter": "a", "text": "Ny lydelse.", "version": w["qualitative"].version},
            lambda: QualitativeCriterion.objects.filter(text="Ny lydelse.").exists(),
        ),
        (
            f"{p}/series/new/",
            {"name": "Andel med bistånd", "unit": "procent", "version": 0},
            lambda: IndicatorSeries.objects.filter(name="Andel med bistånd").exists(),
        ),
        (
            f"{p}/series/{series.pk}/",
            {"name": series.name, "unit": "andel", "version": series.version},
            lambda: IndicatorSeries.objects.filter(pk=series.pk, unit="andel").exists(),
        ),
        (
            f"{p}/series/{series.pk}/values/",
            None,  # filled in below from the grid as read
            lambda: SeriesValue.objects.filter(series=series, year=2023).exists(),
        ),
    ]
    state = series_fingerprint(series)  # the grid as the user read it
    for url, data, written in writes:
        form = web.get(url)
        assert _outcome(form) == ("form" if expected == "ok" else expected), (role, url)
        if data is None:
            data = {"state": state, "v_2022_T": "50", "v_2024_T": "56", "new_0_year": "2023"}
            data |= {"new_0_T": "53", "v_2022_K": "45", "v_2024_K": "46"}
            data |= {"v_2022_M": "55", "v_2024_M": "61"}
        answer = web.post(url, data)
        assert _outcome(answer) == expected, (role, url, getattr(answer, "context", None))
        assert written() == (expected == "ok"), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_goal_delete__every_role__gives_the_table(client, goal_world, role):
    w = goal_world
    web = _client(client, w["users"][role])
    p = f"/plans/{w['plan'].pk}"
    qualitative = web.post(f"{p}/qualitative/{w['qualitative'].pk}/delete/")
    assert _outcome(qualitative) == EDIT[role], role
    quantitative = web.post(f"{p}/quantitative/{w['quantitative'].pk}/delete/")
    assert _outcome(quantitative) == EDIT[role], role
    goal = web.post(f"{p}/goals/{w['goal'].pk}/delete/")
    assert _outcome(goal) == EDIT[role], role
    assert Goal.objects.filter(pk=w["goal"].pk).exists() == (EDIT[role] != "ok")
    # Measures outlive their goals; they only lose the link.
    w["measure"].refresh_from_db()
    assert w["measure"].goals.count() == (0 if EDIT[role] == "ok" else 1)


def test_goals_page__values_entered_by_hand__shows_fulfilment_words(client, goal_world):
    """Enter a series and a criterion through the forms; the page judges it in the 2024 round."""
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    p = f"/plans/{w['plan'].pk}"
    created = web.post(f"{p}/series/new/", {"name": "Behörighet gymnasiet", "version": 0})
    series = IndicatorSeries.objects.get(name="Behörighet gymnasiet")
    assert created["Location"] == f"{p}/series/{series.pk}/values/"
    grid = web.get(created["Location"])
    state = grid.context["form"].initial["state"]
    saved = web.post(
        created["Location"],
        {
            "state": state,
            "new_0_year": "2022",
            "new_0_T": "50",
            "new_0_K": "45,5",
            "new_1_year": "2024",
            "new_1_T": "56",
            "new_1_K": "46",
        },
    )
    assert saved.status_code == 302, saved.context["form"].errors
    criterion = web.post(
        f"{p}/goals/{w['goal'].pk}/quantitative/new/",
        {
            "series": series.pk,
            "direction": "increase",
            "baseline_year": "2022",
            "target_year": "2026",
            "target_value": "60",
            "target_value_women": "60,0",
            "version": 0,
        },
    )
    assert criterion.status_code == 302
    made = QuantitativeCriterion.objects.get(series=series)
    page = web.get(f"{p}/goals/").content.decode()
    rows = _section(page, f"q{made.pk}")
    assert "Behörighet gymnasiet" in rows
    # Everyone: 50 → 56 by 2024, the line to 60 in 2026 is at 55 → on track.
    assert re.search(r"total 2022: 50 60 by 2026 56 \(2024\) on track", rows), rows
    # Women: 45,5 → 46, the line is at 52,75 → not met.
    assert re.search(r"women 2022: 45,5 60 by 2026 46 \(2024\) not met", rows), rows
    assert "fulfilment--on_track" in page and "status--in_progress" in page


def test_goals_page__goal_areas_visions_criteria_and_measures(client, goal_world):
    w = goal_world
    page = _client(client, w["users"]["lasare"]).get(f"/plans/{w['plan'].pk}/goals/")
    html = page.content.decode()
    goal = _section(html, f"g{w['goal'].pk}", "article")
    assert "Goal 1.1 Ökad sysselsättning" in goal
    assert "a) Fler arbetsgivare samverkar med skolan. not assessed" in goal
    assert "Measures: 1.1" in goal
    work = _section(html, f"ga{w['work'].pk}", "section")
    assert "Vision: En attraktiv stadsdel att bo i" in work
    assert "No goals in this goal area yet." in html  # goal area 2
    # A reader gets no editing links.
    assert "/quantitative/" not in html and "/visions/" not in html


def test_series_values__decimal_comma_and_empty_cells__stored_as_decimals(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    url = f"/plans/{w['plan'].pk}/series/{w['series'].pk}/values/"
    form = web.get(url)
    html = form.content.decode()
    assert 'value="50"' in html and 'name="v_2024_K" value="46"' in html
    state = form.context["form"].initial["state"]
    answer = web.post(
        url,
        {
            "state": state,
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
    values = {(v.year, v.sex): v.value for v in SeriesValue.objects.filter(series=w["series"])}
    assert values == {
        (2022, "T"): Decimal("50.25"),
        (2022, "K"): Decimal("1234.5"),
        (2024, "K"): Decimal("46"),
        (2022, "M"): Decimal("-3.5"),
        (2024, "M"): Decimal("61.75"),
        (2025, "T"): Decimal("63.5"),
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
def test_series_values__bad_cell__field_error_and_nothing_saved(
    client, goal_world, cell, text, field, code
):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    url = f"/plans/{w['plan'].pk}/series/{w['series'].pk}/values/"
    state = web.get(url).context["form"].initial["state"]
    before = list(SeriesValue.objects.values_list("year", "sex", "value", "version"))
    answer = web.post(url, {"state": state, "v_2024_T": "57", cell: text})
    assert answer.status_code == 200
    errors = answer.context["form"].errors.as_data()
    assert [e.code for e in errors[field]] == [code]
    assert list(SeriesValue.objects.values_list("year", "sex", "value", "version")) == before


def test_series_values__stale_grid__refused_and_form_kept(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    url = f"/plans/{w['plan'].pk}/series/{w['series'].pk}/values/"
    state = web.get(url).context["form"].initial["state"]
    goal_services.series_value_set(
        acting_user=SYSTEM, series=w["series"], year=2024, value=Decimal("57")
    )
    answer = web.post(url, {"state": state, "v_2024_T": "58,5", "v_2022_T": "50"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Someone else has changed this since you opened it" in html
    assert 'value="58,5"' in html  # what the user wrote is kept
    assert SeriesValue.objects.get(series=w["series"], year=2024, sex="T").value == 57


def test_goal_edit__stale_version__refused_and_form_kept(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    goal = w["goal"]
    url = f"/plans/{w['plan'].pk}/goals/{goal.pk}/"
    read_version = goal.version
    goal_services.goal_update(acting_user=SYSTEM, goal=goal, data={"title": "Ändrad av Alva"})
    answer = web.post(url, {"number": 1, "title": "Min ändring", "version": read_version})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Someone else has changed this since you opened it" in html
    assert 'value="Min ändring"' in html
    assert [e.code for e in answer.context["form"].non_field_errors().as_data()] == [
        "stale_version"
    ]
    assert Goal.objects.get(pk=goal.pk).title == "Ändrad av Alva"


def test_goal_area_vision__stale_version__refused(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    url = f"/plans/{w['plan'].pk}/goal-areas/{w['safety'].pk}/vision/"
    answer = web.post(url, {"vision": w["vision"].pk, "version": w["safety"].version - 1})
    assert answer.status_code == 200
    assert "stale_version" in [e.code for e in answer.context["form"].non_field_errors().as_data()]


def _quantitative(web, w, **changes):
    data = {
        "series": w["series"].pk,
        "direction": "increase",
        "baseline_year": "2022",
        "target_year": "2026",
        "target_value": "60",
        "version": 0,
    } | changes
    return web.post(f"/plans/{w['plan'].pk}/goals/{w['goal'].pk}/quantitative/new/", data)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"target_value": ""}, "target_value", "target_missing"),
        ({"target_year": "2020"}, "target_year", "period_reversed"),
        ({"target_value": "6O"}, "target_value", "invalid"),
        ({"baseline_year": ""}, "baseline_year", "required"),
        ({"series": "other"}, "series", "invalid_choice"),
    ],
)
def test_quantitative_form__invalid_criterion__field_error_with_code(
    client, goal_world, changes, field, code
):
    w = goal_world
    if changes.get("series") == "other":
        other = goal_services.series_create(
            acting_user=SYSTEM, municipality=MunicipalityFactory(), name="Annans serie"
        )
        changes = {"series": other.pk}
    web = _client(client, w["users"]["strateg"])
    answer = _quantitative(web, w, **changes)
    assert answer.status_code == 200
    errors = answer.context["form"].errors.as_data()
    assert [e.code for e in errors[field]] == [code], errors
    assert QuantitativeCriterion.objects.count() == 1


def test_qualitative_form__letter_taken__field_error(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    url = f"/plans/{w['plan'].pk}/goals/{w['goal'].pk}/qualitative/new/"
    answer = web.post(url, {"letter": "a", "text": "Samma bokstav.", "version": 0})
    assert answer.status_code == 200
    assert answer.context["form"].errors
    assert QualitativeCriterion.objects.count() == 1


def test_goal_of_another_plan__hidden_from_this_plans_forms(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    other_plan = plan_create(
        acting_user=SYSTEM, municipality=w["municipality"], name="Annan plan", start_year=2024
    )
    assert web.get(f"/plans/{other_plan.pk}/goals/{w['goal'].pk}/").status_code == 404
    assert web.get(f"/plans/{w['plan'].pk}/goals/999999/").status_code == 404


def test_plan_and_round_pages__link_to_the_goal_pages(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["lasare"])
    plan_page = web.get(f"/plans/{w['plan'].pk}/").content.decode()
    assert f'href="/plans/{w["plan"].pk}/goals/"' in plan_page
    round_page = web.get(f"/rounds/{w['round'].pk}/").content.decode()
    assert f'href="/rounds/{w["round"].pk}/goals/"' in round_page


def test_goals_page__more_goals__same_number_of_queries(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["samordnare"])
    url = f"/plans/{w['plan'].pk}/goals/"
    criterion_assess(
        acting_user=SYSTEM, round=w["round"], criterion=w["qualitative"], assessment="met"
    )
    with CaptureQueriesContext(connection) as before:
        assert web.get(url).status_code == 200
    for number in (2, 3, 4):
        goal = goal_services.goal_create(
            acting_user=SYSTEM,
            goal_area=w["safety"],
            data={"number": number, "title": f"Mål {number}"},
        )
        goal_services.quantitative_criterion_create(
            acting_user=SYSTEM,
            goal=goal,
            data={
                "series": w["series"],
                "baseline_year": 2022,
                "target_year": 2026,
                "target_value": Decimal(70),
            },
        )
        qualitative = goal_services.qualitative_criterion_create(
            acting_user=SYSTEM, goal=goal, data={"text": "Text."}
        )
        criterion_assess(
            acting_user=SYSTEM, round=w["round"], criterion=qualitative, assessment="not_met"
        )
    with CaptureQueriesContext(connection) as after:
        page = web.get(url)
    assert page.content.decode().count("assessment--not_met") == 3
    assert len(after.captured_queries) == len(before.captured_queries)

"""Goal pages through the test client: the goals page, edit forms, the own-figures pages, access."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import AreaFactory, IndicatorFactory
from tests.plans.goal_setup import ROLES, goal_world_fixture  # noqa: F401 - the fixture goal_world

from kvarter.core.actors import SYSTEM
from kvarter.followup.services import criterion_assess
from kvarter.indicators.models import Indicator, IndicatorValue
from kvarter.indicators.own_values_selectors import values_fingerprint
from kvarter.indicators.own_values_services import own_indicator_create
from kvarter.plans import goal_services
from kvarter.plans.models import (
    Goal,
    QualitativeCriterion,
    QuantitativeCriterion,
    Vision,
)
from kvarter.plans.services import plan_create

pytestmark = pytest.mark.django_db

# Reading the goals page, the own-figures list and the round's goal page.
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
        f"/indikatorer/own/{w['municipality'].code}/",
        f"/rounds/{w['round'].pk}/goals/",
    ]:
        response = web.get(url)
        got = "login" if response.status_code == 302 else response.status_code
        assert got == READ[role], (role, url)
        if got == 200:
            assert "Ökad sysselsättning" in response.content.decode() or "own" in url


@pytest.mark.parametrize("role", ROLES)
def test_goal_forms__every_role__write_gives_the_table(client, goal_world, role):
    w = goal_world
    web = _client(client, w["users"][role])
    plan, goal, indicator = w["plan"], w["goal"], w["indicator"]
    own = own_indicator_create(
        actor=SYSTEM,
        municipality=w["municipality"],
        data={"name_sv": "Andel i föreningslivet", "unit": "percent", "direction": "higher"},
    )
    p = f"/plans/{plan.pk}"
    o = f"/indikatorer/own/{w['municipality'].code}"
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
                "indicator": indicator.pk,
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
                "indicator": own.pk,
                "area": w["municipality"].areas.first().pk,
                "direction": "increase",
                "baseline_year": 2022,
                "target_year": 2027,
                "target_value": "60",
                "position": 1,
                "version": w["quantitative"].version,
            },
            lambda: QuantitativeCriterion.objects.filter(target_year=2027, indicator=own).exists(),
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
            f"{o}/new/",
            {"name_sv": "Andel med bistånd", "unit": "percent", "direction": "lower", "version": 0},
            lambda: Indicator.objects.filter(
                name_sv="Andel med bistånd", source_kind="own"
            ).exists(),
        ),
        (
            f"{o}/{own.code}/edit/",
            {
                "name_sv": own.name_sv,
                "unit": "count",
                "direction": "higher",
                "by_sex": "on",
                "version": own.version,
            },
            lambda: Indicator.objects.filter(pk=own.pk, unit="count").exists(),
        ),
        (
            f"{o}/{own.code}/",
            None,  # filled in below from the grid as read
            lambda: IndicatorValue.objects.filter(indicator=own, year=2023).exists(),
        ),
    ]
    state = values_fingerprint(own, w["municipality"], None)  # the grid as the user read it
    for url, data, written in writes:
        form = web.get(url)
        assert _outcome(form) == ("form" if expected == "ok" else expected), (role, url)
        if data is None:
            data = {"state": state, "new_0_year": "2023", "new_0_T": "53", "new_0_K": "45"}
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


def test_goals_page__own_figures_entered_by_hand__shows_fulfilment_words(client, goal_world):
    """Make an own-figures indicator, type its values for an area and set a criterion there
    through the forms; the goals page judges it in the 2024 round."""
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    p, o = f"/plans/{w['plan'].pk}", f"/indikatorer/own/{w['municipality'].code}"
    area = w["municipality"].areas.order_by("name").first()
    created = web.post(
        f"{o}/new/",
        {
            "name_sv": "Behörighet gymnasiet",
            "unit": "percent",
            "direction": "higher",
            "by_sex": "on",
            "version": 0,
        },
    )
    own = Indicator.objects.get(name_sv="Behörighet gymnasiet")
    assert (own.code, own.source_kind) == ("egen-behorighet-gymnasiet", "own")
    assert created["Location"] == f"{o}/#i{own.pk}"
    grid_url = f"{o}/{own.code}/area/{area.pk}/"
    grid = web.get(grid_url)
    state = grid.context["form"].initial["state"]
    saved = web.post(
        grid_url,
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
    assert IndicatorValue.objects.filter(indicator=own, area=area, level="area").count() == 4
    criterion = web.post(
        f"{p}/goals/{w['goal'].pk}/quantitative/new/",
        {
            "indicator": own.pk,
            "area": area.pk,
            "direction": "increase",
            "baseline_year": "2022",
            "target_year": "2026",
            "target_value": "60",
            "target_value_women": "60,0",
            "version": 0,
        },
    )
    assert criterion.status_code == 302
    made = QuantitativeCriterion.objects.get(indicator=own)
    assert made.area == area
    page = web.get(f"{p}/goals/").content.decode()
    rows = _section(page, f"q{made.pk}")
    assert f"Behörighet gymnasiet {area.name}; percent" in rows
    # Everyone: 50 → 56 by 2024, the line to 60 in 2026 is at 55 → on track.
    assert re.search(r"total 2022: 50 60 by 2026 56 \(2024\) on track", rows), rows
    # Women: 45,5 → 46, the line is at 52,75 → not met.
    assert re.search(r"women 2022: 45,5 60 by 2026 46 \(2024\) not met", rows), rows
    assert "fulfilment--on_track" in page and "status--in_progress" in page
    # The criterion on own figures links to their values at its place.
    assert f'href="{grid_url}"' in page


def test_quantitative_form__indicators_grouped__catalogue_and_own_figures_apart(client, goal_world):
    w = goal_world
    own_indicator_create(
        actor=SYSTEM,
        municipality=w["municipality"],
        data={"name_sv": "Egen räkning", "unit": "count", "direction": "higher"},
    )
    web = _client(client, w["users"]["strateg"])
    html = web.get(f"/plans/{w['plan'].pk}/goals/{w['goal'].pk}/quantitative/new/")
    text = html.content.decode()
    catalogue = re.search(r'<optgroup label="Catalogue[^"]*">(.*?)</optgroup>', text, re.S)
    own = re.search(r'<optgroup label="Own figures">(.*?)</optgroup>', text, re.S)
    assert catalogue and own
    assert "Employment rate 20–64 (percent; Kolada)" in catalogue.group(1)
    assert "Egen räkning (count)" in own.group(1) and "Employment" not in own.group(1)
    assert f"Whole municipality ({w['municipality'].name})" in text


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


def test_goal_edit__stale_version__refused_and_form_kept(client, goal_world):
    w = goal_world
    web = _client(client, w["users"]["strateg"])
    goal = w["goal"]
    url = f"/plans/{w['plan'].pk}/goals/{goal.pk}/"
    read_version = goal.version
    goal_services.goal_update(actor=SYSTEM, goal=goal, data={"title": "Ändrad av Alva"})
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
        "indicator": w["indicator"].pk,
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
        ({"indicator": "999999"}, "indicator", "invalid_choice"),
        ({"indicator": ""}, "indicator", "required"),
        ({"area": "other"}, "area", "invalid_choice"),
    ],
)
def test_quantitative_form__invalid_criterion__field_error_with_code(
    client, goal_world, changes, field, code
):
    w = goal_world
    if changes.get("area") == "other":
        changes = {"area": AreaFactory().pk}  # an area of another municipality
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
        actor=SYSTEM, municipality=w["municipality"], name="Annan plan", start_year=2024
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
        actor=SYSTEM, round=w["round"], criterion=w["qualitative"], assessment="met"
    )
    assert web.get(url).status_code == 200  # warm: caches filled once per process do not count
    with CaptureQueriesContext(connection) as before:
        assert web.get(url).status_code == 200
    for number in (2, 3, 4):
        goal = goal_services.goal_create(
            actor=SYSTEM,
            goal_area=w["safety"],
            data={"number": number, "title": f"Mål {number}"},
        )
        goal_services.quantitative_criterion_create(
            actor=SYSTEM,
            goal=goal,
            data={
                "indicator": IndicatorFactory(),
                "baseline_year": 2022,
                "target_year": 2026,
                "target_value": Decimal(70),
            },
        )
        qualitative = goal_services.qualitative_criterion_create(
            actor=SYSTEM, goal=goal, data={"text": "Text."}
        )
        criterion_assess(
            actor=SYSTEM, round=w["round"], criterion=qualitative, assessment="not_met"
        )
    with CaptureQueriesContext(connection) as after:
        page = web.get(url)
    assert page.content.decode().count("assessment--not_met") == 3
    assert len(after.captured_queries) == len(before.captured_queries)

"""Plan, goal area and measure pages: every role, inline editing, stale forms, bad input, history.

The expected answers are written out as a table here, independently of the resolver.
"""

from __future__ import annotations

import pytest

from kvarter.core.actors import SYSTEM
from kvarter.followup.services import round_open, status_report
from kvarter.plans.models import GoalArea, Measure, Plan
from kvarter.plans.services import measure_update

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
ROLES = ["anonymous", "admin", "strateg", "samordnare", "rapportor", "est", "lasare", "other_admin"]

# ok: 200 for a GET, saved and redirected for a POST; login: sent to log in; forbidden: 403;
# hidden: 404 (the same as a missing row); invalid: 422, the form refuses the choice.
# Columns: see ACTIONS. Measure 1.1 is in Norrby, 1.2 in Söderängen (not the coordinator's
# nor the EST member's area).
ACTIONS = [
    "plan_new_get",
    "plan_new_post",
    "plan_edit_get",
    "plan_edit_post",
    "goal_areas_get",
    "goal_area_add",
    "goal_area_edit",
    "measure_new_get",
    "measure_new_post",
    "measure_edit_get",
    "measure_edit_post",
    "measure_edit_other_area",
    "measure_page",
    "measure_page_other_area",
]
EDITOR = ("ok",) * 14
READER = ("forbidden",) * 12 + ("ok", "ok")
PAGES = {
    "anonymous": ("login",) * 14,
    "admin": EDITOR,
    "strateg": EDITOR,
    "samordnare": ("forbidden",) * 11 + ("hidden", "ok", "hidden"),
    "rapportor": READER,
    "est": ("forbidden",) * 11 + ("hidden", "ok", "hidden"),
    "lasare": READER,
    # May create plans in Annanstad (so the page opens) but is offered no Exempelstad.
    "other_admin": ("ok", "invalid") + ("hidden",) * 12,
}


def _measure_post(w, measure, **changes):
    data = {
        "number": measure.number,
        "goal_area": measure.goal_area_id,
        "title": measure.title,
        "areas": [a.pk for a in measure.areas.all()],
        "responsible_units": [u.pk for u in measure.responsible_units.all()],
        "amount": "",
        "version": measure.version,
    }
    return {**data, **changes}


def _requests(w):
    """action → (method, url, data, did the POST take effect?)."""
    plan, m11, m12 = w["plan"], w["measures"]["1.1"], w["measures"]["1.2"]
    one = w["goal_areas"][1]
    return {
        "plan_new_get": ("get", "/plans/new/", None, None),
        "plan_new_post": (
            "post",
            "/plans/new/",
            {
                "municipality": w["municipality"].pk,
                "name": "Ny plan",
                "start_year": 2027,
                "status": "draft",
            },
            lambda: Plan.objects.filter(name="Ny plan").exists(),
        ),
        "plan_edit_get": ("get", f"/plans/{plan.pk}/edit/", None, None),
        "plan_edit_post": (
            "post",
            f"/plans/{plan.pk}/edit/",
            {
                "name": "Omdöpt plan",
                "start_year": 2026,
                "end_year": 2027,
                "status": "adopted",
                "version": plan.version,
            },
            lambda: Plan.objects.filter(name="Omdöpt plan", status="adopted").exists(),
        ),
        "goal_areas_get": ("get", f"/plans/{plan.pk}/goal-areas/", None, None),
        "goal_area_add": (
            "post",
            f"/plans/{plan.pk}/goal-areas/",
            {"number": 3, "name": "Utbildning"},
            lambda: plan.goal_areas.filter(number=3).exists(),
        ),
        "goal_area_edit": (
            "post",
            f"/goal-areas/{one.pk}/edit/",
            {"number": 1, "name": "Trygghet och hälsa", "version": one.version},
            lambda: GoalArea.objects.get(pk=one.pk).name == "Trygghet och hälsa",
        ),
        "measure_new_get": ("get", f"/plans/{plan.pk}/measures/new/", None, None),
        "measure_new_post": (
            "post",
            f"/plans/{plan.pk}/measures/new/",
            {"number": "1.3", "goal_area": one.pk, "title": "Nattvandring", "amount": "5 000"},
            lambda: Measure.objects.filter(number="1.3", amount=5000).exists(),
        ),
        "measure_edit_get": ("get", f"/measures/{m11.pk}/edit/", None, None),
        "measure_edit_post": (
            "post",
            f"/measures/{m11.pk}/edit/",
            _measure_post(w, m11, title="Ny titel"),
            lambda: Measure.objects.get(pk=m11.pk).title == "Ny titel",
        ),
        "measure_edit_other_area": (
            "post",
            f"/measures/{m12.pk}/edit/",
            _measure_post(w, m12, title="Ny titel 1.2"),
            lambda: Measure.objects.get(pk=m12.pk).title == "Ny titel 1.2",
        ),
        "measure_page": ("get", f"/measures/{m11.pk}/", None, None),
        "measure_page_other_area": ("get", f"/measures/{m12.pk}/", None, None),
    }


def _outcome(response, method):
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "ok"
    if response.status_code == 200 and method == "get":
        return "ok"
    return {403: "forbidden", 404: "hidden", 422: "invalid"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("role", ROLES)
def test_plan_pages__every_role__answer_the_table(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    requests = _requests(world)
    for action, expected in zip(ACTIONS, PAGES[role], strict=True):
        method, url, data, took_effect = requests[action]
        response = client.get(url) if method == "get" else client.post(url, data)
        assert _outcome(response, method) == expected, (role, action, response.status_code)
        if took_effect is not None:
            assert took_effect() == (expected == "ok"), (role, action)


def _strategist(client, world):
    client.force_login(world["users"]["strateg"])
    return world["measures"]["1.1"]


def test_measure__inline_edit__returns_the_updated_row(client, world):
    measure = _strategist(client, world)
    plan_page = client.get(f"/plans/{world['plan'].pk}/").content.decode()
    assert f'hx-get="/measures/{measure.pk}/edit/"' in plan_page
    assert f'href="/measures/{measure.pk}/edit/"' in plan_page  # works without JavaScript

    form = client.get(f"/measures/{measure.pk}/edit/", **HX)
    html = form.content.decode()
    assert form.status_code == 200 and html.startswith(f'<tr id="measure-{measure.pk}"')
    assert "<html" not in html and f'name="version" value="{measure.version}"' in html
    assert 'name="description"' not in html  # the inline form is the short one

    saved = client.post(
        f"/measures/{measure.pk}/edit/",
        {
            "number": "1.1",
            "goal_area": measure.goal_area_id,
            "title": "Trygghetsvandringar varje vecka",
            "amount": "1 500 000",
            "version": measure.version,
        },
        **HX,
    )
    row = saved.content.decode()
    assert saved.status_code == 200 and row.startswith(f'<tr id="measure-{measure.pk}">')
    assert "Trygghetsvandringar varje vecka" in row and "<form" not in row
    measure.refresh_from_db()
    assert measure.title == "Trygghetsvandringar varje vecka" and measure.amount == 1_500_000
    # Fields the inline form does not show are left alone.
    assert [a.name for a in measure.areas.all()] == ["Norrby"]

    cancelled = client.get(f"/measures/{measure.pk}/row/", **HX).content.decode()
    assert cancelled.startswith(f'<tr id="measure-{measure.pk}">') and "<form" not in cancelled


def test_measure__inline_edit_with_errors__answers_the_form_422(client, world):
    measure = _strategist(client, world)
    answer = client.post(
        f"/measures/{measure.pk}/edit/",
        {"number": "2.1", "goal_area": measure.goal_area_id, "title": "X", "version": 1},
        **HX,
    )
    html = answer.content.decode()
    assert answer.status_code == 422 and html.startswith(f'<tr id="measure-{measure.pk}"')
    assert 'class="error-summary"' in html and 'value="X"' in html
    assert Measure.objects.get(pk=measure.pk).title == "Åtgärd 1.1"


@pytest.mark.parametrize("htmx", [False, True])
def test_measure__stale_version__refused_and_form_kept(client, world, htmx):
    measure = _strategist(client, world)
    read = measure.version
    measure_update(actor=SYSTEM, measure=measure, data={"title": "Ändrad av någon annan"})
    answer = client.post(
        f"/measures/{measure.pk}/edit/",
        _measure_post(world, Measure.objects.get(pk=measure.pk), title="Min ändring", version=read),
        **(HX if htmx else {}),
    )
    html = answer.content.decode()
    assert answer.status_code == (422 if htmx else 409)
    assert "Någon annan har ändrat" in html and 'value="Min ändring"' in html
    assert Measure.objects.get(pk=measure.pk).title == "Ändrad av någon annan"


def test_plan__stale_version__refused_409(client, world):
    client.force_login(world["users"]["admin"])
    plan = world["plan"]
    data = {"name": "A", "start_year": 2026, "status": "draft", "version": plan.version}
    assert client.post(f"/plans/{plan.pk}/edit/", data).status_code == 302
    stale = client.post(f"/plans/{plan.pk}/edit/", {**data, "name": "B"})
    assert stale.status_code == 409 and "Någon annan har ändrat" in stale.content.decode()
    assert Plan.objects.get(pk=plan.pk).name == "A"


# field changed, value sent, field the error is on, text of the error
BAD_INPUT = [
    ("number", "2.5", "number"),  # goal area 1's measure cannot be numbered 2.x
    ("number", "två", "number"),
    ("end_date", "2026-01-01", "end_date"),  # start is 2026-06-01
    ("amount", "12,5", "amount"),
    ("amount", "en miljon", "amount"),
    ("amount", "-100", "amount"),
    ("areas", "other_area", "areas"),
    ("responsible_units", "other_unit", "responsible_units"),
    ("goal_area", "999999", "goal_area"),
]


@pytest.mark.parametrize(("field", "value", "error_field"), BAD_INPUT)
def test_measure_edit__bad_input__422_with_the_field_named(
    client, world, field, value, error_field
):
    measure = _strategist(client, world)
    if value in ("other_area", "other_unit"):
        value = [world[value].pk]
    data = _measure_post(world, measure, start_date="2026-06-01", **{field: value})
    answer = client.post(f"/measures/{measure.pk}/edit/", data)
    assert answer.status_code == 422
    errors = answer.context["form"].errors
    assert list(errors) == [error_field], errors
    assert f'href="#id_{error_field}' in answer.content.decode()  # the summary links the field
    fresh = Measure.objects.get(pk=measure.pk)
    assert (fresh.version, fresh.start_date) == (measure.version, None)


def test_measure__all_fields__saved_from_the_full_page(client, world):
    measure = _strategist(client, world)
    areas, units = world["areas"], world["units"]
    answer = client.post(
        f"/measures/{measure.pk}/edit/",
        _measure_post(
            world,
            measure,
            number="2.4",
            goal_area=world["goal_areas"][2].pk,
            description="Beskrivning",
            areas=[areas["Åsen"].pk, areas["Kvarnbacken"].pk],
            responsible_units=[units["UAF"].pk],
            responsible_text="UAF",
            partners="Föreningar",
            financing="Inom ram 2026",
            amount="250 000 kr",
            start_date="2026-01-01",
            end_date="2026-12-31",
        ),
    )
    assert answer.status_code == 302 and answer["Location"] == f"/measures/{measure.pk}/"
    measure.refresh_from_db()
    assert (measure.number, measure.goal_area.number, measure.amount) == ("2.4", 2, 250_000)
    assert sorted(a.name for a in measure.areas.all()) == ["Kvarnbacken", "Åsen"]
    assert [u.short_name for u in measure.responsible_units.all()] == ["UAF"]
    assert str(measure.end_date) == "2026-12-31" and measure.partners == "Föreningar"


def test_measure__no_areas__means_the_whole_municipality(client, world):
    measure = _strategist(client, world)
    client.post(f"/measures/{measure.pk}/edit/", _measure_post(world, measure, areas=[]))
    assert not Measure.objects.get(pk=measure.pk).areas.exists()
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "Hela kommunen" in page or "Whole municipality" in page


def test_measure_page__history__shows_the_edit_with_names(client, world):
    measure = _strategist(client, world)
    client.post(
        f"/measures/{measure.pk}/edit/",
        _measure_post(world, measure, title="Ny titel", areas=[world["areas"]["Åsen"].pk]),
    )
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "Åtgärd 1.1 → Ny titel" in page
    assert "Norrby → Åsen" in page  # area ids are shown by name
    assert "strateg" in page
    # A reader sees the measure but not the audit log (as on area pages).
    client.force_login(world["users"]["lasare"])
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "Ny titel" in page and "Norrby → Åsen" not in page


def test_measure_page__status_per_round__shown_with_text(client, world):
    measure = _strategist(client, world)
    round_ = round_open(actor=SYSTEM, plan=world["plan"], year=2026)
    status_report(
        actor=SYSTEM,
        round=round_,
        measure=measure,
        data={"status": "in_progress", "comment": "Halvvägs."},
    )
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "status--in_progress" in page and "Halvvägs." in page
    assert f"/measures/{measure.pk}/lineage/" in page


def test_goal_area__duplicate_number__refused_with_a_message(client, world):
    client.force_login(world["users"]["strateg"])
    plan = world["plan"]
    answer = client.post(f"/plans/{plan.pk}/goal-areas/", {"number": 2, "name": "Annat"})
    assert answer.status_code == 422
    assert "har redan ett målområde med det numret" in answer.content.decode()
    assert plan.goal_areas.count() == 2


def test_goal_area__renumbered__its_measures_follow(client, world):
    client.force_login(world["users"]["strateg"])
    two = world["goal_areas"][2]
    answer = client.post(
        f"/goal-areas/{two.pk}/edit/", {"number": 5, "name": "Arbete", "version": two.version}
    )
    assert answer.status_code == 302
    assert Measure.objects.get(pk=world["measures"]["2.1"].pk).number == "5.1"


def test_plan__end_before_start__refused(client, world):
    client.force_login(world["users"]["strateg"])
    answer = client.post(
        "/plans/new/",
        {
            "municipality": world["municipality"].pk,
            "name": "P",
            "start_year": 2027,
            "end_year": 2026,
            "status": "draft",
        },
    )
    assert answer.status_code == 422 and list(answer.context["form"].errors) == ["end_year"]
    assert not Plan.objects.filter(name="P").exists()


def test_plan_pages__editor_controls__only_for_editors(client, world):
    plan = world["plan"]
    client.force_login(world["users"]["lasare"])
    assert "/edit/" not in client.get(f"/plans/{plan.pk}/").content.decode()
    assert "/plans/new/" not in client.get("/plans/").content.decode()
    client.force_login(world["users"]["strateg"])
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"/plans/{plan.pk}/edit/" in page and f"/plans/{plan.pk}/measures/new/" in page
    assert "/plans/new/" in client.get("/plans/").content.decode()


def test_measure__deleted_until_reported(client, world):
    client.force_login(world["users"]["strateg"])
    m11, m21 = world["measures"]["1.1"], world["measures"]["2.1"]
    round_ = round_open(actor=SYSTEM, plan=world["plan"], year=2026)
    status_report(actor=SYSTEM, round=round_, measure=m11, data={"status": "done"})
    assert client.get(f"/measures/{m21.pk}/delete/").status_code == 200
    gone = client.post(f"/measures/{m21.pk}/delete/", {"version": m21.version})
    assert gone.status_code == 302 and not Measure.objects.filter(pk=m21.pk).exists()
    kept = client.post(f"/measures/{m11.pk}/delete/", {"version": m11.version}, follow=True)
    assert Measure.objects.filter(pk=m11.pk).exists()
    assert "kan inte tas bort" in kept.content.decode()
    client.force_login(world["users"]["lasare"])
    assert client.post(f"/measures/{m11.pk}/delete/", {"version": 1}).status_code == 403

"""Acceptance: a strategist reads the plan's goals, picks a catalogue indicator and a place in
the criterion form, types the municipality's own figures for an area in the values grid, and
assesses a qualitative criterion inline in the open round; every goal page passes axe-core.

The demo's own goals may change; the test adds a goal of its own (number 99 in goal area 1).
"""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect

from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.followup.models import CriterionAssessment, FollowUpRound, RoundState
from kvarter.indicators.models import IndicatorValue
from kvarter.indicators.own_values_services import own_indicator_create, own_values_set
from kvarter.plans import goal_services

from .e2e_support import SCREENSHOT_DIR, assert_accessible, login, screenshot


def _own_goal(round_: FollowUpRound):
    goal_area = round_.plan.goal_areas.order_by("number").first()
    goal = goal_services.goal_create(
        actor=SYSTEM,
        goal_area=goal_area,
        data={"number": 99, "title": "Fler unga i sommarjobb"},
    )
    municipality = round_.plan.municipality
    area = Area.objects.filter(municipality=municipality).order_by("name").first()
    own = own_indicator_create(
        actor=SYSTEM,
        municipality=municipality,
        data={"name_sv": "Unga med sommarjobb (e2e)", "unit": "count", "direction": "higher"},
    )
    own_values_set(
        actor=SYSTEM,
        indicator=own,
        municipality=municipality,
        area=area,
        values=[(round_.year - 2, "T", Decimal(100)), (round_.year, "T", Decimal(130))],
    )
    quantitative = goal_services.quantitative_criterion_create(
        actor=SYSTEM,
        goal=goal,
        data={
            "indicator": own,
            "area": area,
            "baseline_year": round_.year - 2,
            "target_year": round_.year + 2,
            "target_value": Decimal(150),
        },
    )
    qualitative = goal_services.qualitative_criterion_create(
        actor=SYSTEM, goal=goal, data={"text": "Arbetsgivarna tar emot fler unga."}
    )
    return goal, own, area, quantitative, qualitative


def test_strategist_reads_goals_and_assesses_inline(page: Page) -> None:
    round_ = FollowUpRound.objects.get(state=RoundState.OPEN, kind="yearly")
    plan = round_.plan
    goal, own, area, quantitative, qualitative = _own_goal(round_)

    login(page, "strateg")
    page.goto(f"/plans/{plan.pk}/")
    page.locator(f"main a[href='/plans/{plan.pk}/goals/']").click()
    expect(page.locator(f"#g{goal.pk}")).to_be_visible()
    # 100 → 130 in two of four years towards 150: on track in the open round's year.
    expect(page.locator(f"#q{quantitative.pk} .fulfilment--on_track")).to_be_visible()
    assert_accessible(page, "goals page")
    screenshot(page, "goals-plan")

    page.locator(f"a[href='/plans/{plan.pk}/goals/{goal.pk}/']").click()
    expect(page.locator("main form input[name=title]")).to_have_value("Fler unga i sommarjobb")
    assert_accessible(page, "goal edit form")
    screenshot(page, "goals-edit-form")

    page.goto(f"/plans/{plan.pk}/quantitative/{quantitative.pk}/")
    # The indicator list keeps the catalogue's statistics and the own figures apart.
    expect(page.locator("select[name=indicator] optgroup")).to_have_count(2)
    expect(page.locator("select[name=indicator]")).to_have_value(str(own.pk))
    expect(page.locator("select[name=area]")).to_have_value(str(area.pk))
    assert_accessible(page, "quantitative criterion form")
    screenshot(page, "goals-criterion-form")

    page.goto(f"/plans/{plan.pk}/goals/")
    page.locator(f"main a[href$='/own/{plan.municipality.code}/']").click()
    expect(page.locator(f"#i{own.pk}")).to_contain_text(area.name)
    assert_accessible(page, "own figures list")
    page.locator(f"#i{own.pk} a", has_text=area.name).click()
    page.fill(f"input[name=v_{round_.year}_K]", "63,5")
    assert_accessible(page, "own figures values grid")
    screenshot(page, "goals-own-values")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f"#i{own.pk}")).to_be_visible()
    saved = IndicatorValue.objects.get(indicator=own, area=area, year=round_.year, sex="K")
    assert (saved.value, saved.source, saved.status) == (63.5, "Egna uppgifter", "ok")

    page.goto(f"/rounds/{round_.pk}/")
    page.locator(f"main a[href='/rounds/{round_.pk}/goals/']").click()
    block = page.locator(f"#c{qualitative.pk}")
    expect(block.locator(".assessment--not_assessed")).to_be_visible()
    assert_accessible(page, "round goal fulfilment")
    block.locator("a[hx-get]").click()
    form = page.locator(f"#c{qualitative.pk} form")
    expect(form).to_be_visible()
    assert_accessible(page, "inline assessment form")
    form.screenshot(path=str(SCREENSHOT_DIR / "goals-inline-form.png"))
    form.locator("input[name=assessment][value=partly_met]").check()
    form.locator("textarea[name=motivation]").fill("Tre av fem arbetsgivare är med.")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#c{qualitative.pk} .assessment--partly_met")).to_be_visible()
    expect(page.locator(f"#c{qualitative.pk}")).to_contain_text("Tre av fem arbetsgivare är med.")
    screenshot(page, "goals-round-assessed")
    assessment = CriterionAssessment.objects.get(round=round_, criterion=qualitative)
    assert assessment.assessment == "partly_met"

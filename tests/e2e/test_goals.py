"""Acceptance: a strategist reads the plan's goals, fills in an indicator series, and assesses a
qualitative criterion inline in the open round; every goal page passes axe-core.

The demo's own goals may change; the test adds a goal of its own (number 99 in goal area 1).
"""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect

from kvarter.core.actors import SYSTEM
from kvarter.followup.models import CriterionAssessment, FollowUpRound, RoundState
from kvarter.plans import goal_services
from kvarter.plans.models import SeriesValue

from .e2e_support import SCREENSHOT_DIR, assert_accessible, login, screenshot


def _own_goal(round_: FollowUpRound):
    goal_area = round_.plan.goal_areas.order_by("number").first()
    goal = goal_services.goal_create(
        acting_user=SYSTEM,
        goal_area=goal_area,
        data={"number": 99, "title": "Fler unga i sommarjobb"},
    )
    series = goal_services.series_create(
        acting_user=SYSTEM,
        municipality=round_.plan.municipality,
        name="Unga med sommarjobb (e2e)",
        unit="antal",
    )
    for year, value in [(round_.year - 2, "100"), (round_.year, "130")]:
        goal_services.series_value_set(
            acting_user=SYSTEM, series=series, year=year, value=Decimal(value)
        )
    quantitative = goal_services.quantitative_criterion_create(
        acting_user=SYSTEM,
        goal=goal,
        data={
            "series": series,
            "baseline_year": round_.year - 2,
            "target_year": round_.year + 2,
            "target_value": Decimal(150),
        },
    )
    qualitative = goal_services.qualitative_criterion_create(
        acting_user=SYSTEM, goal=goal, data={"text": "Arbetsgivarna tar emot fler unga."}
    )
    return goal, series, quantitative, qualitative


def test_strategist_reads_goals_and_assesses_inline(page: Page) -> None:
    round_ = FollowUpRound.objects.get(state=RoundState.OPEN, kind="yearly")
    plan = round_.plan
    goal, series, quantitative, qualitative = _own_goal(round_)

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

    page.goto(f"/plans/{plan.pk}/series/{series.pk}/values/")
    page.fill(f"input[name=v_{round_.year}_K]", "63,5")
    assert_accessible(page, "series values grid")
    screenshot(page, "goals-series-values")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f"#s{series.pk}")).to_be_visible()
    saved = SeriesValue.objects.get(series=series, year=round_.year, sex="K")
    assert saved.value == Decimal("63.5")

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

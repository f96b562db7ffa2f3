"""Acceptance: the strategist rolls the demo's closed round over to next year's plan from the
round page, then follows a merged measure's lineage; the preview and lineage pass axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from kvarter.followup.models import FollowUpRound, RoundState, StatusReport
from kvarter.plans.models import Measure, Plan

from .e2e_support import assert_accessible, login, screenshot


def _last_closed_round() -> FollowUpRound:
    return (
        FollowUpRound.objects.filter(state=RoundState.CLOSED, kind="yearly")
        .select_related("plan")
        .order_by("-year")
        .first()
    )


def test_strategist_rolls_over_and_follows_the_lineage(page: Page) -> None:
    round_ = _last_closed_round()
    old_plan = round_.plan
    merge = StatusReport.objects.filter(round=round_, disposition="merged").select_related(
        "measure", "merged_into"
    )[0]

    login(page, "strateg")
    page.goto(f"/rounds/{round_.pk}/")
    page.locator("#rollover-start").click()
    page.wait_for_url(f"**/rounds/{round_.pk}/roll-over/")
    expect(page.locator("#id_name")).to_have_value("Åtgärdsplan för områdesutveckling 2027–2029")
    expect(page.locator(f"#step-{merge.measure_id}")).to_contain_text(merge.merged_into.number)
    assert_accessible(page, "roll-over preview")

    # Number again without gaps and look at the preview once more before creating the plan.
    page.locator("input[type=radio][name=renumber][value=consecutive]").check()
    page.locator("button[name=preview]").click()
    expect(page.locator("input[type=radio][name=renumber][value=consecutive]")).to_be_checked()
    assert_accessible(page, "roll-over preview, renumbered")
    screenshot(page, "rollover-preview")
    assert not Plan.objects.filter(predecessor=old_plan).exists()

    page.locator("#rollover-confirm button[type=submit]").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    new_plan = Plan.objects.get(predecessor=old_plan)
    assert page.url.endswith(f"/plans/{new_plan.pk}/")
    expect(page.locator("#origin-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text(merge.measure.title)
    assert_accessible(page, "new plan with its origin")
    screenshot(page, "rollover-new-plan")
    assert new_plan.status == "draft" and new_plan.measures.exists()

    continued = Measure.objects.get(plan=new_plan, predecessor=merge.merged_into)
    page.goto(f"/measures/{continued.pk}/lineage/")
    expect(page.locator(".lineage__subject h2")).to_contain_text(continued.title)
    expect(page.locator("main")).to_contain_text(old_plan.name)
    expect(page.locator("main")).to_contain_text(merge.measure.title)  # merged into the ancestor
    assert_accessible(page, "measure lineage")
    screenshot(page, "rollover-lineage")

    # The round now points to the new plan.
    page.goto(f"/rounds/{round_.pk}/")
    expect(page.locator("#rollover-start")).to_have_count(0)
    expect(page.locator(f"main a[href='/plans/{new_plan.pk}/']")).to_be_visible()

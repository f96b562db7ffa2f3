"""Acceptance: a strategist edits a measure inline on the plan page, then reads its page with
the change in the history; the plan and measure forms pass axe-core."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kvarter.plans.models import Measure, Plan

from .e2e_support import assert_accessible, assert_loaded_cleanly, login, screenshot


def test_strategist_edits_a_measure_inline_then_reads_its_page(page: Page) -> None:
    plan = Plan.objects.get(municipality__code="9999")
    measure = Measure.objects.filter(plan=plan).order_by("number_major", "number_minor").first()
    assert measure is not None
    login(page, "strateg")
    # Chromium asks for /favicon.ico on the first page and Kvarter serves none; that is not
    # what this test is about, so only what happens from the plan page on is checked.
    page.problems.clear()  # type: ignore[attr-defined]

    page.goto(f"/plans/{plan.pk}/")
    row = page.locator(f"#measure-{measure.pk}")
    row.locator(f"a[hx-get='/measures/{measure.pk}/edit/']").click()
    form = page.locator(f"#measure-{measure.pk} form")
    expect(form).to_be_visible()
    assert_accessible(page, "plan page with the inline measure form")
    form.locator("input[name=title]").fill("Trygghetsvandringar varje vecka")
    form.locator("input[name=amount]").fill("1 250 000")
    screenshot(page, "plans-inline-edit-form")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#measure-{measure.pk} form")).to_have_count(0)
    expect(page.locator(f"#measure-{measure.pk}")).to_contain_text(
        "Trygghetsvandringar varje vecka"
    )
    assert_loaded_cleanly(page)
    measure.refresh_from_db()
    assert (measure.title, measure.amount) == ("Trygghetsvandringar varje vecka", 1_250_000)
    screenshot(page, "plans-inline-edit-saved")

    page.locator(f"#measure-{measure.pk}").get_by_role(
        "link", name="Trygghetsvandringar varje vecka"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(measure.number)
    history = page.locator("#history")
    expect(history).to_contain_text("→ Trygghetsvandringar varje vecka")
    expect(history).to_contain_text("→ 1\u00a0250\u00a0000 kr")
    assert_accessible(page, "measure page")
    screenshot(page, "plans-measure-page")

    page.locator(f"main a[href='/measures/{measure.pk}/edit/']").click()
    expect(page.locator("input[name=title]")).to_have_value("Trygghetsvandringar varje vecka")
    assert_accessible(page, "measure edit page")
    page.locator("input[name=end_date]").fill("2020-01-01")
    page.locator("input[name=start_date]").fill("2026-03-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "measure edit page with errors")
    screenshot(page, "plans-measure-edit-errors")


def test_plan_forms_are_accessible(page: Page) -> None:
    plan = Plan.objects.get(municipality__code="9999")
    login(page, "strateg")
    page.goto("/plans/")
    page.locator("main a[href='/plans/new/']").click()
    assert_accessible(page, "new plan")
    screenshot(page, "plans-new-plan")
    for url, where in [
        (f"/plans/{plan.pk}/edit/", "plan edit"),
        (f"/plans/{plan.pk}/goal-areas/", "goal areas"),
        (f"/plans/{plan.pk}/measures/new/", "new measure"),
    ]:
        page.goto(url)
        assert_accessible(page, where)
    screenshot(page, "plans-new-measure")
    assert_loaded_cleanly(page)

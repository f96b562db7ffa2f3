"""Acceptance: a unit reporter reports three statuses, a strategist closes the round and
downloads the PDF; every follow-up page passes axe-core."""

from __future__ import annotations

import shutil
import subprocess

from playwright.sync_api import Page, expect

from kvarter.followup.models import FollowUpRound, RoundState, StatusReport
from kvarter.plans.models import Measure

from .e2e_support import LOGOUT_BUTTON, SCREENSHOT_DIR, assert_accessible, login, screenshot


def _open_round() -> FollowUpRound:
    return FollowUpRound.objects.get(state=RoundState.OPEN, kind="yearly")


def _unreported_sof_measures(round_: FollowUpRound) -> list[Measure]:
    reported = StatusReport.objects.filter(round=round_).exclude(status="")
    measures = Measure.objects.filter(plan=round_.plan, responsible_units__short_name="SOF")
    return list(measures.exclude(pk__in=reported.values("measure")).distinct()[:3])


def _report(page: Page, measure: Measure, status: str, comment: str) -> None:
    row = page.locator(f"#m{measure.pk}")
    row.get_by_role("link", name=f"{measure.number}").click()
    form = page.locator(f"#m{measure.pk} form")
    expect(form).to_be_visible()
    form.locator(f"input[name=status][value={status}]").check()
    form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#m{measure.pk} .status--{status}")).to_be_visible()


def test_report_close_and_download_pdf(page: Page) -> None:
    round_ = _open_round()
    measures = _unreported_sof_measures(round_)
    assert len(measures) == 3, "the demo leaves SOF measures unreported in the open round"

    login(page, "rapportor")
    page.goto("/plans/")
    assert_accessible(page, "plan list")
    page.goto(f"/rounds/{round_.pk}/?mine=1")
    assert_accessible(page, "round to-do list")
    for measure, status in zip(measures, ["done", "in_progress", "not_done"], strict=True):
        if status == "done":
            # The open inline form is itself a follow-up page: check it too.
            page.locator(f"#m{measure.pk}").get_by_role("link", name=measure.number).click()
            expect(page.locator(f"#m{measure.pk} form")).to_be_visible()
            assert_accessible(page, "inline status form")
            page.goto(f"/rounds/{round_.pk}/?mine=1")
        _report(page, measure, status, f"Rapporterat i webbläsaren ({status}).")
    screenshot(page, "followup-reporter-todo")
    reports = {r.measure_id: r.status for r in StatusReport.objects.filter(round=round_)}
    assert [reports[m.pk] for m in measures] == ["done", "in_progress", "not_done"]

    page.click(LOGOUT_BUTTON)
    login(page, "strateg")
    page.goto(f"/plans/{round_.plan_id}/")
    assert_accessible(page, "plan detail")
    page.goto(f"/rounds/{round_.pk}/")
    assert_accessible(page, "round page for the strategist")
    page.get_by_role("button", name="Stäng uppföljningen").click()
    expect(page.get_by_text("En stängd uppföljning är skrivskyddad.")).to_be_visible()
    round_.refresh_from_db()
    assert round_.is_closed
    assert_accessible(page, "closed round")
    screenshot(page, "followup-strategist-closed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    pdf = SCREENSHOT_DIR / "followup-report.pdf"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())  # table cells wrap their text over several lines
    assert measures[0].number in words and "Rapporterat i webbläsaren (done)." in words
    stem = SCREENSHOT_DIR / "followup-report-page"
    subprocess.run(  # noqa: S603
        [_tool("pdftoppm"), "-r", "60", "-png", "-f", "1", "-l", "3", str(pdf), str(stem)],
        check=True,
    )
    assert len(list(SCREENSHOT_DIR.glob("followup-report-page-*.png"))) >= 3


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: install poppler-utils (make test does)"
    return path


def test_import_page_is_accessible(page: Page) -> None:
    login(page, "strateg")
    page.goto("/plans/import/")
    assert_accessible(page, "plan import")

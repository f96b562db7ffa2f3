"""Acceptance: an EST member opens the weekly situational picture (data from factories),
walks a week back and forth, and downloads the one-page PDF; screenshots and axe-core."""

from __future__ import annotations

import shutil
import subprocess

from playwright.sync_api import Page, expect
from tests.safety.test_documents_picture import build_demo_weeks, pdf_pages

from kvarter.areas.models import Municipality
from kvarter.safety.models import RawReadLog

from .e2e_support import (
    SCREENSHOT_DIR,
    assert_accessible,
    assert_loaded_cleanly,
    login,
    screenshot,
)


def _wait_for_picture_map(page: Page) -> None:
    drawn = page.wait_for_function(
        """() => {
            const map = document.querySelector('#picture-map');
            if (map && map.dataset.ready === 'true') { return 'drawn'; }
            if (document.readyState === 'complete' && typeof window.L === 'undefined') {
                return 'no-leaflet';
            }
            return false;
        }"""
    ).json_value()
    assert drawn == "drawn", "\n".join(page.problems)  # type: ignore[attr-defined]


def test_est_member_reads_the_weekly_picture(page: Page, demo_live: Municipality) -> None:
    build_demo_weeks(demo_live)
    login(page, "est")
    page.problems.clear()  # type: ignore[attr-defined]
    page.goto(f"/est/lagesbild/?kommun={demo_live.code}&vecka=2026-W48")
    expect(page.locator("h1")).to_contain_text("48")
    _wait_for_picture_map(page)
    # The member's own areas (Norrby, Västerdal) are chosen: their reports are listed and drawn.
    expect(page.locator("#f-omrade-" + str(_area_id(demo_live, "Norrby")))).to_be_checked()
    reports = page.locator("section[aria-labelledby='h-reports'] tbody tr")
    assert reports.count() > 10
    assert page.locator("#picture-map path.leaflet-interactive").count() >= 2
    expect(page.locator(".picture-chart svg[role=img]")).to_have_count(1)
    page.locator("details.picture-timeline-table summary").click()
    expect(page.locator("details.picture-timeline-table table")).to_be_visible()
    assert_loaded_cleanly(page)
    assert_accessible(page, "situational picture")
    screenshot(page, "est-picture")
    assert RawReadLog.objects.filter(door="web", actor__username="est").exists()

    # A week back and forward again keeps the chosen areas.
    page.locator("a[rel=prev]").click()
    expect(page.locator("h1")).to_contain_text("47")
    page.locator("a[rel=next]").click()
    expect(page.locator("h1")).to_contain_text("48")

    pdf = page.request.get(page.locator("a.button[href*='lagesbild.pdf']").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert pdf_pages(pdf.body()) == 1
    path = SCREENSHOT_DIR / "est-picture.pdf"
    path.write_bytes(pdf.body())
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        prefix = SCREENSHOT_DIR / "est-picture-pdf"
        # A fixed program and our own arguments: nothing here comes from outside the test.
        subprocess.run([pdftoppm, "-png", "-r", "80", str(path), str(prefix)], check=True)  # noqa: S603


def _area_id(municipality: Municipality, name: str) -> int:
    return municipality.areas.get(name=name).pk

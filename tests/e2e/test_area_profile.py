"""Acceptance: an area profile and the indicator map, with screenshots and axe-core.

The data is built here: ten years of three catalogue indicators for every area of Exempelstad,
the municipality and the nation, for everyone, women and men, with a suppressed and a missing
year, and two years of area types.
"""

from __future__ import annotations

import shutil
import subprocess

from playwright.sync_api import Page, expect
from tests.indicators.test_pages import build_profile_values

from kvarter.areas.models import Area
from kvarter.demo.exempelstad import MUNICIPALITY_CODE
from kvarter.indicators.models import AreaType

from .e2e_support import (
    SCREENSHOT_DIR,
    assert_accessible,
    assert_loaded_cleanly,
    login,
    screenshot,
    wait_for_map,
)


def _areas() -> list[Area]:
    areas = list(Area.objects.filter(municipality__code=MUNICIPALITY_CODE).order_by("name"))
    for number, area in enumerate(areas):
        # One area gets no values at all, so the map shows its 'no data' hatching.
        if number < len(areas) - 1:
            build_profile_values(area, offset=number * 2.5 - 4)
            AreaType.objects.filter(area=area, year=2023).update(area_type=1 + number)
    return areas


def test_area_profile_and_indicator_map(page: Page) -> None:
    areas = _areas()
    area = areas[0]
    indicators = 3

    login(page, "lasare")
    # Chromium asks for /favicon.ico on the first page and Kvarter serves none; only what
    # happens from the area page on is checked.
    page.problems.clear()  # type: ignore[attr-defined]
    page.goto(f"/areas/{area.pk}/")
    page.locator(f"main a[href='/indikatorer/omraden/{area.pk}/']").click()
    expect(page.locator("h1")).to_contain_text(area.name)
    charts = page.locator(".chart__drawing svg[role=img]")
    expect(charts).to_have_count(indicators)
    # The first chart's table is opened, so the screenshot shows the text alternative too.
    page.locator("details.chart__table summary").first.click()
    expect(page.locator("details.chart__table table").first).to_be_visible()
    assert_loaded_cleanly(page)
    assert_accessible(page, "area profile")
    screenshot(page, "area-profile")

    # The filters swap the indicators with htmx and keep the address.
    page.select_option("#f-kon", "KM")
    expect(page).to_have_url(f"{page.url.split('?')[0]}?grupp=&kon=KM")
    expect(charts).to_have_count(indicators)
    expect(page.locator("details.chart__table table").first).to_contain_text("kvinnor")

    pdf = page.request.get(f"/indikatorer/omraden/{area.pk}/profil.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    path = SCREENSHOT_DIR / "area-profile.pdf"
    path.write_bytes(pdf.body())
    # The PDF's first pages as pictures, to be looked at beside the screenshots.
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        prefix = SCREENSHOT_DIR / "area-profile-pdf"
        args = ["-png", "-r", "70", "-f", "1", "-l", "6", str(path), str(prefix)]
        # A fixed program and our own arguments: nothing here comes from outside the test.
        subprocess.run([pdftoppm, *args], check=True)  # noqa: S603

    page.goto(f"/indikatorer/karta/?kommun={MUNICIPALITY_CODE}")
    wait_for_map(page)
    expect(page.locator(".leaflet-interactive")).to_have_count(len(areas))
    hatched = page.locator("path.leaflet-interactive[fill='url(#kv-nodata)']")
    expect(hatched).to_have_count(1)
    expect(page.locator("main table tbody tr")).to_have_count(len(areas))
    assert_loaded_cleanly(page)
    assert_accessible(page, "indicator map")
    screenshot(page, "indicator-map")

    # The area types are the map's other layer.
    page.locator(".leaflet-control-layers-base input").nth(1).check()
    expect(hatched).to_have_count(1)
    expect(page.locator(".leaflet-tooltip").first).to_contain_text(":")
    screenshot(page, "indicator-map-area-types")

    page.goto(f"/indikatorer/jamforelse/?kommun={MUNICIPALITY_CODE}")
    expect(page.locator("main table tbody tr")).to_have_count(len(areas) + 2)
    assert_accessible(page, "comparison table")
    screenshot(page, "indicator-comparison")

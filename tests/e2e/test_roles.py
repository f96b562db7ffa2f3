"""Acceptance in a real browser: every role sees the start page and the area map, accessibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kvarter.areas.models import Area, Municipality

from .e2e_support import (
    assert_accessible,
    assert_loaded_cleanly,
    login,
    screenshot,
    wait_for_map,
)

# The seven kinds of visitor: the anonymous public and one demo login per role.
ROLES = ["anonymous", "admin", "strateg", "samordnare", "rapportor", "est", "lasare"]
AREA_NAMES = ["Kvarnbacken", "Norrby", "Söderängen", "Västerdal", "Åsen"]
MAP_URL = "/municipalities/9999/map/"


def _as(page: Page, role: str) -> None:
    if role != "anonymous":
        login(page, role)


def _area(demo: Municipality, name: str) -> Area:
    return Area.objects.get(municipality=demo, name=name)


def test_demo_has_the_five_areas(demo_live: Municipality) -> None:
    names = sorted(Area.objects.filter(municipality=demo_live).values_list("name", flat=True))
    assert names == AREA_NAMES


@pytest.mark.parametrize("path", ["/", MAP_URL], ids=["start", "map"])
def test_pages_get_their_css_and_javascript(page: Page, path: str) -> None:
    """Every stylesheet and script a page links to is served (a 404 leaves it unstyled)."""
    page.goto(path)
    urls = page.evaluate(
        """() => [...document.querySelectorAll('link[rel=stylesheet][href], script[src]')]
                 .map((el) => el.href || el.src)"""
    )
    assert urls, "the page links no stylesheet or script"
    missing = [f"{url} -> {page.request.get(url).status}" for url in urls]
    missing = [m for m in missing if not m.endswith("-> 200")]
    assert not missing, "static files not served:\n" + "\n".join(missing)


@pytest.mark.parametrize("role", ROLES)
def test_start_page(page: Page, role: str) -> None:
    _as(page, role)
    response = page.goto("/")
    assert response is not None
    assert response.status == 200
    main = page.locator("main")
    for name in AREA_NAMES:
        expect(main.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name="Exempelstad", exact=True)).to_be_visible()
    screenshot(page, f"{role}-start")
    assert_loaded_cleanly(page)
    assert_accessible(page, f"start page as {role}")


@pytest.mark.parametrize("role", ROLES)
def test_area_map(page: Page, role: str) -> None:
    _as(page, role)
    response = page.goto(MAP_URL)
    assert response is not None
    assert response.status == 200
    wait_for_map(page)
    expect(page.locator("#area-map .leaflet-overlay-pane path")).to_have_count(len(AREA_NAMES))
    labels = page.locator("#area-map .leaflet-tooltip.area-label")
    table = page.locator("main table")
    expect(labels).to_have_count(len(AREA_NAMES))
    for name in AREA_NAMES:
        expect(labels.filter(has_text=name)).to_be_visible()
        # ... and the same areas in the table below the map, for those who cannot see it.
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    screenshot(page, f"{role}-map")
    assert_loaded_cleanly(page)
    assert_accessible(page, f"area map as {role}")


@pytest.mark.parametrize(
    ("role", "can_edit"), [("admin", True), ("lasare", False)], ids=["admin", "lasare"]
)
def test_area_detail(page: Page, demo_live: Municipality, role: str, can_edit: bool) -> None:
    norrby = _area(demo_live, "Norrby")
    login(page, role)
    response = page.goto(f"/areas/{norrby.pk}/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text("Norrby")
    wait_for_map(page)
    expect(page.locator("#area-map .leaflet-overlay-pane path").first).to_be_visible()
    edit_link = page.locator(f"main a[href='/areas/{norrby.pk}/edit/']")
    expect(edit_link).to_have_count(1 if can_edit else 0)
    if can_edit:
        expect(edit_link).to_be_visible()
    screenshot(page, f"{role}-area-detail")
    assert_loaded_cleanly(page)
    assert_accessible(page, f"area detail as {role}")


def test_organisations_page_as_admin(page: Page) -> None:
    login(page, "admin")
    response = page.goto("/accounts/organisations/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("main table").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Socialförvaltningen")
    screenshot(page, "admin-organisations")
    assert_accessible(page, "organisations page as admin")


@pytest.mark.parametrize("path", ["/", MAP_URL], ids=["start", "map"])
def test_skip_link_is_first_and_moves_focus_to_main(page: Page, path: str) -> None:
    page.goto(path)
    if path == MAP_URL:
        wait_for_map(page)
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    # Focused, it must also be seen (WCAG 2.4.7): inside the viewport, not parked above it.
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0, f"focused skip link is off-screen: {box}"
    expect(skip_link).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues from inside main, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

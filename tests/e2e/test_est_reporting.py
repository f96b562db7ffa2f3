"""Acceptance 1: on a phone, an EST reporter files a report by tapping a category and the map
(counted: at most six interactions); offline the report waits on the phone and is sent once
when the phone is online again; a forced resend of the same draft stores nothing new. The form
passes axe-core; the screenshots are test-artifacts/screenshots/est-report-*.png.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pyproj import Transformer
from shapely.geometry import Point, shape

from kvarter.areas.models import Area, Municipality
from kvarter.safety.models import IncidentReport

from .conftest import TIMEOUT_MS
from .e2e_support import assert_accessible, assert_loaded_cleanly, login, screenshot

PHONE = {"width": 390, "height": 844}
# A spot in Norrby far from its named places (SWEREF 99 TM metres, as the demo writes them):
# a finger's tap near a place's marker chooses the place (the browser snaps a tap to it).
NORRBY_SPOT = (511800, 6568050)


@pytest.fixture
def phone(browser: Browser, live_server: Any, demo_live: Municipality) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
        locale="sv-SE",
        geolocation=None,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def phone_page(phone: BrowserContext) -> Page:
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    # Failed requests are judged by their answers below (the browser's own favicon.ico
    # request, answered 404, is not the page's); other console errors are problems.
    page.on(
        "console",
        lambda m: (
            problems.append(f"console.error: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400
            and r.request.resource_type != "document"
            and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.problems = problems  # type: ignore[attr-defined]
    return page


class Interactions:
    """Counts what the reporter does: each tap or choice is one interaction."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, locator: Locator, **kwargs: Any) -> None:
        self.count += 1
        locator.tap(**kwargs)


def _spot_in_norrby() -> tuple[float, float]:
    lon, lat = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform(
        *NORRBY_SPOT
    )
    norrby = Area.objects.get(municipality__code="9999", name="Norrby")
    assert shape(norrby.boundary).contains(Point(lon, lat))
    return lat, lon


def _map_position(page: Page, prefix: str, lat: float, lon: float) -> dict[str, float]:
    """Where on the event's map (in pixels from its corner) the position is drawn."""
    return page.evaluate(
        """([prefix, lat, lon]) => {
            const map = document.getElementById(prefix).mapInstance;
            const point = map.latLngToContainerPoint([lat, lon]);
            return {x: point.x, y: point.y};
        }""",
        [prefix, lat, lon],
    )


def test_reporter_files_in_three_taps_and_offline_report_is_sent_once(
    phone: BrowserContext, phone_page: Page
) -> None:
    page = phone_page
    login(page, "vard")
    page.goto("/est/rapportera/")
    expect(page.locator("#report-form[data-ready=true]")).to_be_attached()
    expect(page.locator("#e0 [data-map][data-ready=true]")).to_be_attached()
    assert_loaded_cleanly(page)
    assert_accessible(page, "report form on a phone")
    lat, lon = _spot_in_norrby()

    # 1–3: the category, the map, send.
    done = Interactions()
    category = page.locator("#e0 button.toggle", has_text="Klotter")
    done.tap(category)
    expect(category).to_have_attribute("aria-pressed", "true")
    done.tap(page.locator("#e0 [data-map]"), position=_map_position(page, "e0", lat, lon))
    expect(page.locator("#e0 [data-position-status]")).not_to_be_empty()
    assert_accessible(page, "report form filled in")
    screenshot(page, "est-report-phone")
    done.tap(page.locator("#send-report"))
    expect(page.locator("#report-status")).to_have_attribute("data-state", "sent")
    assert done.count <= 6, f"{done.count} interactions"

    first = IncidentReport.objects.get(reporter__username="vard")
    event = first.events.get()
    assert (event.category.name, event.area.name) == ("Klotter", "Norrby")
    assert event.place is None  # the tapped position, not a named place
    # One screen pixel is about 20 metres on the whole-municipality map.
    assert abs(event.latitude - lat) < 5e-4 and abs(event.longitude - lon) < 1e-3
    assert first.client_key is not None

    # Offline: the next report waits on the phone.
    phone.set_offline(True)
    done = Interactions()
    done.tap(page.locator("#e0 button.toggle", has_text="Nedskräpning"))
    done.count += 1  # choosing a named place is one interaction
    page.locator("#id_e0-place").select_option(label="Bollplanen")
    done.tap(page.locator("#send-report"))
    expect(page.locator("#report-status")).to_have_attribute("data-state", "queued")
    expect(page.locator("#outbox-status")).to_be_visible()
    assert done.count <= 6
    assert IncidentReport.objects.filter(reporter__username="vard").count() == 1
    screenshot(page, "est-report-queued")
    waiting = page.evaluate("() => JSON.parse(localStorage.getItem('kvarter-est-outbox'))")
    assert len(waiting) == 1
    payload = waiting[0]["payload"]

    # Online again: sent by itself, stored once.
    phone.set_offline(False)
    expect(page.locator("#report-status")).to_have_attribute("data-state", "sent", timeout=30_000)
    expect(page.locator("#outbox-status")).to_be_hidden()
    reports = IncidentReport.objects.filter(reporter__username="vard")
    assert reports.count() == 2
    second = reports.get(client_key=payload["client_key"])
    assert second.events.get().place.name == "Bollplanen"

    # A forced resend of the same draft (a retry after a lost answer) stores nothing new.
    status = page.evaluate(
        """async (payload) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch("/est/rapportera/skicka/", {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify(payload)});
            return [response.status, await response.json()];
        }""",
        payload,
    )
    assert status[0] == 200 and status[1]["id"] == second.pk, json.dumps(status)
    assert IncidentReport.objects.filter(reporter__username="vard").count() == 2


def test_member_reviews_a_pending_report_inline_and_the_catalogue_is_accessible(
    page: Page,
) -> None:
    from django.utils import timezone

    from kvarter.accounts.models import User
    from kvarter.safety.filing.services import incident_report_file
    from kvarter.safety.models import EstSettings, IncidentCategory, Place, ReviewState

    municipality = Municipality.objects.get(code="9999")
    EstSettings.objects.filter(municipality=municipality).update(review_required=True)
    report = incident_report_file(
        actor=User.objects.get(username="vard"),
        municipality=municipality,
        events=[
            {
                "category": IncidentCategory.objects.get(municipality=municipality, name="Brand"),
                "place": Place.objects.get(name="Bollplanen"),
                "occurred_at": timezone.now(),
                "text": "Brand i papperskorg vid bollplanen",
            }
        ],
        client_key=None,
    )
    login(page, "est")
    page.goto("/est/granskning/")
    row = page.locator(f"#report-{report.pk}")
    expect(row).to_contain_text("Brand i papperskorg vid bollplanen")
    assert_accessible(page, "review queue")
    screenshot(page, "est-review-queue")
    row.locator("button[value=approve]").click()
    expect(page.locator(f"#report-{report.pk} [role=status]")).to_be_visible()
    report.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED

    page.goto("/est/katalog/")
    expect(page.locator("main h1")).to_contain_text("Exempelstad")
    assert_accessible(page, "catalogue page")
    page.goto("/est/katalog/platser/ny/")
    assert_accessible(page, "new place form")
    assert_loaded_cleanly(page)


def test_two_events_in_one_report_and_a_refused_text_comes_back_to_be_fixed(
    phone: BrowserContext, phone_page: Page
) -> None:
    page = phone_page
    login(page, "vard")
    page.goto("/est/rapportera/")
    expect(page.locator("#report-form[data-ready=true]")).to_be_attached()

    page.locator("#e0 button.toggle", has_text="Klotter").tap()
    page.locator("#id_e0-place").select_option(label="Gångbron")
    page.locator("#add-event").tap()
    expect(page.locator("#e1 [data-map][data-ready=true]")).to_be_attached()
    page.locator("#e1 button.toggle", has_text="Positiv händelse").tap()
    page.locator("#id_e1-place").select_option(label="Kvarnbackens lekplats")
    page.locator("#e1 button.toggle", has_text="Nej").tap()
    page.fill("#id_e1-text", "Ring mig på 070-123 45 67")
    page.locator("#send-report").tap()

    # Refused: the report comes back as it was, the error at the text, nothing stored.
    expect(page.locator("#report-status")).to_have_attribute("data-state", "refused")
    expect(page.locator("#e1-text-error")).to_be_visible()
    expect(page.locator("#error-summary a[href='#e1-text']")).to_be_visible()
    expect(page.locator("#id_e1-text")).to_have_value("Ring mig på 070-123 45 67")
    expect(page.locator("#e1 button.toggle", has_text="Positiv händelse")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert not IncidentReport.objects.filter(reporter__username="vard").exists()
    assert_accessible(page, "report form with a refused text")
    screenshot(page, "est-report-refused")

    page.fill("#id_e1-text", "Barn lekte lugnt, föräldrar på plats")
    page.locator("#send-report").tap()
    expect(page.locator("#report-status")).to_have_attribute("data-state", "sent")
    report = IncidentReport.objects.get(reporter__username="vard")
    events = {e.category.name: e for e in report.events.all()}
    assert set(events) == {"Klotter", "Positiv händelse"}
    assert events["Klotter"].area.name == "Västerdal"
    assert events["Positiv händelse"].unsafety == "no"
    assert events["Positiv händelse"].text == "Barn lekte lugnt, föräldrar på plats"

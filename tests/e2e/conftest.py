"""End-to-end fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium (``make browser``
installs it). Without it the tests fail, unless KVARTER_E2E=skip says to skip them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from kvarter.areas.models import Municipality

E2E_DIR = Path(__file__).resolve().parent

CHROMIUM = os.environ.get("KVARTER_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# Short timeouts: the live server answers in milliseconds, so a long wait only means a failure.
TIMEOUT_MS = 10_000


@pytest.hookimpl(trylast=True)  # after pytest-django has put the tests in Django's order
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as e2e, and run them last.

    This hook sees the whole session's items. Last, because the browser session sets
    DJANGO_ALLOW_ASYNC_UNSAFE, which must not leak into other tests (test_deploy runs
    `check --deploy` in a subprocess, and that check refuses the variable).
    """
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: item.path.is_relative_to(E2E_DIR))  # stable: keeps the order


# --- browser -------------------------------------------------------------------------------


def _chromium_missing_reason() -> str | None:
    path = Path(CHROMIUM)
    if not path.is_file() or not os.access(path, os.X_OK):
        return (
            f"Chromium is not installed at {CHROMIUM}; the end-to-end tests need Debian's "
            "chromium (run `make browser`, or `apt-get install chromium`)."
        )
    return None


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("KVARTER_E2E") == "skip":
            pytest.skip(f"{reason} Skipped because KVARTER_E2E=skip.")
        pytest.fail(f"{reason} To skip these tests deliberately, set KVARTER_E2E=skip.")
    # Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls
    # while a loop runs unless told that this is deliberate. Set for the browser session only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def demo_live(
    live_server: Any, transactional_db: None, demo_with_plan: Municipality
) -> Municipality:
    """Exempelstad, built in the database the live server reads (flushed after each test)."""
    return demo_with_plan


@pytest.fixture
def page(browser: Browser, live_server: Any, demo_live: Municipality) -> Iterator[Page]:
    """A fresh browser context per test, with the live server as base URL.

    JavaScript errors and failed requests are collected on ``page.problems`` so a test can
    assert that a page loaded cleanly.
    """
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console.error: {message.text}")

    def on_response(response: Response) -> None:
        # Documents are left out: a test may mean to get a 404 or a 429 page.
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()

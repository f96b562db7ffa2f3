"""Helpers for the end-to-end tests: logging in, screenshots, waiting for maps, axe-core.

Kept out of conftest.py so test modules can import them (``from .e2e_support import login``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from kvarter.demo.exempelstad import DEMO_PASSWORD

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_SOURCE: str | None = None


LOGOUT_BUTTON = "header form[action$='/logout/'] button[type=submit]"
LOGIN_SUBMIT = "main form button[type=submit]"


def submit_login(page: Page, username: str, password: str) -> Any:
    """Fill in and send the login form; return the response to the POST."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_response(
        lambda r: r.url.endswith("/accounts/login/") and r.request.method == "POST"
    ) as response_info:
        page.click(LOGIN_SUBMIT)
    page.wait_for_load_state()
    return response_info.value


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form, and check that it worked."""
    response = submit_login(page, username, password)
    assert response.status == 302, f"login as {username!r} answered {response.status}"
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_map(page: Page) -> None:
    """Wait until area-map.js has drawn the Leaflet map; fail at once if it never can."""
    drawn = page.wait_for_function(
        """() => {
            const map = document.querySelector('#area-map');
            if (map && map.dataset.ready === 'true') { return 'drawn'; }
            // Once the page has loaded, without Leaflet nothing will ever draw the map.
            if (document.readyState === 'complete' && typeof window.L === 'undefined') {
                return 'no-leaflet';
            }
            return false;
        }"""
    ).json_value()
    problems = "\n".join(page.problems)  # type: ignore[attr-defined]
    assert drawn == "drawn", (
        f"the map on {page.url} was not drawn: Leaflet did not load.\n{problems}"
    )


def _axe_source() -> str:
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        path = resources.files("axe_playwright_python") / "axe.min.js"
        _AXE_SOURCE = path.read_text(encoding="utf-8")
    return _AXE_SOURCE


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the pages' CSP
        # (script-src 'self') rightly refuses inline scripts.
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations;
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict[str, Any]], max_nodes: int = 5) -> str:
    """Violations as readable text for an assertion message."""
    if not violations:
        return "no accessibility violations"
    lines = [f"{len(violations)} accessibility violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  <{v.get('helpUrl', '')}>")
        for node in v["nodes"][:max_nodes]:
            target = ", ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            html = " ".join(node.get("html", "").split())
            if len(html) > 200:
                html = html[:200] + "…"
            lines.append(f"    at {target}")
            lines.append(f"       {html}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > max_nodes:
            lines.append(f"    … and {len(v['nodes']) - max_nodes} more element(s)")
    return "\n".join(lines)


def assert_loaded_cleanly(page: Page) -> None:
    """No JavaScript error and no failed subresource request (collected by the page fixture)."""
    problems = page.problems  # type: ignore[attr-defined]
    assert not problems, f"{page.url} did not load cleanly:\n" + "\n".join(problems)


def assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: {format_violations(violations)}"

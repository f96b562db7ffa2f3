"""Logging in and out in a real browser, including the rate limit on failed logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from playwright.sync_api import Page, expect

from kvarter.accounts.models import User
from kvarter.areas.models import Municipality
from kvarter.demo.exempelstad import DEMO_PASSWORD

from .e2e_support import LOGIN_SUBMIT, LOGOUT_BUTTON, assert_accessible, login, submit_login

# Its own user, so that locking it out cannot disturb the demo logins other tests use.
PROBE_USERNAME = "e2e-lockout-probe"
PROBE_PASSWORD = "a-right-password-for-the-probe"


def test_wrong_password__shows_error_and_stays_on_login_page(page: Page) -> None:
    response = submit_login(page, "lasare", "not-the-password")
    assert response.status == 200
    assert page.url.endswith("/accounts/login/")
    expect(page.locator("main .error-summary[role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("lasare")
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert_accessible(page, "login page with an error")


def test_failure_limit__locks_out_even_the_right_password(
    page: Page, demo_live: Municipality
) -> None:
    User.objects.create_user(username=PROBE_USERNAME, password=PROBE_PASSWORD)
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5

    statuses = [submit_login(page, PROBE_USERNAME, f"wrong-{i}").status for i in range(limit)]
    # Below the limit a failure is an ordinary form error; the failure that reaches the limit
    # already gets the locked-out page (django-axes locks as it records that failure).
    assert statuses == [200] * (limit - 1) + [429], statuses

    response = submit_login(page, PROBE_USERNAME, PROBE_PASSWORD)
    assert response.status == 429
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page, "locked-out page")

    # The lock is for that username only: a demo user still logs in from the same address.
    login(page, "lasare", DEMO_PASSWORD)


def test_logout__through_the_header_form(page: Page, live_server: Any) -> None:
    login(page, "admin")
    page.goto("/accounts/organisations/")
    with page.expect_response(
        lambda r: r.url.endswith("/accounts/logout/") and r.request.method == "POST"
    ) as logout_info:
        page.click(LOGOUT_BUTTON)
    assert logout_info.value.status == 302
    page.wait_for_url(f"{live_server.url}/")  # LOGOUT_REDIRECT_URL: the start page
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    expect(page.locator("header a[href^='/accounts/login/']")).to_be_visible()
    # The session is gone: a logged-in-only page sends us to the login form.
    page.goto("/accounts/organisations/")
    assert "/accounts/login/" in page.url
    expect(page.locator(LOGIN_SUBMIT)).to_be_visible()

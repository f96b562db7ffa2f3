"""Acceptance: a strategist sends reminders from the round page; the page says who was
reminded and who could not be reached, and passes axe-core before and after."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import Page, expect

from kvarter.accounts.models import User
from kvarter.followup.models import FollowUpRound, Reminder, RoundState

from .e2e_support import assert_accessible, login, screenshot


def test_strategist_sends_reminders_now(page: Page) -> None:
    User.objects.filter(username="rapportor").update(email="rita@exempelstad.example.se")
    round_ = FollowUpRound.objects.get(state=RoundState.OPEN, kind="yearly")
    mail.outbox = []

    login(page, "strateg")
    page.goto(f"/rounds/{round_.pk}/")
    section = page.locator("#reminders")
    expect(section).to_be_visible()
    assert_accessible(page, "round page with reminders")

    page.locator("form[action$='/reminders/'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(".message--warning")).to_contain_text("KLF")
    assert_accessible(page, "round page after sending reminders")
    screenshot(page, "followup-reminders-sent")

    assert [m.to for m in mail.outbox] == [["rita@exempelstad.example.se"]]
    reminder = Reminder.objects.get()
    assert reminder.organisation.short_name == "SOF" and reminder.recipients_count == 1
    table = page.locator("table", has=page.locator("th", has_text="SOF")).last
    expect(table).to_contain_text(reminder.sent_on.isoformat())

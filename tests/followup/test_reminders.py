"""Reminders before a round's deadline: who gets which measures, when, once; the command and
the round page's 'send reminder now' button."""

from __future__ import annotations

import datetime as dt
import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from tests.factories import MunicipalityFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied
from kvarter.core.models import AuditEntry
from kvarter.followup import reminders
from kvarter.followup.models import FollowUpRound, Reminder, RoundKind
from kvarter.followup.reminders import (
    Outcome,
    reminders_send_due,
    round_reminders_send,
)
from kvarter.followup.services import round_close, round_open, status_report
from kvarter.settings import env

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 8)
DEADLINE = dt.date(2026, 12, 15)  # seven days after TODAY


@pytest.fixture(autouse=True)
def _schedule(settings):
    settings.KVARTER_REMINDER_DAYS = (7, 1, 0)
    settings.KVARTER_BASE_URL = "https://kvarter.example.se"


@pytest.fixture
def s(plan_setup):
    """plan_setup (1.1 SOF, 1.2 KLF, 1.3 SOF+KLF) with a deadline, 1.1 reported, and reporters."""
    FollowUpRound.objects.filter(pk=plan_setup["round"].pk).update(deadline=DEADLINE)
    plan_setup["round"].refresh_from_db()
    status_report(
        actor=SYSTEM,
        round=plan_setup["round"],
        measure=plan_setup["measures"]["1.1"],
        data={"status": "done"},
    )
    plan_setup["sof_reporter"] = _person(plan_setup, "sof", "rita@sof.example.se", "Rita")
    plan_setup["klf_reporter"] = _person(plan_setup, "klf", "karl@klf.example.se", "Karl")
    return plan_setup


def _person(s, unit, email, first_name="", *, role=Role.UNIT_REPORTER, **kwargs):
    return UserFactory.create_with_role(
        role,
        s["municipality"],
        organisation=s[unit],
        email=email,
        first_name=first_name,
        **kwargs,
    )


def _send_due(capture, today=TODAY, **kwargs):
    with capture(execute=True):
        return reminders_send_due(actor=SYSTEM, today=today, **kwargs)


def _mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _flash(page):
    """The page's messages: level → text."""
    found = re.findall(r'<p class="message message--(\w+)">(.*?)</p>', page, re.S)
    return {level: text for level, text in found}


def test_reminder__send_due__each_unit_reporter_gets_their_units_unreported_measures(
    s, django_capture_on_commit_callbacks
):
    results = _send_due(django_capture_on_commit_callbacks)

    assert {(r.unit_label, r.outcome) for r in results} == {
        ("SOF", Outcome.SENT),
        ("KLF", Outcome.SENT),
    }
    assert len(mail.outbox) == 2
    [sof] = _mail_to("rita@sof.example.se")
    [klf] = _mail_to("karl@klf.example.se")
    assert "1.3  Åtgärd 1.3" in sof.body and "1.1" not in sof.body and "1.2" not in sof.body
    assert "1.2  Åtgärd 1.2" in klf.body and "1.3  Åtgärd 1.3" in klf.body
    assert "1.1" not in klf.body
    link = f"https://kvarter.example.se/rounds/{s['round'].pk}/?mine=1"
    for message in (sof, klf):
        assert "2026-12-15" in message.body and link in message.body
        assert "Plan" in message.subject and " / " in message.subject
        # Swedish first, English below: the same text rendered once per language.
        assert (
            message.body.count(link) == 2
            and message.body.count("Rita" if message is sof else "Karl") == 2
        )
    reminders = {r.organisation.short_name: r for r in Reminder.objects.all()}
    assert {k: (r.sent_on, r.recipients_count, r.measure_count) for k, r in reminders.items()} == {
        "SOF": (TODAY, 1, 1),
        "KLF": (TODAY, 1, 2),
    }
    assert AuditEntry.objects.filter(content_type__model="reminder").count() == 2


def test_reminder__send_due__inactive_roleless_addressless_and_foreign_people_get_nothing(
    s, django_capture_on_commit_callbacks
):
    _person(s, "sof", "inactive@sof.example.se", is_active=False)
    _person(s, "sof", "reader@sof.example.se", role=Role.READER)
    _person(s, "sof", "strategist@sof.example.se", role=Role.STRATEGIST)
    _person(s, "sof", "")  # a unit reporter without an address
    elsewhere = UserFactory.create_with_role(
        Role.UNIT_REPORTER, MunicipalityFactory(), email="other@elsewhere.example.se"
    )
    elsewhere.organisation = s["sof"]  # in the unit, but a reporter in another municipality
    elsewhere.save()

    _send_due(django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["karl@klf.example.se", "rita@sof.example.se"]


def test_reminder__send_due__several_reporters_of_a_unit_each_get_one_email(
    s, django_capture_on_commit_callbacks
):
    _person(s, "sof", "sam@sof.example.se", "Sam")
    results = _send_due(django_capture_on_commit_callbacks)
    sof = next(r for r in results if r.unit_label == "SOF")
    assert sorted(sof.recipients) == ["rita@sof.example.se", "sam@sof.example.se"]
    assert all(len(m.to) == 1 for m in mail.outbox) and len(mail.outbox) == 3
    assert Reminder.objects.get(organisation=s["sof"]).recipients_count == 2


@pytest.mark.parametrize(
    ("days_before", "sends"),
    [(8, False), (7, True), (6, False), (2, False), (1, True), (0, True), (-1, False)],
)
def test_reminder__send_due__only_on_reminder_days(
    s, django_capture_on_commit_callbacks, days_before, sends
):
    results = _send_due(
        django_capture_on_commit_callbacks, today=DEADLINE - dt.timedelta(days_before)
    )
    assert bool(results) is sends
    assert bool(mail.outbox) is sends
    assert Reminder.objects.exists() is sends


def test_reminder__send_due__an_empty_schedule_sends_nothing(
    s, settings, django_capture_on_commit_callbacks
):
    settings.KVARTER_REMINDER_DAYS = ()
    assert _send_due(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_reminder__send_due__closed_round_gets_nothing(s, django_capture_on_commit_callbacks):
    round_close(actor=SYSTEM, round=s["round"])
    assert _send_due(django_capture_on_commit_callbacks) == []
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_reminder__send_now__closed_round_is_refused(s):
    round_close(actor=SYSTEM, round=s["round"])
    s["round"].refresh_from_db()
    with pytest.raises(ValidationError) as error:
        round_reminders_send(actor=SYSTEM, round=s["round"], today=TODAY)
    assert error.value.code == "round_closed"


def test_reminder__send_due__round_without_deadline_gets_nothing(
    s, django_capture_on_commit_callbacks
):
    FollowUpRound.objects.filter(pk=s["round"].pk).update(deadline=None)
    for days in range(0, 10):
        assert _send_due(django_capture_on_commit_callbacks, today=TODAY + dt.timedelta(days)) == []
    assert mail.outbox == []


def test_reminder__send_due__twice_the_same_day_sends_once_and_again_on_the_next_reminder_day(
    s, django_capture_on_commit_callbacks
):
    _send_due(django_capture_on_commit_callbacks)
    again = _send_due(django_capture_on_commit_callbacks)
    assert {r.outcome for r in again} == {Outcome.ALREADY_SENT}
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 2

    day_before = _send_due(django_capture_on_commit_callbacks, today=DEADLINE - dt.timedelta(1))
    assert {r.outcome for r in day_before} == {Outcome.SENT}
    assert len(mail.outbox) == 4 and Reminder.objects.count() == 4
    assert "tomorrow" in mail.outbox[-1].body or "i morgon" in mail.outbox[-1].body


def test_reminder__send_due__an_interim_round_is_named_by_its_kind(
    s, django_capture_on_commit_callbacks
):
    round_close(actor=SYSTEM, round=s["round"])
    round_open(
        actor=SYSTEM, plan=s["plan"], year=2026, kind=RoundKind.DR1, deadline=DEADLINE
    )
    _send_due(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert all("(DR1) 2026" in m.subject and "(DR1) 2026" in m.body for m in mail.outbox)
    # Nothing is reported in the new round yet: 1.1, reported in the closed one, is asked again.
    [sof] = _mail_to("rita@sof.example.se")
    assert "1.1  Åtgärd 1.1" in sof.body and "1.3  Åtgärd 1.3" in sof.body


def test_reminder__send_due__unit_with_everything_reported_gets_nothing(
    s, django_capture_on_commit_callbacks
):
    status_report(
        actor=SYSTEM, round=s["round"], measure=s["measures"]["1.3"], data={"status": "done"}
    )
    results = _send_due(django_capture_on_commit_callbacks)
    assert [r.unit_label for r in results] == ["KLF"]
    assert [m.to for m in mail.outbox] == [["karl@klf.example.se"]]
    assert "1.3" not in mail.outbox[0].body and "1.2  Åtgärd 1.2" in mail.outbox[0].body


def test_reminder__send_due__a_report_with_only_a_comment_still_counts_as_unreported(
    s, django_capture_on_commit_callbacks
):
    status_report(
        actor=SYSTEM, round=s["round"], measure=s["measures"]["1.2"], data={"comment": "x"}
    )
    results = _send_due(django_capture_on_commit_callbacks)
    klf = next(r for r in results if r.unit_label == "KLF")
    assert klf.measures == (("1.2", "Åtgärd 1.2"), ("1.3", "Åtgärd 1.3"))


def test_reminder__send_due__unit_without_a_reachable_reporter_is_reported_not_mailed(
    s, django_capture_on_commit_callbacks
):
    s["klf_reporter"].email = ""
    s["klf_reporter"].save()
    results = _send_due(django_capture_on_commit_callbacks)
    outcomes = {r.unit_label: r.outcome for r in results}
    assert outcomes == {"KLF": Outcome.NO_RECIPIENTS, "SOF": Outcome.SENT}
    assert [m.to for m in mail.outbox] == [["rita@sof.example.se"]]
    assert list(Reminder.objects.values_list("organisation__short_name", flat=True)) == ["SOF"]


def test_reminder__send__emails_leave_only_when_the_transaction_commits(
    s, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders_send_due(actor=SYSTEM, today=TODAY)
    assert mail.outbox == [] and len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2


def test_reminder__send__a_failing_mail_server_is_logged_and_the_others_still_go_out(
    s, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    real = reminders.get_connection

    class Refusing:
        def send_messages(self, emails):
            if emails[0].to == ["karl@klf.example.se"]:
                raise smtplib.SMTPRecipientsRefused({"karl@klf.example.se": (550, b"no")})
            return real().send_messages(emails)

    monkeypatch.setattr(reminders, "get_connection", Refusing)
    results = _send_due(django_capture_on_commit_callbacks)
    assert {r.outcome for r in results} == {Outcome.SENT}
    assert [m.to for m in mail.outbox] == [["rita@sof.example.se"]]
    assert "could not be e-mailed" in caplog.text and "KLF" in caplog.text


def test_reminder__send__a_dry_run_sends_and_records_nothing(s, django_capture_on_commit_callbacks):
    audit_before = AuditEntry.objects.count()
    results = _send_due(django_capture_on_commit_callbacks, dry_run=True)
    assert {r.outcome for r in results} == {Outcome.WOULD_SEND}
    assert mail.outbox == [] and not Reminder.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.STRATEGIST, True),
        (Role.AREA_COORDINATOR, False),
        (Role.UNIT_REPORTER, False),
        (Role.EST_MEMBER, False),
        (Role.READER, False),
    ],
)
def test_reminder__send_now__only_round_managers_may(s, role, allowed):
    actor = UserFactory.create_with_role(role, s["municipality"], organisation=s["sof"])
    if allowed:
        assert round_reminders_send(actor=actor, round=s["round"], today=TODAY, dry_run=True)
    else:
        with pytest.raises(PermissionDenied):
            round_reminders_send(actor=actor, round=s["round"], today=TODAY, dry_run=True)


def test_reminder__send_now__a_strategist_of_another_municipality_may_not(s):
    stranger = UserFactory.create_with_role(Role.STRATEGIST, MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        round_reminders_send(actor=stranger, round=s["round"], today=TODAY)
    assert reminders_send_due(actor=stranger, today=TODAY) == []


# --- the command --------------------------------------------------------------------------


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reminder__command_dry_run__prints_what_would_be_sent_and_sends_nothing(
    s, django_capture_on_commit_callbacks
):
    s["klf_reporter"].is_active = False
    s["klf_reporter"].save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        out, err = _command("--today", "2026-12-08", "--dry-run")
    assert callbacks == [] and mail.outbox == [] and not Reminder.objects.exists()
    assert "Dry run" in out and "SOF: 1 mottagare / recipients, 1 åtgärder / measures (1.3)" in out
    assert "KLF: 0 mottagare" in err and "no reporter with an e-mail address" in err


def test_reminder__command__sends_then_sends_nothing_the_same_day(
    s, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = _command("--today", "2026-12-08")
    assert len(mail.outbox) == 2 and "sent" in out and "recipients: 2" in out
    with django_capture_on_commit_callbacks(execute=True):
        again, _ = _command("--today", "2026-12-08")
    assert len(mail.outbox) == 2 and "already reminded today" in again
    assert Reminder.objects.count() == 2


def test_reminder__command__not_a_reminder_day_sends_nothing(s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = _command("--today", "2026-12-09")
    assert mail.outbox == [] and "rounds: 0" in out


@pytest.mark.parametrize("value", ["2026-13-01", "igår", "08/12/2026", ""])
def test_reminder__command__a_bad_date_is_refused(s, value):
    with pytest.raises(CommandError, match="--today"):
        _command("--today", value)
    assert mail.outbox == [] and not Reminder.objects.exists()


# --- the round page's button --------------------------------------------------------------

DEMO_REMIND_MATRIX = [
    ("admin", True),
    ("strateg", True),
    ("samordnare", False),
    ("rapportor", False),
    ("est", False),
    ("lasare", False),
]


@pytest.mark.parametrize(("username", "allowed"), DEMO_REMIND_MATRIX)
def test_reminder__send_now_button__only_strategists_and_administrators(
    client, demo_with_plan, demo_users, django_capture_on_commit_callbacks, username, allowed
):
    reporter = demo_users["rapportor"]
    reporter.email = "rita@exempelstad.example.se"
    reporter.save()
    round_ = FollowUpRound.objects.get(plan__municipality=demo_with_plan, year=2026)
    client.force_login(demo_users[username])
    page = client.get(f"/rounds/{round_.pk}/").content.decode()
    url = f"/rounds/{round_.pk}/reminders/"
    assert (url in page) is allowed

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url)

    if allowed:
        assert answer.status_code == 302 and answer["Location"].endswith("#reminders")
        assert [m.to for m in mail.outbox] == [["rita@exempelstad.example.se"]]
        assert Reminder.objects.get().sent_on == timezone.localdate()
    else:
        assert answer.status_code == 403
        assert mail.outbox == [] and not Reminder.objects.exists()


def test_reminder__send_now_button__ignores_the_schedule_but_reminds_once_a_day(
    client, s, django_capture_on_commit_callbacks
):
    FollowUpRound.objects.filter(pk=s["round"].pk).update(deadline=None)
    strategist = UserFactory.create_with_role(Role.STRATEGIST, s["municipality"])
    client.force_login(strategist)
    url = f"/rounds/{s['round'].pk}/reminders/"
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True).content.decode()
        second = client.post(url, follow=True).content.decode()
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 2
    assert "no deadline" in mail.outbox[0].body or "ingen sista dag" in mail.outbox[0].body
    assert set(_flash(first)) == {"success"} and set(_flash(second)) == {"info"}
    assert "SOF" in _flash(second)["info"] and "KLF" in _flash(second)["info"]
    # The page shows each unit's last reminder to the strategist.
    assert timezone.localdate().isoformat() in first.split('id="reminders"')[1]


def test_reminder__send_now_button__post_only_and_login_required(client, s):
    url = f"/rounds/{s['round'].pk}/reminders/"
    answer = client.post(url)
    assert answer.status_code == 302 and "login" in answer["Location"]
    client.force_login(UserFactory.create_with_role(Role.STRATEGIST, s["municipality"]))
    assert client.get(url).status_code == 405
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_reminder__send_now_button__unreachable_units_are_named_to_the_strategist(
    client, s, django_capture_on_commit_callbacks
):
    s["sof_reporter"].email = ""
    s["sof_reporter"].save()
    client.force_login(UserFactory.create_with_role(Role.STRATEGIST, s["municipality"]))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/rounds/{s['round'].pk}/reminders/", follow=True).content.decode()
    assert [m.to for m in mail.outbox] == [["karl@klf.example.se"]]
    flash = _flash(page)
    assert "SOF" in flash["warning"] and "KLF" not in flash["warning"]
    assert "(1 " in flash["success"]  # one person reached


# --- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "days"),
    [("7,1", (7, 1)), (" 1, 7 ,0,7 ", (7, 1, 0)), ("", ()), ("14", (14,))],
)
def test_reminder__settings__reminder_days_are_parsed(monkeypatch, raw, days):
    monkeypatch.setenv("KVARTER_REMINDER_DAYS", raw)
    assert env.day_counts("KVARTER_REMINDER_DAYS", "7,1,0") == days


@pytest.mark.parametrize("raw", ["-1", "7;1", "sju", "1.5", "400", "²"])
def test_reminder__settings__bad_reminder_days_name_the_variable(monkeypatch, raw):
    monkeypatch.setenv("KVARTER_REMINDER_DAYS", raw)
    with pytest.raises(ValueError, match="KVARTER_REMINDER_DAYS"):
        env.day_counts("KVARTER_REMINDER_DAYS", "7,1,0")


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://kvarter.example.se/", "https://kvarter.example.se"),
        ("http://x:8000", "http://x:8000"),
    ],
)
def test_reminder__settings__base_url_is_kept_without_a_trailing_slash(monkeypatch, raw, url):
    monkeypatch.setenv("KVARTER_BASE_URL", raw)
    assert env.base_url("KVARTER_BASE_URL", "http://127.0.0.1:8000") == url


@pytest.mark.parametrize(
    "raw", ["kvarter.example.se", "ftp://x", "https://", "https:///x", "http://a b"]
)
def test_reminder__settings__bad_base_url_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("KVARTER_BASE_URL", raw)
    with pytest.raises(ValueError, match="KVARTER_BASE_URL"):
        env.base_url("KVARTER_BASE_URL", "http://127.0.0.1:8000")

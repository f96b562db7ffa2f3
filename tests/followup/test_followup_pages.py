"""Follow-up pages through the test client: to-do list, inline report, stale forms, access."""

from __future__ import annotations

import pytest
from tests.factories import MunicipalityFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.followup.models import StatusReport
from kvarter.followup.services import status_report

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _login(client, s, role, *, unit="sof", areas=()):
    user = UserFactory.create_with_role(role, s["municipality"], areas=areas, organisation=s[unit])
    client.force_login(user)
    return user


def test_unit_reporter_reports_inline_and_sees_the_row(client, plan_setup):
    s = plan_setup
    _login(client, s, Role.UNIT_REPORTER)
    page = client.get(f"/rounds/{s['round'].pk}/?mine=1").content.decode()
    assert "Åtgärd 1.1" in page and "Åtgärd 1.3" in page and "Åtgärd 1.2" not in page
    url = f"/rounds/{s['round'].pk}/measures/{s['measures']['1.1'].pk}/"
    form = client.get(url, **HX)
    assert form.status_code == 200 and 'name="version" value="0"' in form.content.decode()
    saved = client.post(url, {"status": "done", "comment": "Klart i mars.", "version": "0"}, **HX)
    assert saved.status_code == 200
    row = saved.content.decode()
    assert row.startswith("<tr") and "Klart i mars." in row
    assert StatusReport.objects.get().status == "done"


def test_stale_form_is_refused_with_a_message(client, plan_setup):
    s = plan_setup
    _login(client, s, Role.STRATEGIST)
    measure = s["measures"]["1.2"]
    status_report(
        actor=SYSTEM, round=s["round"], measure=measure, data={"status": "in_progress"}
    )
    url = f"/rounds/{s['round'].pk}/measures/{measure.pk}/"
    answer = client.post(url, {"status": "done", "version": "0"}, **HX)
    assert answer.status_code == 422
    assert "Någon annan har ändrat" in answer.content.decode()
    assert StatusReport.objects.get().status == "in_progress"


def test_reporter_cannot_report_another_units_measure(client, plan_setup):
    s = plan_setup
    _login(client, s, Role.UNIT_REPORTER)
    url = f"/rounds/{s['round'].pk}/measures/{s['measures']['1.2'].pk}/"
    assert client.post(url, {"status": "done", "version": "0"}, **HX).status_code == 403
    assert not StatusReport.objects.exists()


def test_area_coordinator_sees_own_areas_and_whole_municipality(client, plan_setup):
    s = plan_setup
    _login(client, s, Role.AREA_COORDINATOR, unit="klf", areas=[s["north"]])
    page = client.get(f"/rounds/{s['round'].pk}/").content.decode()
    assert "Åtgärd 1.1" in page and "Åtgärd 1.3" in page and "Åtgärd 1.2" not in page
    hidden = f"/rounds/{s['round'].pk}/measures/{s['measures']['1.2'].pk}/"
    assert client.get(hidden).status_code == 404


def test_closed_round_offers_no_editing(client, plan_setup):
    s = plan_setup
    _login(client, s, Role.STRATEGIST)
    assert client.post(f"/rounds/{s['round'].pk}/close/", {"version": "1"}).status_code == 302
    page = client.get(f"/rounds/{s['round'].pk}/").content.decode()
    assert "Stängd" in page or "Closed" in page
    assert "/measures/" not in page
    url = f"/rounds/{s['round'].pk}/measures/{s['measures']['1.1'].pk}/"
    answer = client.post(url, {"status": "done", "version": "0"}, **HX)
    assert answer.status_code == 422 and not StatusReport.objects.exists()


def test_other_municipality_sees_nothing(client, plan_setup):
    s = plan_setup
    stranger = UserFactory.create_with_role(Role.STRATEGIST, MunicipalityFactory())
    client.force_login(stranger)
    assert client.get(f"/rounds/{s['round'].pk}/").status_code == 404
    assert client.get(f"/plans/{s['plan'].pk}/").status_code == 404
    assert "Plan" not in client.get("/plans/").content.decode().split("<main")[1]


def test_anonymous_is_sent_to_login(client, plan_setup):
    answer = client.get(f"/rounds/{plan_setup['round'].pk}/")
    assert answer.status_code == 302 and "login" in answer["Location"]


@pytest.mark.parametrize("version", ["", "x", "0", "7"])
def test_close_with_a_missing_or_stale_version_is_refused(client, plan_setup, version):
    s = plan_setup
    _login(client, s, Role.STRATEGIST)
    client.post(f"/rounds/{s['round'].pk}/close/", {"version": version})
    s["round"].refresh_from_db()
    assert not s["round"].is_closed

"""Problem places: EST members of the area flag, link measures and close; everyone of the
municipality who sees aggregates reads counts (small ones hidden); raw events only for members,
logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    PlaceFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.plans.models import GoalArea, Measure, Plan
from kvarter.safety.models import ProblemPlace, RawReadLog
from kvarter.safety.problem_places.selectors import (
    access_problem_place_by_id,
    problem_place_history,
)
from kvarter.safety.problem_places.services import (
    problem_place_close,
    problem_place_flag,
    problem_place_update,
)

pytestmark = pytest.mark.django_db

MARKER = "Problemplatsmarkör tunneln"


@pytest.fixture
def s():
    area = AreaFactory()
    municipality = area.municipality
    place = PlaceFactory(area=area)
    member = UserFactory.create_with_role(Role.EST_MEMBER, municipality, areas=[area])
    reader = UserFactory.create_with_role(Role.READER, municipality)
    plan = Plan.objects.create(
        municipality=municipality, name="Plan", start_year=2026, end_year=2026
    )
    goal_area = GoalArea.objects.create(plan=plan, number=1, name="Trygghet")
    measure = Measure.objects.create(
        plan=plan, goal_area=goal_area, number="1.1", title="Belysning i tunneln"
    )
    category = IncidentCategoryFactory(municipality=municipality, name="Klotter")
    now = timezone.now()
    for _ in range(4):
        report = IncidentReportFactory(municipality=municipality, submitted_at=now)
        IncidentEventFactory(
            area=area, report=report, category=category, place=place, occurred_at=now, text=MARKER
        )
    lone = IncidentCategoryFactory(municipality=municipality, name="Brand")
    IncidentEventFactory(
        area=area,
        report=IncidentReportFactory(municipality=municipality, submitted_at=now),
        category=lone,
        place=place,
        occurred_at=now,
    )
    return {
        "area": area,
        "place": place,
        "member": member,
        "reader": reader,
        "measure": measure,
        "municipality": municipality,
    }


def _flag(s):
    return problem_place_flag(
        actor=s["member"], place=s["place"], reason="Återkommande klotter och oro"
    )


def test_problem_place__flag_link_close(s) -> None:
    flagged = _flag(s)
    updated, changed = problem_place_update(
        actor=s["member"],
        problem_place=flagged,
        data={"measures": [s["measure"].pk]},
        expected_version=flagged.version,
    )
    assert changed and list(updated.measures.all()) == [s["measure"]]
    closed, _ = problem_place_close(
        actor=s["member"], problem_place=updated, expected_version=updated.version
    )
    assert closed.status == "closed" and closed.closed_on == timezone.localdate()
    reopened = _flag(s)
    assert reopened.pk == flagged.pk and reopened.status == "active"
    assert reopened.closed_on is None


def test_problem_place__flag_twice__refused(s) -> None:
    _flag(s)
    with pytest.raises(ValidationError) as caught:
        _flag(s)
    assert caught.value.error_dict["place"][0].code == "already_flagged"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.READER, Role.EST_REPORTER])
def test_problem_place__flag_by_non_member__refused(s, role) -> None:
    user = UserFactory.create_with_role(role, s["municipality"], areas=[s["area"]])
    with pytest.raises(PermissionDenied):
        problem_place_flag(actor=user, place=s["place"], reason="x")


def test_problem_place__reason_with_personal_data__refused(s) -> None:
    with pytest.raises(ValidationError) as caught:
        problem_place_flag(actor=s["member"], place=s["place"], reason="mejla a@b.se")
    assert caught.value.error_dict["reason"][0].code == "personal_data"
    assert "a@b.se" not in str(caught.value)
    assert not ProblemPlace.objects.exists()


def test_problem_place__measure_of_other_municipality__refused(s) -> None:
    flagged = _flag(s)
    foreign_plan = Plan.objects.create(
        municipality=AreaFactory().municipality, name="Annan", start_year=2026, end_year=2026
    )
    goal_area = GoalArea.objects.create(plan=foreign_plan, number=1, name="X")
    foreign = Measure.objects.create(
        plan=foreign_plan, goal_area=goal_area, number="1.1", title="Y"
    )
    with pytest.raises(ValidationError) as caught:
        problem_place_update(
            actor=s["member"], problem_place=flagged, data={"measures": [foreign.pk]}
        )
    assert caught.value.error_dict["measures"][0].code == "unknown_measure"


def test_problem_place__close_before_flagged__refused(s) -> None:
    flagged = _flag(s)
    with pytest.raises(ValidationError):
        problem_place_close(
            actor=s["member"],
            problem_place=flagged,
            closed_on=flagged.flagged_on - dt.timedelta(days=1),
        )


def test_history__member_sees_counts_and_raw_logged(s) -> None:
    flagged = _flag(s)
    history = problem_place_history(actor=s["member"], problem_place=flagged)
    assert history.raw
    assert [c.name for c in history.categories] == ["Brand", "Klotter"]
    assert history.rows[0].cells == [1, 4] and history.rows[0].total == 5
    assert len(history.events) == 5
    log = RawReadLog.objects.get()
    assert (log.actor, log.what, log.count) == (s["member"], "problem_place", 5)


def test_history__reader_sees_suppressed_counts_no_raw(s) -> None:
    flagged = _flag(s)
    history = problem_place_history(actor=s["reader"], problem_place=flagged)
    assert not history.raw and history.events == []
    assert history.rows[0].cells == ["< 3", 4]
    assert history.rows[0].total == "–"  # would give the hidden cell away
    assert not RawReadLog.objects.exists()


def test_problem_place__other_municipality__not_found(s) -> None:
    flagged = _flag(s)
    stranger = UserFactory.create_with_role(Role.EST_MEMBER, AreaFactory().municipality)
    with pytest.raises(NotFoundOrForbidden):
        access_problem_place_by_id(stranger, flagged.pk)


def test_pages__member_flags_and_links(client, s) -> None:
    client.force_login(s["member"])
    code = s["municipality"].code
    response = client.post(
        reverse("safety:problem_place_new"),
        {"kommun": code, "place": s["place"].pk, "reason": "Oro vid tunneln"},
    )
    assert response.status_code == 302
    flagged = ProblemPlace.objects.get()
    response = client.post(
        reverse("safety:problem_place_edit", args=[flagged.pk]),
        {"reason": "Oro vid tunneln", "measures": [s["measure"].pk], "version": 1},
    )
    assert response.status_code == 302
    page = client.get(reverse("safety:problem_place", args=[flagged.pk])).content.decode()
    assert MARKER in page and "Belysning i tunneln" in page
    measure_page = client.get(reverse("plans:measure", args=[s["measure"].pk])).content.decode()
    assert reverse("safety:problem_place", args=[flagged.pk]) in measure_page
    response = client.post(reverse("safety:problem_place_close", args=[flagged.pk]), {"version": 2})
    flagged.refresh_from_db()
    assert flagged.status == "closed"


def test_pages__member_sees_deployments_at_the_place_reader_does_not(client, s) -> None:
    from tests.factories import ResourceFactory

    from kvarter.safety.models import Deployment

    flagged = _flag(s)
    today = timezone.localdate()
    Deployment.objects.create(
        area=s["area"],
        place=s["place"],
        resource=ResourceFactory(municipality=s["municipality"]),
        starts_on=today,
        ends_on=today,
        purpose="Kvällsvandring vid tunneln",
        decided_on=today,
    )
    client.force_login(s["member"])
    page = client.get(reverse("safety:problem_place", args=[flagged.pk])).content.decode()
    assert "Kvällsvandring vid tunneln" in page
    client.force_login(s["reader"])
    page = client.get(reverse("safety:problem_place", args=[flagged.pk])).content.decode()
    assert "Kvällsvandring vid tunneln" not in page


def test_pages__reader_sees_counts_not_texts(client, s) -> None:
    flagged = _flag(s)
    client.force_login(s["reader"])
    page = client.get(reverse("safety:problem_place", args=[flagged.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert MARKER not in body and "&lt; 3" in body
    assert client.get(reverse("safety:problem_place_edit", args=[flagged.pk])).status_code == 403
    listing = client.get(reverse("safety:problem_places") + f"?kommun={s['municipality'].code}")
    assert listing.status_code == 200 and s["place"].name in listing.content.decode()


def test_pages__personal_data_in_reason__refused_not_echoed(client, s) -> None:
    client.force_login(s["member"])
    response = client.post(
        reverse("safety:problem_place_new"),
        {"kommun": s["municipality"].code, "place": s["place"].pk, "reason": "ring 0701234567"},
    )
    assert response.status_code == 422
    assert "0701234567" not in response.content.decode()

"""The demo's EST history: imported through the real service, inside the areas, clean, once.

Built with a fixed ``now`` (the real current time, taken once), so that a second run in the
same test sees exactly the same reports.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from shapely.geometry import Point, shape

from kvarter.accounts.models import User
from kvarter.areas.models import Area
from kvarter.core.personal_data import contains_personal_data
from kvarter.demo.exempelstad_est_history import (
    HOT_PLACE,
    HOT_WEEKS,
    build_est_history,
    history_csv,
)
from kvarter.safety.models import (
    Deployment,
    IncidentEvent,
    IncidentReport,
    Outcome,
    ProblemPlace,
    ProblemPlaceStatus,
)
from kvarter.safety.picture.rules import IsoWeek
from kvarter.safety.picture.selectors import situational_picture


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


@pytest.fixture
def history(demo_with_plan, now):
    return build_est_history(demo_with_plan, now=now)


def _started_week(now: dt.datetime) -> IsoWeek:
    """This week, unless it began under three hours ago (then nothing need have happened yet in
    it): the week before. Keeps the tests true at any hour they run."""
    week = IsoWeek.parse(now)
    return week if now - week.start >= dt.timedelta(hours=3) else week.shifted(-1)


def _events_in(week: IsoWeek) -> int:
    return IncidentEvent.objects.filter(
        occurred_at__gte=week.start, occurred_at__lt=week.end
    ).count()


def test_the_fixtures_have_no_history(demo):
    assert not IncidentReport.objects.filter(municipality=demo).exists()


def test_history_covers_the_weeks_the_picture_compares(history, now):
    assert 300 <= history.imported.added <= 2500
    assert history.imported.skipped == 0
    this_week = IsoWeek.parse(now)
    started = _started_week(now)
    weeks = [started, *(started.shifted(-k) for k in range(1, 5))]
    weeks.append(started.same_week_last_year())
    for week in weeks:
        assert _events_in(week) > 0, str(week)
    # Nothing in the future, nothing before the sixty weeks.
    assert not IncidentEvent.objects.filter(occurred_at__gt=now).exists()
    assert not IncidentEvent.objects.filter(occurred_at__lt=this_week.shifted(-60).start).exists()


def test_every_event_lies_inside_its_area(history):
    events = IncidentEvent.objects.select_related("area")
    boundaries = {}
    for event in events:
        assert event.latitude is not None
        if event.area_id not in boundaries:
            boundaries[event.area_id] = shape(event.area.boundary)
        assert boundaries[event.area_id].contains(Point(event.longitude, event.latitude)), event.pk
    assert len(boundaries) == 5


def test_no_text_holds_personal_data(history):
    texts = list(IncidentEvent.objects.exclude(text="").values_list("text", flat=True))
    assert len(texts) > 100
    assert not [t for t in texts if contains_personal_data(t)]


def test_the_mix_is_plausible(history, now):
    events = IncidentEvent.objects.all()
    assert events.filter(severity__isnull=False).count() > events.count() / 3
    assert events.exclude(unsafety="").exists()  # the reports filed through the service
    organisations = set(IncidentReport.objects.values_list("organisation__name", flat=True))
    assert len(organisations) >= 5
    # The hot spot: the latest four weeks at the tunnel outnumber any four weeks of last year.
    area, name = HOT_PLACE
    tunnel = events.filter(place__area__name=area, place__name=name)
    week = IsoWeek.parse(now)
    recent = tunnel.filter(occurred_at__gte=week.shifted(-3).start).count()
    earlier = tunnel.filter(
        occurred_at__gte=week.shifted(-52).start, occurred_at__lt=week.shifted(-48).start
    ).count()
    assert recent > 2 * max(earlier, 1)


def test_deployments_and_problem_place(history, now):
    monday = IsoWeek.parse(now).monday
    last_week = Deployment.objects.filter(starts_on=monday - dt.timedelta(weeks=1))
    assert last_week.count() == 2
    assert set(last_week.values_list("outcome", flat=True)) == {
        Outcome.CARRIED_OUT,
        Outcome.PARTLY,
    }
    assert Deployment.objects.filter(starts_on=monday).exists()
    problem = ProblemPlace.objects.get()
    assert (problem.place.area.name, problem.place.name) == HOT_PLACE
    assert problem.status == ProblemPlaceStatus.ACTIVE
    assert problem.measures.count() == 2


def test_running_again_changes_nothing(demo_with_plan, history, now):
    counts = (
        IncidentReport.objects.count(),
        IncidentEvent.objects.count(),
        Deployment.objects.count(),
        ProblemPlace.objects.count(),
    )
    outcomes = list(Deployment.objects.order_by("pk").values_list("outcome", "version"))
    again = build_est_history(demo_with_plan, now=now)
    assert again.imported.added == 0
    assert again.imported.skipped == history.imported.added
    assert (again.filed, again.deployments) == (0, 0)
    assert counts == (
        IncidentReport.objects.count(),
        IncidentEvent.objects.count(),
        Deployment.objects.count(),
        ProblemPlace.objects.count(),
    )
    assert outcomes == list(Deployment.objects.order_by("pk").values_list("outcome", "version"))


def test_the_file_depends_only_on_the_time(now):
    assert history_csv(now) == history_csv(now)
    # A week later the file reaches a week further, and a week older than the hot spot's
    # weeks (and not the first, which falls out) holds the same rows, by id and content: the
    # ids skip them on a new import.
    first = {line.split(";")[0]: line for line in history_csv(now).decode().splitlines()[1:]}
    later = history_csv(now + dt.timedelta(weeks=1)).decode().splitlines()[1:]
    second = {line.split(";")[0]: line for line in later}
    settled = str(IsoWeek.parse(now).shifted(-HOT_WEEKS)).replace("-", "")
    old = {key for key in first if key[3:10] <= settled and key in second}
    assert len(old) > 0.8 * len(first)
    assert all(first[key] == second[key] for key in old)
    next_week = str(IsoWeek.parse(now).shifted(1)).replace("-", "")
    assert any(key[3:10] == next_week for key in second)
    assert not any(key[3:10] == next_week for key in first)


def test_the_picture_of_this_week_has_counts_for_an_est_member(history, now, demo_with_plan):
    member = User.objects.get(username="est")
    # As the page shows it by default: the member's own areas, which they see raw.
    own = list(Area.objects.filter(municipality=demo_with_plan, name__in=["Norrby", "Västerdal"]))
    week = _started_week(now)
    picture = situational_picture(actor=member, municipality=demo_with_plan, week=week, areas=own)
    assert {a.pk for a in picture.areas} == picture.raw_area_ids == {a.pk for a in own}
    assert picture.total.week.value and picture.total.week.value > 0
    assert picture.total.mean.value and picture.total.mean.value > 0
    assert picture.total.last_year.value and picture.total.last_year.value > 0
    assert picture.reports
    assert picture.deployments_ran or picture.deployments_next

"""Acceptance 4: a user who is not an EST member of an area never sees a raw report of it
through any page, API endpoint or export; small counts are hidden in every aggregate view.

Every EST door is found from the URL resolver (the pages under /est/ and every API route whose
name or path speaks of EST, incidents, the picture or hot spots) and must be classified in
``DOORS`` — a new door nobody classified fails the test. Each door is called by every role
(area-scoped roles hold area A), an EST member of another area (B), an EST member of another
municipality and the anonymous public, with several filters. Reports in A, B and the other
municipality carry unique marker texts and positions; a marker or position may appear in a
response only for a user who is an EST member of its area. PDFs are checked through the HTML
WeasyPrint was given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import weasyprint
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    PlaceFactory,
    ResourceFactory,
    UserFactory,
    est_member_of,
)

from kvarter.accounts.roles import Role
from kvarter.reports.render import pdf as pdf_module
from kvarter.safety.models import Deployment, ProblemPlace

pytestmark = pytest.mark.django_db

RAW = "raw"  # shows single reports to the area's EST members
AGGREGATE = "aggregate"  # shows counts (small ones hidden from non-members)
OTHER = "other"  # forms, deployments, the reporter's own reports, catalogue: no others' reports

# Door (URL name) → (kind, HTTP methods to try). Classify every new EST door here.
DOORS: dict[str, tuple[str, tuple[str, ...]]] = {
    # pages under /est/
    "safety:deployments": (OTHER, ("get",)),
    "safety:deployment_new": (OTHER, ("get",)),
    "safety:deployment": (OTHER, ("get",)),
    "safety:deployment_edit": (OTHER, ("get",)),
    "safety:report": (OTHER, ("get",)),
    "safety:report_send": (OTHER, ("get", "post")),
    "safety:my_reports": (OTHER, ("get",)),
    "safety:review": (RAW, ("get",)),
    "safety:review_decide": (OTHER, ("get", "post")),
    "safety:problem_places": (OTHER, ("get",)),
    "safety:problem_place_new": (OTHER, ("get",)),
    "safety:problem_place": (RAW, ("get",)),
    "safety:problem_place_edit": (OTHER, ("get",)),
    "safety:problem_place_close": (OTHER, ("get", "post")),
    "safety:export": (AGGREGATE, ("get",)),
    "safety:export_events_csv": (RAW, ("get",)),
    "safety:export_events_geojson": (RAW, ("get",)),
    "safety:export_counts_csv": (AGGREGATE, ("get",)),
    "safety:export_counts_geojson": (AGGREGATE, ("get",)),
    "safety:picture": (RAW, ("get",)),
    "safety:picture_pdf": (AGGREGATE, ("get",)),  # one page of counts, no single reports
    "safety:strategic": (AGGREGATE, ("get",)),
    "safety:strategic_download": (AGGREGATE, ("get",)),
    "safety:catalogue": (OTHER, ("get",)),
    "safety:catalogue_defaults": (OTHER, ("get",)),
    "safety:catalogue_settings": (OTHER, ("get",)),
    "safety:category_new": (OTHER, ("get",)),
    "safety:category_edit": (OTHER, ("get",)),
    "safety:resource_new": (OTHER, ("get",)),
    "safety:resource_edit": (OTHER, ("get",)),
    "safety:place_new": (OTHER, ("get",)),
    "safety:place_edit": (OTHER, ("get",)),
    "safety:history_import": (OTHER, ("get",)),  # an upload form; shows no reports
    # API
    "est-deployment-list": (OTHER, ("get",)),
    "est-deployment-detail": (OTHER, ("get",)),
    "incident-report-list": (OTHER, ("get",)),
    "incident-report-detail": (OTHER, ("get",)),
    "est-category-list": (OTHER, ("get",)),
    "est-category-detail": (OTHER, ("get",)),
    "est-place-list": (OTHER, ("get",)),
    "est-place-detail": (OTHER, ("get",)),
    "picture-api": (RAW, ("get",)),
}

# The doors that show counts of area A to users outside it (aggregate views, and the raw
# doors' aggregate face for non-members): small counts must be hidden in each.
COUNT_VIEWS = {
    "safety:export",
    "safety:export_counts_csv",
    "safety:export_counts_geojson",
    "safety:picture",
    "safety:picture_pdf",
    "safety:problem_place",
    "safety:strategic",
    "picture-api",
}

# A door classified AGGREGATE or OTHER that shows a raw report even to the area's own member
# fails below, as does a RAW door that shows them nothing: the classification is checked.
API_WORDS = re.compile(r"est|incident|picture|hotspot|lagesbild|deployment|problem", re.I)


def _walk(patterns: Any, prefix: str = "", namespace: str | None = None) -> Iterator[Any]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p.name


def est_doors() -> set[str]:
    """Every EST page and API route the project has now."""
    found = set()
    for path, namespace, name in _walk(get_resolver().url_patterns):
        if namespace == "safety":
            found.add(f"safety:{name}")
        elif (
            path.startswith("api/") and name and (API_WORDS.search(path) or API_WORDS.search(name))
        ):
            if name in ("api-schema", "api-docs", "api-root"):
                continue
            found.add(name)
    return found


def test_every_est_door_is_classified() -> None:
    unclassified = sorted(est_doors() - set(DOORS))
    assert not unclassified, f"classify these doors in DOORS: {unclassified}"
    gone = sorted(set(DOORS) - est_doors())
    assert not gone, f"these doors no longer exist: {gone}"


# --- the world -----------------------------------------------------------------------------------


@dataclass
class Marked:
    text: str
    positions: tuple[str, ...]  # substrings of the event's coordinates


@pytest.fixture
def world():
    area_a = AreaFactory(name="Område A")
    municipality = area_a.municipality
    area_b = AreaFactory(name="Område B", municipality=municipality)
    area_c = AreaFactory(name="Område C")  # another municipality
    now = timezone.now()
    monday = timezone.localtime(now).date() - dt.timedelta(days=timezone.localtime(now).weekday())
    when = max(
        now - dt.timedelta(hours=1), timezone.make_aware(dt.datetime.combine(monday, dt.time(1)))
    )
    markers: dict[str, Marked] = {}

    def fill(area, key, lat, lon, *, review_state="approved"):
        common = IncidentCategoryFactory(municipality=area.municipality, name=f"Klotter {key}")
        rare = IncidentCategoryFactory(municipality=area.municipality, name=f"Stenkastning {key}")
        place = PlaceFactory(area=area, name=f"Torget {key}")
        text = f"Rå markör {key} zq{lat:.5f}"
        markers[key] = Marked(text, (f"{lat:.5f}", f"{lon:.5f}"))
        for category, n in ((common, 4), (rare, 1)):
            for _ in range(n):
                report = IncidentReportFactory(municipality=area.municipality, submitted_at=when)
                IncidentEventFactory(
                    area=area,
                    report=report,
                    category=category,
                    place=place,
                    occurred_at=when,
                    latitude=lat,
                    longitude=lon,
                    text=text,
                    unsafety="yes",
                    severity=2,
                )
        pending = IncidentReportFactory(
            municipality=area.municipality, submitted_at=when, review_state="pending"
        )
        IncidentEventFactory(
            area=area,
            report=pending,
            category=common,
            place=place,
            occurred_at=when,
            latitude=lat,
            longitude=lon,
            text=text,
        )
        return place, pending

    place_a, pending_a = fill(area_a, "A", 59.0061234, 15.0042345)
    fill(area_b, "B", 59.0071357, 15.0064321)
    fill(area_c, "C", 59.0032468, 15.0027531)

    scoped = {"areas": [area_a]}
    users: dict[str, Any] = {
        role.value: UserFactory.create_with_role(role, municipality, **scoped) for role in Role
    }
    users["est_member_other_area"] = est_member_of(area_b)
    users["other_municipality"] = est_member_of(area_c)
    users["anonymous"] = None
    deployment = Deployment.objects.create(
        area=area_a,
        place=place_a,
        resource=ResourceFactory(municipality=municipality),
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=6),
        purpose="Närvaro",
        decided_on=monday,
    )
    problem_place = ProblemPlace.objects.create(place=place_a, flagged_on=monday, reason="Oro")
    iso = monday.isocalendar()
    return {
        "municipality": municipality,
        "areas": {"A": area_a, "B": area_b, "C": area_c},
        "markers": markers,
        "users": users,
        "ids": {
            "deployment_id": deployment.pk,
            "problem_place_id": problem_place.pk,
            "report_id": pending_a.pk,
            "est-deployment-detail": deployment.pk,
            "incident-report-detail": pending_a.pk,
            "est-category-detail": pending_a.events.get().category_id,
            "est-place-detail": place_a.pk,
            "code": municipality.code,
            "category_id": pending_a.events.get().category_id,
            "resource_id": deployment.resource_id,
            "place_id": place_a.pk,
        },
        "week": f"{iso.year}-W{iso.week:02d}",
    }


# Who may read each marker raw: only the EST members of its area.
MAY_SEE = {
    "A": {Role.EST_MEMBER.value},
    "B": {"est_member_other_area"},
    "C": {"other_municipality"},
}


def _url(name: str, world: dict[str, Any]) -> str:
    return _located(name, world)[0]


def _located(name: str, world: dict[str, Any]) -> tuple[str, bool]:
    """The door's URL, and whether it names one object (then filters matter little)."""
    from django.urls import NoReverseMatch

    try:
        return reverse(name), False
    except NoReverseMatch:
        pass
    try:
        return reverse(name, kwargs={"code": world["ids"]["code"]}), False
    except NoReverseMatch:
        pass
    keys = ("deployment_id", "problem_place_id", "report_id")
    for key in (*keys, "category_id", "resource_id", "place_id"):
        try:
            return reverse(name, kwargs={key: world["ids"][key]}), True
        except NoReverseMatch:
            continue
    return reverse(name, kwargs={"pk": world["ids"][name]}), True


def _variants(world: dict[str, Any]) -> list[str]:
    code = world["municipality"].code
    base = f"kommun={code}&vecka={world['week']}"
    a, b = world["areas"]["A"].pk, world["areas"]["B"].pk
    return [
        f"?{base}",
        f"?{base}&omrade={a}",
        f"?{base}&omrade={b}",
        f"?{base}&omrade={a}&omrade={b}",
        f"?kommun={world['areas']['C'].municipality.code}&vecka={world['week']}",
        f"?municipality={world['municipality'].pk}&week={world['week']}",
        f"?week={world['week']}&area={a}",
        f"?week={world['week']}&area={b}",
    ]


# A stand-in for a PDF's bytes: the HTML is what is checked, and laying out hundreds of real
# PDFs took most of this module's time. One test below renders a real one.
STAND_IN_PDF = b"%PDF-1.7\n% drawn from the recorded HTML\n"


@pytest.fixture
def pdf_html(monkeypatch) -> list[str]:
    """The HTML every PDF is drawn from: a PDF's text is not searchable in its bytes.

    The PDF is not laid out: ``write_pdf`` answers :data:`STAND_IN_PDF` (see ``real_pdf_html``).
    """
    captured: list[str] = []
    real = weasyprint.HTML

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            captured.append(str(kwargs.get("string") or ""))
            super().__init__(*args, **kwargs)

        def write_pdf(self, *args: Any, **kwargs: Any) -> bytes:
            return STAND_IN_PDF

    monkeypatch.setattr(weasyprint, "HTML", Recording)
    monkeypatch.setattr(pdf_module, "HTML", Recording)
    return captured


@pytest.fixture
def real_pdf_html(monkeypatch) -> list[str]:
    """Like ``pdf_html``, but WeasyPrint draws the real PDF."""
    captured: list[str] = []
    real = weasyprint.HTML

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            captured.append(str(kwargs.get("string") or ""))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Recording)
    monkeypatch.setattr(pdf_module, "HTML", Recording)
    return captured


def _body(response: Any, pdf_html: list[str]) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        text = "\n".join(pdf_html)
        pdf_html.clear()
        return text
    return content.decode("utf-8", errors="replace")


def _calls(world: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    for name in sorted(DOORS):
        kind, methods = DOORS[name]
        url, one_object = _located(name, world)
        variants = _variants(world)
        for method in methods:
            for query in variants[:2] if one_object else variants:
                yield name, kind, method, url + query


# Every caller of the matrix: each role (area-scoped roles hold area A), an EST member of area B,
# one of another municipality, and the anonymous public. One test per caller.
CALLERS = [
    *(role.value for role in Role),
    "est_member_other_area",
    "other_municipality",
    "anonymous",
]


@pytest.mark.parametrize("user_key", CALLERS)
def test_no_raw_report_reaches_a_non_member(client, world, pdf_html, user_key) -> None:
    assert set(CALLERS) == set(world["users"])
    seen: dict[tuple[str, str], set[str]] = {}  # (user, marker) → doors that showed it
    statuses: dict[str, set[int]] = {}
    user = world["users"][user_key]
    if user is not None:
        client.force_login(user)
    for name, _kind, method, url in _calls(world):
        call: Callable[..., Any] = getattr(client, method)
        response = call(url)
        statuses.setdefault(name, set()).add(response.status_code)
        body = _body(response, pdf_html)
        for key, marked in world["markers"].items():
            shows = marked.text in body or any(p in body for p in marked.positions)
            if shows:
                seen.setdefault((user_key, key), set()).add(name)
                assert user_key in MAY_SEE[key], (
                    f"{user_key} saw a raw report of area {key} through {name} ({url})"
                )
    # The check is not vacuous: each area's member reads its raw reports through the raw
    # doors (the ones that exist now), and through no door classified as not raw.
    if user_key == Role.EST_MEMBER.value:
        raw_doors = {n for n, (kind, _m) in DOORS.items() if kind == RAW}
        member_saw = seen.get((Role.EST_MEMBER.value, "A"), set())
        assert member_saw == raw_doors, (
            f"raw doors that showed nothing: {sorted(raw_doors - member_saw)}; doors classified "
            f"not raw that showed raw reports: {sorted(member_saw - raw_doors)}"
        )
    if user_key == "other_municipality":
        assert seen.get(("other_municipality", "C")), "the other municipality's member sees C"


PDF_DOORS = ["safety:picture_pdf"]


@pytest.mark.parametrize("user_key", [Role.EST_MEMBER.value, "est_member_other_area"])
def test_real_pdf__drawn_from_html_without_others_raw_reports(
    client, world, real_pdf_html, user_key
) -> None:
    """The matrix above checks a PDF door through its HTML; here WeasyPrint draws it."""
    client.force_login(world["users"][user_key])
    code = world["municipality"].code
    for name in PDF_DOORS:
        response = client.get(_url(name, world) + f"?kommun={code}&vecka={world['week']}")
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content.startswith(b"%PDF") and content != STAND_IN_PDF
        html = "\n".join(real_pdf_html)
        assert html
        for key, marked in world["markers"].items():
            if user_key not in MAY_SEE[key]:
                assert marked.text not in html, (user_key, key)


SUPPRESSED = re.compile(r"(&lt;|<|\\u003c)\s?3")


def test_small_counts_hidden_in_every_aggregate_view(client, world, pdf_html) -> None:
    """Area A has a category with one report. Non-members who reach an aggregate view of A
    see '< 3' there, and in the machine-readable counts no value of 1 or 2 for A."""
    a = world["areas"]["A"].pk
    code = world["municipality"].code
    aggregate_pages = sorted(COUNT_VIEWS & set(DOORS))
    shown_to: dict[str, set[str]] = {}
    for user_key in (Role.READER.value, Role.ADMINISTRATOR.value, "est_member_other_area"):
        client.force_login(world["users"][user_key])
        for name in aggregate_pages:
            response = client.get(
                _url(name, world) + f"?kommun={code}&vecka={world['week']}&omrade={a}"
            )
            if response.status_code != 200:
                continue
            body = _body(response, pdf_html)
            assert world["markers"]["A"].text not in body
            shown_to.setdefault(name, set()).add(user_key)
            if name in ("safety:export_counts_csv",):
                for line in body.splitlines()[1:]:
                    count = line.split(";")[2]
                    assert count not in ("1", "2"), (user_key, line)
            elif name == "safety:export_counts_geojson":
                import json

                for feature in json.loads(body)["features"]:
                    for value in feature["properties"]["counts"].values():
                        assert value not in (1, 2), (user_key, feature)
                    assert feature["properties"]["total"] not in (1, 2)
            else:
                assert SUPPRESSED.search(body), f"{name} shows no '< 3' to {user_key}"
    # Every count view was reached by a non-member at least once (else the check is empty).
    assert set(shown_to) == set(aggregate_pages), set(aggregate_pages) - set(shown_to)

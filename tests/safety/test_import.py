"""History import of EST reports: every bad row listed at once, nothing written; idempotent."""

from __future__ import annotations

import pytest
from pyproj import Transformer
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlaceFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied
from kvarter.core.importing import ImportRejected
from kvarter.safety.history.exporting import incidents_to_csv
from kvarter.safety.history.importers import MAX_PROBLEMS
from kvarter.safety.history.services import incident_history_import
from kvarter.safety.models import IncidentEvent, IncidentReport

pytestmark = pytest.mark.django_db

WEST = {
    "type": "Polygon",
    "coordinates": [[[15.0, 59.0], [15.01, 59.0], [15.01, 59.01], [15.0, 59.01], [15.0, 59.0]]],
}
EAST = {
    "type": "Polygon",
    "coordinates": [[[15.01, 59.0], [15.02, 59.0], [15.02, 59.01], [15.01, 59.01], [15.01, 59.0]]],
}
HEADER = (
    "id;tidpunkt;kategori;område;plats;lat;lon;n;e;rapportör_organisation;beskrivning;allvarlighet"
)
PERSONNUMMER = "19850101-1236"  # Luhn-valid


def _town(code: str | None = None):
    municipality = MunicipalityFactory(**({"code": code} if code else {}))
    west = AreaFactory(municipality=municipality, name="Västra", boundary=WEST)
    east = AreaFactory(municipality=municipality, name="Östra", boundary=EAST)
    for name in ("Skadegörelse", "Klotter"):
        IncidentCategoryFactory(municipality=municipality, name=name)
    OrganisationFactory(municipality=municipality, name="Kommunvärdar", short_name="KV")
    OrganisationFactory(municipality=municipality, name="Polisen", short_name="POL")
    PlaceFactory(area=west, name="Torget", latitude=59.005, longitude=15.005)
    return municipality, west, east


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def _import(municipality, data: bytes, **kwargs):
    return incident_history_import(
        actor=SYSTEM, municipality=municipality, data=data, file_name="historik.csv", **kwargs
    )


GOOD = (
    "a1;2025-03-14T22:15;Skadegörelse;Västra;;59.005;15.005;;;Kommunvärdar;Krossad ruta;2",
    "a2;2025-03-14 22:15;klotter;;;59.005;15.015;;;KV;;",
    "a3;2025-03-15T01:00+00:00;Klotter;;Torget;;;;;Polisen;;3",
    "a4;2025-06-01T12:00;Skadegörelse;Östra;;;;;;polisen;;1",
)


def test_import__valid_file__one_report_with_one_event_per_row() -> None:
    municipality, west, east = _town()
    result = _import(municipality, _csv(*GOOD))
    assert (result.added, result.skipped, result.without_id) == (4, 0, 0)
    events = {e.report.source_id: e for e in IncidentEvent.objects.select_related("report")}
    assert set(events) == {"a1", "a2", "a3", "a4"}
    assert IncidentReport.objects.count() == 4
    a1, a2, a3, a4 = (events[k] for k in ("a1", "a2", "a3", "a4"))
    assert a1.area == west and a1.text == "Krossad ruta" and a1.severity == 2
    assert a1.occurred_at.isoformat() == "2025-03-14T21:15:00+00:00"  # CET is UTC+1
    assert a2.area == east and a2.category.name == "Klotter"  # derived from the position
    assert a2.report.organisation.name == "Kommunvärdar"  # by short name
    assert (
        a3.place is not None and a3.place.name == "Torget" and a3.area == west
    )  # the place names the area
    assert (a3.latitude, a3.longitude) == (59.005, 15.005)  # the place's point
    assert a3.occurred_at.isoformat() == "2025-03-15T01:00:00+00:00"
    assert a4.area == east and a4.latitude is None
    assert a4.occurred_at.isoformat() == "2025-06-01T10:00:00+00:00"  # CEST is UTC+2


def test_import__sweref_position__lands_in_the_right_area() -> None:
    municipality, _west, east = _town()
    to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    e, n = to_sweref.transform(15.015, 59.005)
    _import(municipality, _csv(f"s1;2025-03-14T22:15;Klotter;;;;;{n:.1f};{e:.1f};Polisen;;"))
    event = IncidentEvent.objects.get()
    assert event.area == east
    assert event.latitude == pytest.approx(59.005, abs=1e-6)
    assert event.longitude == pytest.approx(15.015, abs=1e-6)


def test_import__every_malformed_variant__all_problems_at_once_and_nothing_written() -> None:
    municipality, _west, _east = _town()
    rows = [
        GOOD[0],
        "b2;2025-03-14T22:15;Inbrott;Västra;;;;;;Polisen;;",  # unknown category
        "b3;2025-03-14T22:15;Klotter;Västra;;;;;;Brandkåren;;",  # unknown organisation
        "b4;14/3 2025 kl 22;Klotter;Västra;;;;;;Polisen;;",  # bad time
        "b5;2025-03-14T22:15;Klotter;;;59.5;15.5;;;Polisen;;",  # outside every area
        "b6;2025-03-14T22:15;Klotter;;;59.005;;;;Polisen;;",  # half a coordinate pair
        "b7;2025-03-14T22:15;Klotter;Västra;;;;;;Polisen;;4",  # severity 4
        "b8;2025-03-14T22:15;Klotter;Västra;;;;;;Polisen;" + "x" * 1001 + ";",  # too long
        f"b9;2025-03-14T22:15;Klotter;Västra;;;;;;Polisen;Pnr {PERSONNUMMER} sågs;",
        "b10;2025-03-14T22:15;Klotter;;;;;;;Polisen;;",  # no location
        "a1;2025-03-14T22:15;Klotter;Västra;;;;;;Polisen;;",  # id twice
        "b12;2025-03-14T22:15;Klotter;Norra;;;;;;Polisen;;",  # unknown area
        "b13;2025-03-14T22:15;Klotter;Östra;Torget;;;;;Polisen;;",  # place not in the area
        "b14;2025-03-14;Klotter;Östra;;;;;;Polisen;;",  # a date without a time
    ]
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _csv(*rows))
    found = {(p.row, p.code) for p in rejected.value.problems}
    assert found == {
        (3, "unknown_category"),
        (4, "unknown_organisation"),
        (5, "occurred_at_required"),
        (6, "position_outside_areas"),
        (7, "invalid_position"),
        (8, "invalid_severity"),
        (9, "text_too_long"),
        (10, "personal_data"),
        (11, "where_required"),
        (12, "duplicate_id"),
        (13, "unknown_area"),
        (14, "unknown_place"),
        (15, "occurred_at_required"),
    }
    personal = next(p for p in rejected.value.problems if p.code == "personal_data")
    assert personal.field == "beskrivning"
    assert "personnummer" in personal.message and "personal identity number" in personal.message
    everything = str(rejected.value)
    assert PERSONNUMMER not in everything and "850101" not in everything
    assert IncidentReport.objects.count() == 0 and IncidentEvent.objects.count() == 0


def test_import__missing_required_column__named_and_nothing_written() -> None:
    municipality, _west, _east = _town()
    header = "id;tidpunkt;område;lat"
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _csv("x;2025-03-14T22:15;Västra;59.0", header=header))
    found = {(p.field, p.code) for p in rejected.value.problems}
    assert found == {
        ("kategori", "missing_column"),
        ("rapportör_organisation", "missing_column"),
        ("lon", "missing_column"),
    }
    assert IncidentReport.objects.count() == 0


def test_import__many_bad_rows__list_capped_with_a_count_of_the_rest() -> None:
    municipality, _west, _east = _town()
    rows = [f"c{i};2025-03-14T22:15;Inbrott;Västra;;;;;;Polisen;;" for i in range(1200)]
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _csv(*rows))
    problems = rejected.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].code == "more_problems" and "200" in problems[-1].message


def test_import__same_file_again__changes_nothing_rows_without_id_added_again() -> None:
    municipality, _west, _east = _town()
    data = _csv(*GOOD, ";2025-03-14T23:00;Klotter;Västra;;;;;;Polisen;;")
    first = _import(municipality, data)
    assert (first.added, first.skipped, first.without_id) == (5, 0, 1)
    stored = list(IncidentEvent.objects.values_list("pk", "report_id", "occurred_at", "area_id"))
    again = _import(municipality, data)
    assert (again.added, again.skipped, again.without_id) == (1, 4, 1)
    assert "utan id" in str(again)
    assert set(stored) <= set(
        IncidentEvent.objects.values_list("pk", "report_id", "occurred_at", "area_id")
    )
    assert IncidentReport.objects.filter(source_id="").count() == 2
    assert not IncidentReport.objects.filter(source_id__startswith="kvarter-import").exists()


def test_import__dry_run__counts_and_writes_nothing() -> None:
    municipality, _west, _east = _town()
    result = _import(municipality, _csv(*GOOD), dry_run=True)
    assert result.added == 4 and result.dry_run
    assert IncidentReport.objects.count() == 0


def test_import__windows_1252_comma_english_headers() -> None:
    municipality, west, _east = _town()
    header = "id,occurred_at,category,area,place,lat,lon,reporter_org,text,severity"
    text = (
        header + "\r\nw1,2025-03-14 22:15,Skadegörelse,Västra,,,,Kommunvärdar,Rökte på gården,1\r\n"
    )
    _import(municipality, text.encode("cp1252"))
    event = IncidentEvent.objects.get()
    assert event.area == west and event.text == "Rökte på gården"
    assert event.category.name == "Skadegörelse"


def test_import__utf8_with_bom_and_decimal_comma() -> None:
    municipality, west, _east = _town()
    data = "\ufeff" + HEADER + "\r\nu1;2025-03-14T22:15;Klotter;;;59,005;15,005;;;Polisen;;\r\n"
    _import(municipality, data.encode("utf-8"))
    assert IncidentEvent.objects.get().area == west


def test_export__import_elsewhere__same_events() -> None:
    municipality, _west, _east = _town()
    _import(municipality, _csv(*GOOD))

    def facts(m):
        return {
            (
                e.occurred_at,
                e.category.name,
                e.area.name,
                e.place.name if e.place else "",
                e.latitude,
                e.longitude,
                e.report.organisation.name,
                e.text,
                e.severity,
            )
            for e in IncidentEvent.objects.filter(report__municipality=m)
        }

    exported = incidents_to_csv(IncidentEvent.objects.filter(report__municipality=municipality))
    assert exported.startswith(b"\xef\xbb\xbfid;tidpunkt;kategori")
    again = _import(municipality, exported)
    assert (again.added, again.skipped) == (0, 4)
    other, _, _ = _town()
    _import(other, exported)
    assert facts(other) == facts(municipality)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.EST_MEMBER, True),
        (Role.STRATEGIST, False),
        (Role.EST_REPORTER, False),
        (Role.READER, False),
    ],
)
def test_import__who_may_import(role, allowed) -> None:
    municipality, west, _east = _town()
    user = UserFactory.create_with_role(role, municipality, areas=[west])
    call = lambda: incident_history_import(  # noqa: E731
        actor=user, municipality=municipality, data=_csv(*GOOD), file_name="h.csv"
    )
    if allowed:
        assert call().added == 4
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert IncidentReport.objects.count() == 0


def test_synthetic_history__deterministic_and_imports_cleanly() -> None:
    from kvarter.safety.synthetic import incident_history_csv, load_incidents

    data = incident_history_csv(3000, 2, seed=7)
    assert data == incident_history_csv(3000, 2, seed=7)
    assert data != incident_history_csv(3000, 2, seed=8)
    loaded = load_incidents(3000, 2, seed=7)
    assert loaded.data == data
    assert (loaded.result.added, loaded.result.skipped) == (3000, 0)
    events = IncidentEvent.objects.filter(report__municipality=loaded.municipality)
    assert events.count() == 3000
    assert events.values("area").distinct().count() == 20
    assert events.exclude(place=None).exists() and events.exclude(text="").exists()
    assert load_incidents(3000, 2, seed=7).result.skipped == 3000


def test_import__place_only__unique_place_located_ambiguous_refused() -> None:
    municipality, west, east = _town()
    PlaceFactory(area=east, name="Parken", latitude=59.005, longitude=15.015)
    PlaceFactory(area=west, name="Parken", latitude=59.005, longitude=15.004)
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _csv(";2025-03-14T22:15;Klotter;;Parken;;;;;Polisen;;"))
    assert [p.code for p in rejected.value.problems] == ["ambiguous_place"]
    _import(municipality, _csv(";2025-03-14T22:15;Klotter;Östra;parken;;;;;Polisen;;"))
    event = IncidentEvent.objects.get()
    assert event.area == east and event.place is not None and event.place.name == "Parken"
    assert (event.latitude, event.longitude) == (59.005, 15.015)


def test_import__both_position_kinds_or_swapped__refused() -> None:
    municipality, _west, _east = _town()
    rows = (
        "p1;2025-03-14T22:15;Klotter;;;59.005;15.005;6543210;512345;Polisen;;",
        "p2;2025-03-14T22:15;Klotter;;;15.005;59.005;;;Polisen;;",
        "p3;2025-03-30T02:30;Klotter;Västra;;;;;;Polisen;;",  # the hour lost to DST: no problem
    )
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _csv(*rows))
    assert [(p.row, p.code) for p in rejected.value.problems] == [
        (2, "two_positions"),
        (3, "coordinates_out_of_range"),
    ]


def test_export__report_with_several_events__ids_stay_unique() -> None:
    _municipality, west, _east = _town()
    first = IncidentEventFactory(area=west, text="Ett")
    IncidentEventFactory(area=west, report=first.report, category=first.category)
    data = incidents_to_csv(IncidentEvent.objects.filter(area=west).order_by("pk"))
    lines = data.decode("utf-8-sig").splitlines()
    ids = [line.split(";")[0] for line in lines[1:]]
    assert len(ids) == 2 and len(set(ids)) == 2 and ids[0].startswith("kvarter-")


def test_import__ids_read_back_by_source_id__as_on_postgresql() -> None:
    from kvarter.safety.history import services as import_services
    from kvarter.safety.history.importers import parse_incidents
    from kvarter.safety.history.selectors import load_catalogue

    municipality, _west, east = _town()
    IncidentReportFactory(municipality=municipality)  # filed before: not mixed up
    parsed = parse_incidents(
        _csv(*GOOD, ";2025-03-14T23:00;Klotter;Östra;;;;;;Polisen;;"),
        load_catalogue(municipality),
    )
    import_services._write(municipality, parsed, list(range(len(parsed))), None, give_ids=False)
    events = IncidentEvent.objects.select_related("report")
    assert sorted(e.report.source_id for e in events) == ["", "a1", "a2", "a3", "a4"]
    assert {e.report.source_id: e.area for e in events}["a4"] == east
    assert IncidentReport.objects.filter(source_id="").count() == 2
    assert all(e.report.events.count() == 1 for e in events)


def test_import__excel_sep_line__read_with_that_delimiter() -> None:
    municipality, west, _east = _town()
    data = "sep=;\r\n" + HEADER + "\r\nx1;2025-03-14T22:15;Klotter;Västra;;;;;;Polisen;;\r\n"
    assert _import(municipality, data.encode("utf-8")).added == 1
    assert IncidentEvent.objects.get().area == west


def test_import__neither_utf8_nor_windows_1252__refused() -> None:
    municipality, _west, _east = _town()
    data = _csv("x1;2025-03-14T22:15;Klotter;Västra;;;;;;Polisen;;").replace(b"\xc3\xa4", b"\x81")
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, data)
    assert [p.code for p in rejected.value.problems] == ["encoding"]


def test_import__a_bad_byte__named_by_row_and_column_never_replaced() -> None:
    municipality, _west, _east = _town()
    data = _csv(*GOOD).replace(b"Krossad", b"Kr\xf6ssad")  # Latin-1 'ö' in a UTF-8 file
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, data)
    assert [(p.row, p.field, p.code) for p in rejected.value.problems] == [
        (2, "beskrivning", "encoding")
    ]
    assert IncidentEvent.objects.count() == 0


def test_import__broken_quoting__each_row_named_and_the_rest_still_checked() -> None:
    municipality, _west, _east = _town()
    rows = (
        GOOD[0],
        'b2;"2025-03-14T22:15"x;Klotter;Västra;;;;;;Polisen;;',
        GOOD[1],
        "b4;2025-06-01T12:00;Inbrott;Östra;;;;;;polisen;;1",
    )
    with pytest.raises(ImportRejected) as rejected:
        _import(municipality, _csv(*rows))
    assert [(p.row, p.code) for p in rejected.value.problems] == [
        (3, "broken_quoting"),
        (5, "unknown_category"),
    ]


def test_import__progress__reported_per_phase_up_to_the_total() -> None:
    municipality, _west, _east = _town()
    calls: list[tuple[str, int, int]] = []
    _import(municipality, _csv(*GOOD), progress=lambda *call: calls.append(call))
    last = {phase: (done, total) for phase, done, total in calls}
    assert set(last) == {"parse", "store"}
    assert last["store"] == (8, 8)  # reports then events
    assert last["parse"][0] == last["parse"][1]

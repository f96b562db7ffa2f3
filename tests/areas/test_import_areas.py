"""`kvarter import-areas`: SWEREF 99 TM and WGS 84 give the same areas; bad files change nothing."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from pyproj import Transformer
from shapely.geometry import shape

from kvarter.areas.models import Area, AreaStatisticalUnit, Municipality
from kvarter.core.models import AuditEntry
from kvarter.demo.exempelstad import areas_file_bytes

SWEREF = json.loads(areas_file_bytes())

@pytest.fixture(autouse=True)
def _swedish():
    """Messages are asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



def _to_wgs84(collection: dict) -> dict:
    """The same file as a GIS would export it in WGS 84: no crs member (RFC 7946)."""
    transformer = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    result = copy.deepcopy(collection)
    result.pop("crs")
    for feature in result["features"]:
        feature["geometry"]["coordinates"] = [
            [list(transformer.transform(x, y)) for x, y in ring]
            for ring in feature["geometry"]["coordinates"]
        ]
    return result


def _write(tmp_path, name: str, collection: dict) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(collection), encoding="utf-8")
    return str(path)


def _import(path: str, code: str, name: str = "Provkommun", **options) -> None:
    call_command("import_areas", path, municipality=code, municipality_name=name, **options)


def _snapshot(code: str) -> dict[str, tuple]:
    return {
        a.name: (
            shape(a.boundary),
            a.population,
            tuple(a.statistical_units.values_list("code", flat=True)),
        )
        for a in Area.objects.filter(municipality__code=code)
    }


@pytest.mark.django_db
def test_import_areas__sweref_and_wgs84_files__give_the_same_areas(tmp_path):
    _import(_write(tmp_path, "sweref.geojson", SWEREF), "9001")
    _import(_write(tmp_path, "wgs84.geojson", _to_wgs84(SWEREF)), "9002")

    sweref, wgs84 = _snapshot("9001"), _snapshot("9002")
    assert sorted(sweref) == ["Kvarnbacken", "Norrby", "Söderängen", "Västerdal", "Åsen"]
    assert sorted(sweref) == sorted(wgs84)
    for name, (geometry, population, units) in sweref.items():
        other_geometry, other_population, other_units = wgs84[name]
        # Stored coordinates are rounded to 1e-7 degrees (about 1 cm).
        assert geometry.equals_exact(other_geometry, tolerance=2e-7), name
        assert (population, units) == (other_population, other_units)
        assert 14 < geometry.centroid.x < 17 and 58 < geometry.centroid.y < 61  # Sweden


@pytest.mark.django_db
def test_import_areas__same_file_twice__changes_nothing(tmp_path):
    path = _write(tmp_path, "sweref.geojson", SWEREF)
    _import(path, "9001")
    before = (_snapshot("9001"), AuditEntry.objects.count())
    _import(path, "9001")
    assert (_snapshot("9001"), AuditEntry.objects.count()) == before


def _broken(mutate) -> dict:
    collection = copy.deepcopy(SWEREF)
    mutate(collection)
    return collection


def _self_intersecting(c):
    ring = c["features"][1]["geometry"]["coordinates"][0]
    ring[1], ring[3] = ring[3], ring[1]  # a bow-tie


def _duplicate(c):
    c["features"][3]["properties"]["name"] = "norrby"  # same as feature 1, other case


def _unknown_crs(c):
    c["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::3021"  # RT 90, not accepted


def _point(c):
    c["features"][2]["geometry"] = {"type": "Point", "coordinates": [512000, 6565000]}


def _metres_without_crs(c):
    c.pop("crs")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_self_intersecting, ["Rad 2, geometry: Ogiltig geometri: Self-intersection"]),
        (_duplicate, ["Rad 4, name: Namnet 'norrby' finns redan på rad 1"]),
        (_unknown_crs, ["Fil, crs: Okänt koordinatsystem"]),
        (_point, ["Rad 3, geometry: Geometrin måste vara Polygon"]),
        (
            _metres_without_crs,
            [f"Rad {n}, geometry: Koordinaterna ligger utanför WGS 84" for n in range(1, 6)],
        ),
    ],
    ids=["self-intersecting", "duplicate-name", "unknown-crs", "point", "metres-without-crs"],
)
def test_import_areas__bad_file__names_every_problem_and_changes_nothing(
    tmp_path, capsys, mutate, expected
):
    _import(_write(tmp_path, "good.geojson", SWEREF), "9001")
    before = (_snapshot("9001"), AuditEntry.objects.count(), Municipality.objects.count())

    with pytest.raises(CommandError, match="Inget importerades"):
        _import(_write(tmp_path, "bad.geojson", _broken(mutate)), "9001")
    with pytest.raises(CommandError):
        _import(_write(tmp_path, "bad.geojson", _broken(mutate)), "9003", name="Ny kommun")

    errors = capsys.readouterr().err.splitlines()
    for line in expected:
        assert any(e.startswith(line) for e in errors), (line, errors)
    assert (_snapshot("9001"), AuditEntry.objects.count(), Municipality.objects.count()) == before
    assert not Municipality.objects.filter(code="9003").exists()


@pytest.mark.django_db
def test_import_areas__several_problems__all_listed_at_once(tmp_path, capsys):
    def many(c):
        _self_intersecting(c)
        _duplicate(c)
        c["features"][0]["properties"]["deso"] = ["0580C1010", "not-a-code"]

    with pytest.raises(CommandError, match="3 fel"):
        _import(_write(tmp_path, "bad.geojson", _broken(many)), "9001")
    assert Area.objects.count() == 0 and AreaStatisticalUnit.objects.count() == 0


@pytest.mark.django_db
def test_import_areas__explicit_crs_option__reads_metres(tmp_path):
    collection = copy.deepcopy(SWEREF)
    collection.pop("crs")
    _import(_write(tmp_path, "nocrs.geojson", collection), "9001", crs="EPSG:3006")
    assert Area.objects.filter(municipality__code="9001").count() == 5


@pytest.mark.django_db
def test_import_areas__unknown_municipality_without_name__refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_areas", _write(tmp_path, "a.geojson", SWEREF), municipality="9004")
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_import_areas__name_property_option__chooses_the_name(tmp_path):
    collection = copy.deepcopy(SWEREF)
    for feature in collection["features"]:
        feature["properties"]["NAMN"] = feature["properties"].pop("name").upper()
    _import(_write(tmp_path, "a.geojson", collection), "9001", name_property="NAMN")
    assert Area.objects.filter(name="NORRBY").exists()


@pytest.mark.django_db
def test_import_areas__console_script__audited_as_cli_door(tmp_path, monkeypatch):
    import django.core.management

    from kvarter.cli import main

    # Django's own entry point closes every database connection when the command ends, which
    # would close the test's; run the same command through call_command instead.
    def run(argv):
        call_command(argv[1], *argv[2:])

    monkeypatch.setattr(django.core.management, "execute_from_command_line", run)
    path = _write(tmp_path, "a.geojson", SWEREF)
    main(
        [
            "kvarter",
            "import-areas",
            path,
            "--municipality",
            "9001",
            "--municipality-name",
            "Provkommun",
        ]
    )
    assert set(AuditEntry.objects.values_list("door", flat=True)) == {"cli"}
    assert set(AuditEntry.objects.values_list("actor_name", flat=True)) == {"system"}

"""Onboarding from the command line (issue 12 item 12): add-municipality, import-organisations,
then add-user can create the municipality's first administrator."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kvarter.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from kvarter.areas.models import Municipality
from kvarter.safety.catalogue.services import DEFAULT_CATEGORIES, DEFAULT_RESOURCES
from kvarter.safety.models import IncidentCategory, Resource

pytestmark = pytest.mark.django_db

REGISTER = (
    "namn;förkortning;typ;del av\n"
    "Socialförvaltningen;SOF;municipal_unit;Norrtuna kommun\n"
    "Fältgruppen;;Förvaltning eller enhet;SOF\n"
    "Polisen Norrtuna;;police;\n"
    "Norrtunahem AB;NHAB;housing company;\n"
)


def _write(tmp_path: Path, text: str, name: str = "organisationer.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_add_municipality__import_organisations__add_user__first_administrator(tmp_path) -> None:
    call_command("add_municipality", "0999", "Norrtuna", "--organisation", "Norrtuna kommun")

    municipality = Municipality.objects.get(code="0999")
    own = Organisation.objects.get(municipality=municipality)
    assert (own.name, own.kind) == ("Norrtuna kommun", OrganisationKind.MUNICIPALITY)
    categories = IncidentCategory.objects.filter(municipality=municipality)
    assert categories.count() == len(DEFAULT_CATEGORIES)
    assert Resource.objects.filter(municipality=municipality).count() == len(DEFAULT_RESOURCES)

    out = io.StringIO()
    call_command(
        "import_organisations", str(_write(tmp_path, REGISTER)), municipality="0999", stdout=out
    )
    assert "4" in out.getvalue()
    sof = Organisation.objects.get(municipality=municipality, short_name="SOF")
    assert sof.parent == own and sof.kind == OrganisationKind.MUNICIPAL_UNIT
    field_team = Organisation.objects.get(municipality=municipality, name="Fältgruppen")
    assert field_team.parent == sof and field_team.kind == OrganisationKind.MUNICIPAL_UNIT
    assert Organisation.objects.get(name="Norrtunahem AB").kind == OrganisationKind.HOUSING_COMPANY

    old, sys.stdin = sys.stdin, io.StringIO("ett-långt-och-säkert-lösenord\n")
    try:
        call_command(
            "add_user",
            "anna",
            municipality="0999",
            organisation="Norrtuna kommun",
            role="administrator",
            password_stdin=True,
        )
    finally:
        sys.stdin = old
    anna = User.objects.get(username="anna")
    assert anna.organisation == own
    assert RoleAssignment.objects.filter(
        user=anna, municipality=municipality, role="administrator"
    ).exists()

    # Running the register again changes nothing.
    from kvarter.accounts.onboarding import OrganisationsImported, organisations_import
    from kvarter.core.actors import SYSTEM

    again = organisations_import(
        actor=SYSTEM, municipality=municipality, data=REGISTER.encode(), file_name="org.csv"
    )
    assert again == OrganisationsImported(created=0, changed=0, unchanged=4)
    assert Organisation.objects.filter(municipality=municipality).count() == 5


def test_add_municipality__existing_code__refused_and_nothing_more_created() -> None:
    call_command("add_municipality", "0999", "Norrtuna")
    with pytest.raises(CommandError):
        call_command("add_municipality", "0999", "Norrtuna igen")
    assert Municipality.objects.filter(code="0999").count() == 1
    assert Organisation.objects.filter(municipality__code="0999").count() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("namn;typ\nA;okänd typ\n", "unknown_kind"),
        ("namn;typ;del av\nA;police;Finns inte\n", "unknown_parent"),
        ("namn;typ;del av\nA;police;B\nB;police;A\n", "parent_cycle"),
        ("namn;förkortning;typ\nA;X;police\nB;X;police\n", "duplicate"),
        ("förkortning;typ\nX;police\n", "missing_column"),
    ],
)
def test_import_organisations__a_bad_row__nothing_imported(tmp_path, text, code) -> None:
    from kvarter.accounts.onboarding import organisations_import
    from kvarter.core.actors import SYSTEM
    from kvarter.core.importing import ImportRejected

    call_command("add_municipality", "0999", "Norrtuna")
    municipality = Municipality.objects.get(code="0999")
    good = "Socialförvaltningen;SOF;municipal_unit;\n"
    data = (text + good.replace(";SOF;", ";SOF2;") if ";" in text else text).encode()

    with pytest.raises(ImportRejected) as rejected:
        organisations_import(
            actor=SYSTEM, municipality=municipality, data=data, file_name="org.csv"
        )

    assert code in {p.code for p in rejected.value.problems}
    assert Organisation.objects.filter(municipality=municipality).count() == 1
    with pytest.raises(CommandError):
        call_command("import_organisations", str(_write(tmp_path, text)), municipality="0999")


@pytest.mark.parametrize(
    ("text", "swedish", "english"),
    [
        ("namn;typ\nA;okänd typ\n", "Okänd typ 'okänd typ'.", "Unknown type 'okänd typ'."),
        (
            "namn;typ;del av\nA;police;Finns inte\n",
            "Organisationen 'Finns inte' finns varken i filen eller i registret.",
            "The organisation 'Finns inte' is neither in the file nor in the register.",
        ),
        (
            "namn;typ;del av\nA;police;B\nB;police;A\n",
            "Organisationen är del av sig själv (via del av).",
            "The organisation is part of itself (through parent).",
        ),
        (
            "namn;förkortning;typ\nA;X;police\nB;X;police\n",
            "'x' finns redan på rad 2.",
            "'x' is already on row 2.",
        ),
        ("namn;typ\n;police\n", "Namn saknas.", "Name is missing."),
        (
            "förkortning;typ\nX;police\n",
            "Kolumnerna namn och typ behövs (och gärna förkortning, del av).",
            "The columns name and type are needed (and abbreviation, parent if any).",
        ),
        ("\n", "Filen saknar rubrikrad.", "The file has no header."),
    ],
)
def test_import_organisations__problem__in_the_active_language_only(text, swedish, english) -> None:
    from django.utils import translation

    from kvarter.accounts.onboarding import organisations_import
    from kvarter.core.actors import SYSTEM
    from kvarter.core.importing import ImportRejected

    call_command("add_municipality", "0999", "Norrtuna")
    municipality = Municipality.objects.get(code="0999")
    with pytest.raises(ImportRejected) as rejected:
        organisations_import(
            actor=SYSTEM, municipality=municipality, data=text.encode(), file_name="org.csv"
        )

    problem = rejected.value.problems[0]
    with translation.override("sv"):
        assert problem.message == swedish
    with translation.override("en"):
        assert problem.message == english


def test_import_organisations__unknown_municipality__said_in_swedish_only(tmp_path) -> None:
    from django.utils import translation

    with translation.override("sv"), pytest.raises(CommandError) as refused:
        call_command("import_organisations", str(_write(tmp_path, REGISTER)), municipality="0000")
    assert str(refused.value) == "Kommunen 0000 finns inte."

"""Acceptance 2: hostile texts are refused and appear nowhere — database, logs or answers.

Personal identity and coordination numbers are made Luhn-valid here (the check digit is
computed), so the scanner must catch them. Each text goes through every door: the service,
the plain form post, the phone's JSON door and the API. Afterwards every text column of every
table (CharField, TextField, JSONField — the audit log's changes and the raw-read log
included), every log record captured at DEBUG, and every answer and error message are
searched for the data in any spelling: by its digits with everything else taken away, and
for e-mail addresses by their parts. The search folds text first (NFKC, digits of every script
to ASCII, invisible format characters dropped), so a number stored in full-width or
Arabic-Indic digits, or split by a soft hyphen, is found too.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area
from kvarter.safety.filing.services import incident_report_file
from kvarter.safety.models import IncidentCategory, IncidentEvent, IncidentReport, Place


def luhn_digit(nine: str) -> str:
    """The check digit that makes ``nine`` + digit pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(nine)):
        digit = int(char)
        if position % 2 == 0:  # doubled: the rightmost of the nine is next to the check digit
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def _valid(date6: str, serial3: str) -> str:
    """A Luhn-valid ten-digit number YYMMDDNNN + check digit."""
    return date6 + serial3 + luhn_digit(date6 + serial3)


PNR = _valid("811218", "987")  # born 18 December 1981
MISTYPED = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)  # a wrong check digit
COORDINATION = _valid("811278", "123")  # samordningsnummer: day 18 + 60
CENTENARIAN = _valid("121212", "121")  # born 1912: written with '+'

IDENTITY_SPELLINGS = {
    "pnr_12_dash": f"19{PNR[:6]}-{PNR[6:]}",
    "pnr_10_dash": f"{PNR[:6]}-{PNR[6:]}",
    "pnr_10_plain": PNR,
    "pnr_12_plain": f"19{PNR}",
    "pnr_space": f"{PNR[:6]} {PNR[6:]}",
    "pnr_plus_over_100": f"{CENTENARIAN[:6]}+{CENTENARIAN[6:]}",
    "coordination_dash": f"{COORDINATION[:6]}-{COORDINATION[6:]}",
    "coordination_12": f"19{COORDINATION}",
    # Spellings that got past the scanner before issue 12:
    "pnr_full_width": f"19{PNR[:6]}-{PNR[6:]}".translate(
        str.maketrans("0123456789-", "０１２３４５６７８９－")
    ),
    "pnr_arabic_indic": f"{PNR[:6]}-{PNR[6:]}".translate(
        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    ),
    "pnr_soft_hyphen": f"{PNR[:6]}\u00ad{PNR[6:]}",
    "pnr_dot": f"{PNR[:6]}.{PNR[6:]}",
    "pnr_slash": f"{PNR[:6]}/{PNR[6:]}",
    "pnr_double_hyphen": f"{PNR[:6]}--{PNR[6:]}",
    "pnr_em_dash": f"19{PNR[:6]}\u2014{PNR[6:]}",
    "pnr_underscore": f"{PNR[:6]}_{PNR[6:]}",
    "pnr_newline": f"{PNR[:6]}\n{PNR[6:]}",
    "coordination_zero_width": f"{COORDINATION[:6]}\u200b{COORDINATION[6:]}",
    "pnr_named_wrong_check_digit": f"personnummer {MISTYPED[:6]}-{MISTYPED[6:]}",
}
VEHICLES = {"vehicle": "KXB 417", "vehicle_new_format": "KXB 41R"}
PHONES = {
    "mobile": "070-123 45 67",
    "mobile_international": "+46 70 123 45 67",
    "stockholm": "08-123 456 78",
}
EMAILS = {
    "email": "anna.andersson@example.se",
    "email_municipal": "k.karlsson@exempelstad.se",
}
HOSTILE = {**IDENTITY_SPELLINGS, **PHONES, **EMAILS, **VEHICLES}

# What must appear nowhere: digit runs (found with every non-digit taken away) and strings.
DIGIT_NEEDLES = [PNR, COORDINATION, CENTENARIAN, MISTYPED, "701234567", "812345678"]
TEXT_NEEDLES = ["anna.andersson", "k.karlsson", "andersson@", "karlsson@"]
ALNUM_NEEDLES = ["kxb417", "kxb41r"]  # vehicle registrations, with separators taken away


def _folded(text: str) -> str:
    """NFKC, every script's digits as ASCII, invisible format characters (soft hyphen …) gone.

    Written here, not taken from kvarter.core.text_fold, so the search does not trust the code
    under test."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c
        for c in text
        if unicodedata.category(c) != "Cf"
    )


def _sentence(hostile: str) -> str:
    return f"Ungdomar vid kiosken, en av dem sa {hostile} och sprang mot tunneln."


def _needles_in(text: str) -> list[str]:
    text = _folded(text)
    digits = re.sub(r"[^0-9]", "", text)
    lowered = text.lower()
    found = [n for n in DIGIT_NEEDLES if n in digits]
    found += [n for n in TEXT_NEEDLES if n in lowered]
    alnum = re.sub(r"[\W_]", "", lowered)
    found += [n for n in ALNUM_NEEDLES if n in alnum]
    return found


def _needles_in_short_runs(text: str) -> list[str]:
    """For long texts (logs, pages): digits are joined within each run of digits and separators
    only, so that unrelated numbers far apart are not glued together into a false match."""
    found = []
    text = _folded(text)
    # Digits joined across any short run of non-alphanumerics ("/", "_", "--", a newline …).
    for run in re.findall(r"[0-9](?:[0-9]|[\W_]{1,4}(?=[0-9]))*", text):
        digits = re.sub(r"[^0-9]", "", run)
        found += [n for n in DIGIT_NEEDLES if n in digits]
    lowered = text.lower()
    found += [n for n in TEXT_NEEDLES if n in lowered]
    found += [n for n in ALNUM_NEEDLES if n in re.sub(r"[^a-z0-9]+", "", lowered)]
    return found


def _text_columns(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def database_hits() -> list[str]:
    """Every needle found in any text column of any table, as 'table.column: needle'."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        columns = _text_columns(model)
        if not columns:
            continue
        for row in model._default_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                if value in (None, ""):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                hits += [f"{model._meta.db_table}.{column}: {n}" for n in _needles_in(text)]
    return hits


@pytest.fixture
def setup(demo, demo_users):
    norrby = Area.objects.get(municipality=demo, name="Norrby")
    return {
        "municipality": demo,
        "vard": demo_users["vard"],
        "category": IncidentCategory.objects.get(municipality=demo, name="Samling av ungdomar"),
        "place": Place.objects.filter(area=norrby).order_by("name").first(),
    }


def _event(setup, text):
    return {
        "category": setup["category"].pk,
        "place": setup["place"].pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "text": text,
    }


def test_hostile_numbers__are_luhn_valid_so_the_scanner_must_catch_them():
    from kvarter.core.personal_data import luhn_valid

    assert all(luhn_valid(n) for n in (PNR, COORDINATION, CENTENARIAN))
    assert not luhn_valid(MISTYPED)  # caught only because the text names it a personnummer


def test_search__finds_a_planted_number_and_address(db):
    """The search itself works: data planted on purpose is found in the database and text."""
    from tests.factories import OrganisationFactory

    # Planted past the model's own refusal (a queryset update sends no pre_save).
    planted = OrganisationFactory(name="Planterad")
    Organisation.objects.filter(pk=planted.pk).update(
        name=f"Planterad {PHONES['mobile']} {EMAILS['email']}"
    )
    hits = database_hits()
    assert any("701234567" in h for h in hits) and any("anna.andersson" in h for h in hits)
    assert _needles_in_short_runs(f"x {IDENTITY_SPELLINGS['pnr_space']} y") == [PNR]
    for name in ("pnr_full_width", "pnr_arabic_indic", "pnr_soft_hyphen", "pnr_newline"):
        assert _needles_in_short_runs(f"x {IDENTITY_SPELLINGS[name]} y") == [PNR], name
        assert _needles_in(f"x {IDENTITY_SPELLINGS[name]} y") == [PNR], name
    assert _needles_in("bil KXB 417") == ["kxb417"]
    Organisation.objects.filter(name__startswith="Planterad").delete()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text__refused_by_every_door_and_found_nowhere(client, caplog, setup, name):
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    text = _sentence(HOSTILE[name])
    answers: list[str] = []

    # 1. The service, with a harmless event beside it: nothing at all is stored.
    with pytest.raises(ValidationError) as caught:
        incident_report_file(
            actor=setup["vard"],
            municipality=setup["municipality"],
            events=[_event(setup, "Lugnt vid torget"), _event(setup, text)],
            client_key=uuid.uuid4(),
        )
    codes = {f: [e.code for e in errs] for f, errs in caught.value.error_dict.items()}
    assert codes == {"events.1.text": ["personal_data"]}
    answers += [m for errs in caught.value.error_dict.values() for e in errs for m in e.messages]

    # 2. The plain form post (no JavaScript): 422, the form back without the text.
    client.force_login(setup["vard"])
    page = client.post(
        "/est/rapportera/",
        {
            "events": "1",
            "action": "send",
            "client_key": str(uuid.uuid4()),
            "e0-category": setup["category"].pk,
            "e0-place": setup["place"].pk,
            "e0-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "e0-text": text,
        },
    )
    assert page.status_code == 422
    assert "e0-text-error" in page.content.decode()
    answers.append(page.content.decode())

    # 3. The phone's JSON door: 400 naming the field.
    sent = client.post(
        "/est/rapportera/skicka/",
        json.dumps(
            {"client_key": str(uuid.uuid4()), "events": [_event(setup, text)], "kommun": "9999"}
        ),
        content_type="application/json",
    )
    assert sent.status_code == 400
    assert sent.json()["errors"][0]["field"] == "events.0.text"
    answers.append(sent.content.decode())

    # 4. The API: 400 with the scanner's explanation.
    api = APIClient()
    api.force_authenticate(setup["vard"])
    refused = api.post(
        "/api/v1/incident-reports/",
        {"client_key": str(uuid.uuid4()), "events": [_event(setup, text)]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "personal_data"
    answers.append(refused.content.decode())

    # Nothing stored, nothing anywhere.
    assert IncidentReport.objects.count() == 0 and IncidentEvent.objects.count() == 0
    assert database_hits() == []
    logged = [caplog.text] + [r.getMessage() for r in caplog.records]
    assert [n for entry in logged for n in _needles_in_short_runs(entry)] == []
    assert [n for answer in answers for n in _needles_in_short_runs(answer)] == []
    # The explanation names the kind of data, in Swedish and English, and holds no digits.
    explanation = caught.value.error_dict["events.1.text"][0].messages[0]
    assert " / " in explanation and not re.search(r"[0-9]", explanation)

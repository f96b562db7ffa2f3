"""The Swedish catalogue is complete and compiled: the UI must not fall back to English."""

from __future__ import annotations

import gettext
from pathlib import Path

from django.utils import translation

import kvarter
from kvarter.accounts.roles import Role

CATALOGUE = Path(kvarter.__file__).parent / "locale" / "sv" / "LC_MESSAGES"


def _entries(po: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) for each entry of a .po file, continuation lines joined."""
    entries, flags, key, parts = [], "", None, {"msgid": "", "msgstr": ""}
    for line in [*po.splitlines(), ""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            parts[key] = rest.strip('"')
        elif line.startswith('"') and key:
            parts[key] += line.strip('"')
        elif not line.strip() and key:
            entries.append((flags, parts["msgid"], parts["msgstr"]))
            flags, key, parts = "", None, {"msgid": "", "msgstr": ""}
    return [e for e in entries if e[1]]


def test_swedish_catalogue__every_entry__translated_and_not_fuzzy():
    entries = _entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 100
    assert [msgid for flags, msgid, msgstr in entries if not msgstr] == []
    assert [msgid for flags, msgid, msgstr in entries if "fuzzy" in flags] == []


def test_swedish_catalogue__compiled_after_last_edit():
    po, mo = CATALOGUE / "django.po", CATALOGUE / "django.mo"
    assert mo.stat().st_size > 0
    with translation.override("sv"):
        assert str(Role.AREA_COORDINATOR.label) == "områdessamordnare"
    with translation.override("en"):
        assert str(Role.AREA_COORDINATOR.label) == "area coordinator"
    # The .mo must hold exactly the .po's translations (run `make messages` after editing).
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for _flags, msgid, msgstr in _entries(po.read_text(encoding="utf-8")):
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        assert compiled.get(unescaped) == expected, msgid

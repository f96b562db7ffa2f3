"""The Swedish catalogue is complete and compiled: the UI must not fall back to English."""

from __future__ import annotations

import gettext
from pathlib import Path

from django.utils import translation

import kvarter
from kvarter.accounts.roles import Role

CATALOGUE = Path(kvarter.__file__).parent / "locale" / "sv" / "LC_MESSAGES"


def _entries(po: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) for each entry of a .po file, continuation lines joined.

    For a plural entry, msgstr is its singular form (msgstr[0]) and msgid is marked with a
    trailing NUL so the compiled check looks it up as (msgid, 0); an empty plural form counts
    as an untranslated entry.
    """
    entries, flags, key, parts = [], "", None, {}
    for line in [*po.splitlines(), ""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, rest = line.partition(" ")
            parts[key] = rest.strip('"')
        elif line.startswith('"') and key:
            parts[key] += line.strip('"')
        elif not line.strip() and key:
            entries.append((flags, *_msg(parts)))
            flags, key, parts = "", None, {}
    return [e for e in entries if e[1]]


def _msg(parts: dict[str, str]) -> tuple[str, str]:
    # A pgettext entry is compiled under "context EOT msgid".
    context = parts["msgctxt"] + "\\x04" if "msgctxt" in parts else ""
    if "msgid_plural" not in parts:
        return context + parts.get("msgid", ""), parts.get("msgstr", "")
    forms = [v for k, v in sorted(parts.items()) if k.startswith("msgstr[")]
    return context + parts["msgid"] + "\0", forms[0] if all(forms) else ""


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
        key = (unescaped[:-1], 0) if unescaped.endswith("\0") else unescaped
        assert compiled.get(key) == expected, msgid

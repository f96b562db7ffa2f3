"""Fold text to the plain form the personal-data scanner reads, keeping a map back.

People (and hostile probes) spell numbers in many ways that mean the same to a reader:
full-width digits (``１９１２``), Arabic-Indic or other scripts' digits, a soft hyphen or a
zero-width space hidden inside the number. :func:`fold` turns every such character into what
it stands for, so the scanner's ASCII patterns see the number:

* each character is Unicode-normalised (NFKC): full-width and compatibility forms become
  their plain form (``１`` → ``1``, ``－`` → ``-``);
* a decimal digit of any script becomes the ASCII digit with the same value;
* format characters (Unicode category ``Cf``: soft hyphen, zero-width space/joiners, word
  joiner, byte-order mark, bidirectional marks) are dropped: they are invisible.

The folded text comes with, for each of its characters, the index of the character in the
original text it came from, so findings can be reported as spans of the original text.
Text made only of characters that fold to themselves (ASCII, the Latin-1 letters such as
å, ä, ö, é, en and em dashes, typographic quotes) is returned as it is after one regex search,
with no map: that keeps the common case, a Swedish sentence, fast.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_char"]

# A character outside these may fold to something else. All inside fold to themselves:
# ASCII, U+00C0–U+00FF (letters, × and ÷), en and em dash, typographic quotes.
_MAY_FOLD = re.compile("[^\x00-\x7f\u00c0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d]")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """What one character folds to: usually itself, '' for invisible format characters."""
    if char.isascii():
        return char
    if unicodedata.category(char) == "Cf":
        return ""
    normalised = unicodedata.normalize("NFKC", char)
    folded = []
    for part in normalised:
        if unicodedata.category(part) == "Cf":
            continue
        value = unicodedata.decimal(part, None)
        folded.append(str(value) if value is not None and not part.isascii() else part)
    return "".join(folded)


def fold(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, unless it equals ``text``, the origin index of each character.

    ``origin`` has one entry more than the folded text: ``len(text)``, so an end index maps
    too. With ``None`` the folded text is ``text`` and indices map to themselves.
    """
    if text.isascii() or not _MAY_FOLD.search(text):
        return text, None
    parts = [fold_char(char) for char in text]
    if all(part == char for part, char in zip(parts, text, strict=True)):
        return text, None
    origin: list[int] = []
    for index, part in enumerate(parts):
        origin.extend([index] * len(part))
    origin.append(len(text))
    return "".join(parts), origin

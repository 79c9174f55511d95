"""One way to fold text for matching, shared by ids, tags, related papers and search.

Greek letters are names in ML titles (μP, PanGu-α, λ-calculus): they are spelled
out ("mup", "pangu-alpha") rather than dropped or transliterated to one letter,
so "μP" and "muP" are the same word everywhere in the catalogue. The search
worker (docs/javascripts/paper-search-worker.js) mirrors :func:`search_fold`
letter for letter; a test keeps the two in step.
"""

from __future__ import annotations

import re
import unicodedata

GREEK_NAMES = dict(
    zip(
        "αβγδεζηθικλμνξπρστυφχψωµ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho"
        " sigma tau upsilon phi chi psi omega mu".split(),
        strict=True,
    )
)
_GREEK = re.compile(f"[{''.join(GREEK_NAMES)}]")
_MARKS = re.compile("[\u0300-\u036f]")  # combining diacritics, as NFKD splits é, ü, û


def spell_greek(text: str) -> str:
    """Lower-case text with each Greek letter spelled as its name ('μp' -> 'mup')."""
    return _GREEK.sub(lambda m: GREEK_NAMES[m.group()], text.lower())


def strip_accents(text: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def search_fold(text: str) -> str:
    """Text as the search index stores it and as queries are matched against it:
    NFKC, lower case, Greek spelled out, accents off (Schrödinger -> schrodinger)."""
    return strip_accents(spell_greek(unicodedata.normalize("NFKC", text)))

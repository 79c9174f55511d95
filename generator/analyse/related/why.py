"""Why two papers are related, in words a reader would write: the shared phrases that
carry the link (:mod:`.evidence`), as the paper itself writes them ("both study
parameter-efficient fine-tuning, LoRA"), never stems or the halves of a phrase."""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from functools import lru_cache

from generator.analyse.related.evidence import PIECE, Evidence, Piece, evidence
from generator.analyse.related.incremental import Vectors

WHY_TERMS = 3
CHAIN = 0.3  # a phrase extends the heaviest term from this share of its weight
SAID = 0.25  # a piece is said from this share of the heaviest piece's weight
# Between two words of a phrase: a hyphen or spaces, and perhaps one word the
# tokeniser left out ("mixture of experts", "state-of-the-art").
_GAP = r"(?:[\s\-]+(?:[^\W\d_]{1,4}[\s\-]+)?)"


def _chain(piece: Piece) -> list[str]:
    """The piece's heaviest term, extended by its heavy phrases that continue it:
    "effici fine" and "fine tune" make "effici fine tune"."""
    words = piece.terms[0].split(" ")
    floor = CHAIN * piece.weights[0] if piece.weights else 0.0
    heavy = zip(piece.terms, piece.weights, strict=False)
    phrases = [t.split(" ") for t, w in heavy if " " in t and w >= floor]
    grown = True
    while grown and len(words) < 4:
        grown = False
        for a, b in phrases:
            if a == words[-1] and b not in words:
                words, grown = [*words, b], True
            elif b == words[0] and a not in words:
                words, grown = [a, *words], True
    return words


def _as_written(words: list[str], spelled: Mapping[str, str], texts: tuple[str, ...]) -> str:
    """The phrase as one of the texts writes it, names keeping their capitals; if no
    text writes the whole of it in a row, its longest part that one does (never a
    fragment such as "language llms" out of "language models (LLMs)")."""
    spellings = [spelled.get(w, w) for w in words]
    lowered = [text.lower() for text in texts]
    for size in range(len(spellings), 0, -1):
        for start in range(len(spellings) - size + 1):
            part = tuple(spellings[start : start + size])
            # Only a text holding every word can hold the phrase: most parts are ruled out
            # without building a pattern.
            candidates = [
                t
                for t, low in zip(texts, lowered, strict=True)
                if all(s.lower() in low for s in part)
            ]
            if not candidates:
                continue
            pattern = _written(part)
            for text in candidates:
                found = _search(pattern, text, part[0].lower())
                if found:
                    return " ".join(_word_case(w) for w in found.group(0).split())
    return _word_case(spellings[0])


# The longest prefix a phrase's pattern allows before its first word ("in-").
_PREFIX_REACH = 4


def _search(pattern: re.Pattern[str], text: str, first: str) -> re.Match[str] | None:
    """``pattern.search(text)``, tried only where it can start: at most a short prefix
    before an occurrence of the phrase's first word. (The pattern opens with a
    lookbehind and an optional prefix, so the engine would try it at every position.)"""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: positions move
        return pattern.search(text)
    starts: set[int] = set()
    at = lowered.find(first)
    while at != -1:
        starts.update(range(max(0, at - _PREFIX_REACH), at + 1))
        at = lowered.find(first, at + 1)
    for start in sorted(starts):
        found = pattern.match(text, start)
        if found:
            return found
    return None


@lru_cache(maxsize=1 << 14)
def _written(part: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of a phrase as a text may write it. An optional short prefix:
    "in-context" is indexed as "context"."""
    written = _GAP.join(re.escape(s) for s in part)
    return re.compile(r"(?<![\w-])(?:[^\W\d_]{1,3}-)?" + written + r"(?![\w-])", re.I)


def _word_case(word: str) -> str:
    """A name (LoRA, GPT-4, BERT) as written; an ordinary word in lower case."""
    named = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
    return word if named else word.lower()


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reason(vectors: Vectors, i: int, j: int, found: Evidence) -> str:
    """The sentence a reader sees under a link of paper i to paper j."""
    # i's spelling of a stem first, then j's (looked up, not merged: a pair reads few)
    spelled = ChainMap(vectors.spellings(i), vectors.spellings(j))
    texts = (*vectors.texts[i], *vectors.texts[j])
    picked: list[str] = []
    seen: set[str] = set()
    floor = max(PIECE, SAID * found.pieces[0].weight) if found.pieces else 0.0
    for piece in found.pieces:
        if piece.weight < floor:
            break
        phrase = _as_written(_chain(piece), spelled, texts)
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            picked.append(phrase)
        if len(picked) == WHY_TERMS:
            break
    said = f"both study {_listed(picked)}" if picked else ""
    if found.tags and len(picked) < WHY_TERMS:
        tagged = "both tagged " + _listed([t.replace("-", " ") for t in found.tags[:2]])
        said = f"{said}; {tagged}" if said else tagged
    said = said or "similar wording throughout"
    return said[0].upper() + said[1:]


def shared_terms(vectors: Vectors, i: int, j: int) -> str:
    """Why papers i and j are related, from their text alone."""
    return reason(vectors, i, j, evidence(vectors, i, j))

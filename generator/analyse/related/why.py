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
            for text, low in zip(texts, lowered, strict=True):
                # Only a text holding every word can hold the phrase.
                if all(s.lower() in low for s in part) and (span := _span(text, part)):
                    start, end = span
                    # "language models", not "language": the model leaves out "models"
                    # as a word every abstract uses, a reader does not.
                    noun = _NOUN.match(text, end)
                    found = text[start : noun.end() if noun else end]
                    return " ".join(_word_case(w) for w in found.split())
    return _word_case(spellings[0])


# Words the model leaves out as the genre's own (tokens._GENRE) that end a phrase as
# written: "Mixture-of-Experts language models", "fine-tuning of pre-trained models".
_NOUN = re.compile(r"[\s-](?:models?|tasks?|methods?)(?![\w-])", re.I)


# How a text may write a phrase (the pattern :func:`written` follows without compiling
# one per phrase: there are as many phrases as links): an optional short prefix before
# the first word ("in-context" is indexed as "context"), words in any case, and between
# two words a hyphen or spaces, perhaps around one short word the tokeniser left out
# ("mixture of experts", "state-of-the-art"); nothing word-like on either side.
PHRASE_PATTERN = r"(?<![\w-])(?:[^\W\d_]{1,3}-)?{words}(?![\w-])"
_GAP = r"(?:[\s\-]+(?:[^\W\d_]{1,4}[\s\-]+)?)"
_EDGE = re.compile(r"[\w-]")
_PREFIX = re.compile(r"[^\W\d_]{1,3}-")
_SPACES = re.compile(r"[\s\-]+")
_SHORT = re.compile(r"[^\W\d_]{1,4}")
_PREFIX_REACH = 4  # the longest prefix: three letters and a hyphen


@lru_cache(maxsize=1 << 14)
def _word(word: str) -> re.Pattern[str]:
    """One word, in any case as ``re.I`` compares it (few words, many phrases)."""
    return re.compile(re.escape(word), re.I)


def written(text: str, part: tuple[str, ...]) -> str | None:
    """The leftmost place ``text`` writes the phrase ``part`` (:data:`PHRASE_PATTERN`),
    as written there; None if nowhere."""
    span = _span(text, part)
    return None if span is None else text[span[0] : span[1]]


@lru_cache(maxsize=1 << 16)
def _span(text: str, part: tuple[str, ...]) -> tuple[int, int] | None:
    """Where :func:`written` finds the phrase. Tried only where a match can start: at
    most a short prefix before an occurrence of the first word. Remembered: a paper's
    text is read for the same phrases in each of its links (every lookup again was a
    large share of the related step)."""
    first = _word(part[0])
    starts: set[int] = set()
    found = first.search(text)
    while found is not None:  # every occurrence, overlapping ones too
        at = found.start()
        starts.update(range(max(0, at - _PREFIX_REACH), at + 1))
        found = first.search(text, at + 1)
    for start in sorted(starts):
        if start and _EDGE.match(text, start - 1):
            continue  # (?<![\w-])
        end = _from_start(text, start, part)
        if end is not None:
            return start, end
    return None


def _from_start(text: str, start: int, part: tuple[str, ...]) -> int | None:
    """Where the phrase ends if it starts at ``start``, trying what the pattern would in
    its order: the longest prefix first, then shorter ones, then none."""
    prefix = _PREFIX.match(text, start)
    heads = []
    if prefix is not None:  # letters{1,3} then "-": greedy, then fewer letters
        letters = prefix.end() - 1 - start
        heads += [start + n + 1 for n in range(letters, 0, -1) if text[start + n] == "-"]
    heads.append(start)
    for head in heads:
        end = _words(text, head, part)
        if end is not None:
            return end
    return None


def _words(text: str, pos: int, part: tuple[str, ...]) -> int | None:
    """The end of ``part`` written from ``pos``, with the pattern's gaps; None if not."""
    found = _word(part[0]).match(text, pos)
    if found is None:
        return None
    pos = found.end()
    if len(part) == 1:
        return None if pos < len(text) and _EDGE.match(text, pos) else pos
    gap = _SPACES.match(text, pos)
    if gap is None:
        return None
    short = _SHORT.match(text, gap.end())
    if short is not None:  # the optional word, greedy: the longest first
        for cut in range(short.end(), gap.end(), -1):
            after = _SPACES.match(text, cut)
            if after is not None:
                end = _words(text, after.end(), part[1:])
                if end is not None:
                    return end
    return _words(text, gap.end(), part[1:])


def _word_case(word: str) -> str:
    """A name (LoRA, GPT-4, BERT) as written; an ordinary word in lower case."""
    named = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
    return word if named else word.lower()


def listed(items: list[str]) -> str:
    """Items as a reader lists them: "a", "a and b", "a, b and c"."""
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
    said = f"both study {listed(picked)}" if picked else ""
    if found.tags and len(picked) < WHY_TERMS:
        tagged = "both tagged " + listed([t.replace("-", " ") for t in found.tags[:2]])
        said = f"{said}; {tagged}" if said else tagged
    said = said or "similar wording throughout"
    return said[0].upper() + said[1:]


def shared_terms(vectors: Vectors, i: int, j: int) -> str:
    """Why papers i and j are related, from their text alone."""
    return reason(vectors, i, j, evidence(vectors, i, j))


def forget_spans() -> None:
    """Drop the phrases' places remembered per text (:func:`.tokens.forget_texts`, which
    says why)."""
    _span.cache_clear()

"""How the related model reads a text: tokens, stems and the terms it weighs.

TF-IDF cosine is the usual recipe (arxiv-sanity-lite, ml4code); what is ours is the
tokeniser, because scientific text breaks the default one: ``GPT-4`` must stay one token
(not ``gpt`` and a dropped ``4``), ``μP`` and ``muP`` must be the same token, ``3D`` must
survive, ``Mixture-of-Experts`` and ``mixture of experts`` must meet (both give
``mixture``, ``experts`` and the bigram ``mixture experts``), ``QLoRA`` stays ``qlora``.
Each text also notes how it spells each stem, so a "why" (:mod:`.why`) reads as written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from sys import intern

from lunr.stemmer import PorterStemmer

from generator.text.fold import token_text
from generator.text.stopwords import ENGLISH_STOP_WORDS

# Tokens: alphanumeric runs joined by - . + (gpt-4, 3.5, c++, mixture-of-experts).
_TOKEN = re.compile(r"[^\W_]+(?:[-.+][^\W_]+)*\+*")
_SPLIT = re.compile(r"[-.]")
_NUMBER = re.compile(r"^[\d.,+-]+$")
# Generic words of the genre: every abstract proposes methods and shows results.
_GENRE = frozenset(
    """
    paper propose proposed proposes approach approaches method methods result results show shows
    shown demonstrate demonstrates work novel new using use used based existing state art
    performance model models task tasks experiments experimental achieve achieves significantly
    significant improve improves improved improvement different various including study studies
    large small high low better however furthermore moreover also well introduce introduces
    present presents provide provides key code available github https com www http org vs
""".split()
)
STOP_WORDS = ENGLISH_STOP_WORDS | _GENRE


def _names_a_thing(part: str) -> bool:
    """A compound part that makes the compound a name: has a digit, or is a short
    non-word like 'xl' (but 'of' in mixture-of-experts is just a word)."""
    return any(c.isdigit() for c in part) or (len(part) <= 2 and part not in ENGLISH_STOP_WORDS)


_STEMMER = PorterStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem, the same stemmer the search index uses (lunr's)."""
    return _STEMMER.stem(word)


@lru_cache(maxsize=200_000)
def _root(word: str) -> str | None:
    """The term a word counts as (its stem; a compound as it is), or None for a word
    that is left out (a stop word, a single character, a number). Remembered per word:
    each text's words were checked one test at a time, every time."""
    if word in STOP_WORDS or len(word) < 2 or _NUMBER.match(word):
        return None
    return word if "-" in word or "." in word else stem(word)


@dataclass(frozen=True)
class Terms:
    """One text's terms: stemmed unigrams and bigrams with their counts, and how the
    text itself spells each stem (so a "why" reads "sequences", not "sequenc")."""

    counts: dict[str, int]
    spellings: dict[str, str]


@lru_cache(maxsize=8192)
def terms(text: str) -> Terms:
    words: list[str] = []
    for token in _TOKEN.findall(token_text(text)):
        token = token.strip(".")
        if "-" not in token and "." not in token:
            words.append(token)  # the common case: one word, nothing to split
            continue
        parts = [p for p in _SPLIT.split(token) if p]
        # A compound with a number or a short part is a name (gpt-4, u-mup): keep it
        # whole, and its word parts too, so u-muP meets muP. A compound of words
        # (mixture-of-experts) is just its words.
        if len(parts) > 1 and any(_names_a_thing(p) for p in parts):
            words.append(token)
        words.extend(parts)
    kept: list[str] = []
    seen: dict[str, dict[str, int]] = {}  # root -> how often each spelling of it
    for word in words:
        root = _root(word)
        if root is None:
            continue
        spelled = seen.setdefault(root, {})
        spelled[word] = spelled.get(word, 0) + 1
        kept.append(root)
    grams = kept + [f"{a} {b}" for a, b in pairwise(kept)]
    # Interned: every paper's spellings are kept while the lists are made, and the same
    # few words spelled anew in each text were most of their memory.
    spellings = {
        intern(root): intern(next(iter(c)) if len(c) == 1 else min(c, key=lambda w: (-c[w], w)))
        for root, c in seen.items()
    }
    return Terms(dict(Counter(grams)), spellings)


def forget_texts() -> None:
    """Drop what the tokeniser remembers of texts read so far. In a big catalogue its
    caches kept a sizeable part of the worker's memory pinned after relating (scattered among
    freed objects, they keep whole blocks of it from being given back), under the data
    files it makes next; a later build reads its texts again, or takes their rows from
    the cache."""
    terms.cache_clear()
    _root.cache_clear()
    stem.cache_clear()
    # They import this module.
    from generator.analyse.related.entities import forget_names
    from generator.analyse.related.why import forget_spans

    forget_names()
    forget_spans()


def tokens(text: str) -> list[str]:
    """The distinct terms of ``text`` as the model sees them (stemmed uni- and bigrams)."""
    return list(terms(text).counts)

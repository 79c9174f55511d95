"""Whether a link between two papers is worth showing, and what it rests on.

The model's score (:mod:`.incremental`) ranks; it does not tell a link that rests on one
word used in two fields ("clustering" of data and of galaxies, "tracking" of states and
of particles, the symbol μ) from a link that rests on several things. Here a link is cut
into *pieces of evidence*: its shared terms grouped so that a phrase and its words are
one piece ("mixture of experts", "mixture", "experts"). A piece weighs its share of the
TF-IDF cosine times how specific its words are **in general English** (wordfreq): the
catalogue's own IDF, over a few hundred papers, makes "market", "fast" or "tracking"
look rare; English does not. Symbols and two-letter words weigh nothing. A shared tag
(curated, so independent of the wording) is one more piece.

A link has enough evidence for a reason when it has one strong phrase, or else
:data:`NEEDED` pieces (a shared tag one of them), or one strong word and a narrow shared tag
("editing" and the tag model-editing; a broad tag such as statistics let "clustering" of
galaxies in). Which of the links with enough evidence are shown, and in which order, is
:mod:`.ranking`'s: fewer links rather than weak ones.

Everything here is a function of the two papers' rows and tags, and of how many papers
carry each tag (applied per build, :mod:`.links`), so the lists stay exact and incremental.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from generator.analyse.related.incremental import TERM_SCALE, Vectors

# A word's weight falls linearly with its Zipf frequency in English, from 1 at
# COMMON - SPAN (3.0: "clustering", "quantization") to 0 at COMMON (6.0: "new", "time").
COMMON = 6.0
SPAN = 3.0
PIECE = 0.01  # a piece of evidence counts from this share of the cosine (weighted) up
STRONG_PHRASE = 0.08  # a shared phrase this strong is enough on its own
STRONG_WORD = 0.08  # a shared word this strong is enough with a shared narrow tag
NARROW = 0.03  # a tag on at most this share of the papers is narrow ("model-editing")
NEEDED = 3  # pieces needed otherwise (a shared tag is one)
# A curated family (the same coined name) is evidence enough, of at least this weight.
FAMILY = 1.0
# Greek letters, spelled: a symbol ties two papers no more than "x" does.
SYMBOLS = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega".split()
)


@lru_cache(maxsize=100_000)
def specificity(word: str) -> float:
    """How much a word says about a topic, 0 to 1, by how rare it is in general
    English. A name with a digit (gpt-4, 3d) is specific; a symbol says nothing."""
    word = word.lower()
    letters = [c for c in word if c.isalpha()]
    if word in SYMBOLS or len(letters) <= 1 or (len(word) <= 2 and word.isascii()):
        return 0.0
    if (any(c.isdigit() for c in word) and len(word) > 2) or (
        len(letters) > 1 and not word.isascii()
    ):
        return 1.0  # a name: gpt-4, 3d-gs, μp (a lone μ is a symbol)
    zipf = zipf_frequency(word, "en", wordlist="small")
    return min(1.0, max(0.0, (COMMON - zipf) / SPAN))


@dataclass(frozen=True)
class Piece:
    """Shared terms that overlap in words, and their specificity-weighted contribution."""

    weight: float
    terms: tuple[str, ...]  # stemmed terms, heaviest first
    weights: tuple[float, ...] = ()  # each term's weighted contribution

    @property
    def phrase(self) -> bool:
        return any(" " in t for t in self.terms)


@dataclass(frozen=True)
class Evidence:
    pieces: tuple[Piece, ...]  # heaviest first
    tags: tuple[str, ...]  # shared tags
    narrow: bool = False  # one of them narrow (:data:`NARROW`)

    @property
    def counted(self) -> int:
        """Independent pieces: text pieces from :data:`PIECE` up, and shared tags as one."""
        return sum(p.weight >= PIECE for p in self.pieces) + bool(self.tags)

    @property
    def strong(self) -> bool:
        return any(p.phrase and p.weight >= STRONG_PHRASE for p in self.pieces)

    @property
    def enough(self) -> bool:
        heaviest = self.pieces[0].weight if self.pieces else 0.0
        return (
            self.strong
            or self.counted >= NEEDED
            or (self.narrow and heaviest >= STRONG_WORD)  # "editing" + model-editing
        )

    @property
    def weight(self) -> float:
        """What the link rests on: its pieces, counting more with shared tags."""
        return sum(p.weight for p in self.pieces) * (1 + min(len(self.tags), 2))


def evidence(
    vectors: Vectors,
    i: int,
    j: int,
    tags_i: tuple[str, ...] = (),
    tags_j: tuple[str, ...] = (),
    narrow: frozenset[str] = frozenset(),
) -> Evidence:
    """The pieces of evidence that papers i and j are related."""
    a, b = vectors.row(i), vectors.row(j)
    names = vectors.terms
    # Each shared term's specificity as paper i spells it, kept per paper: a paper is on
    # one side of a dozen pairs, which share most of their terms (looking every word up
    # again, pair by pair, was most of the related step's time).
    weighted = vectors.term_weights(i)
    spell_i, spell_j = vectors.spellings(i), vectors.spellings(j)
    words_of = vectors.words
    scale = float(TERM_SCALE) ** 2
    shared = sorted((names[c], c) for c in a.keys() & b.keys())
    # A phrase and its words are one piece: the groups are the shared terms' words
    # joined by each shared phrase. Only a word joined to another has a parent (most
    # shared terms are single words, each its own group).
    parent: dict[str, str] = {}

    def root(word: str) -> str:
        while word in parent:
            word = parent[word]
        return word

    for _, column in shared:
        first, *rest = words_of[column]
        for word in rest:
            top, other = root(first), root(word)
            if other != top:
                parent[other] = top
    groups: dict[str, list[tuple[float, str]]] = {}
    for term, column in shared:
        weight = weighted.get(column)
        words = words_of[column]
        if weight is None:
            weight = term_weight(words, spell_i, spell_j)
            if all(w in spell_i for w in words):  # as i spells it, whatever j
                weighted[column] = weight
        share = a[column] * b[column] / scale
        groups.setdefault(root(words[0]), []).append((share * weight, term))
    tags = tuple(sorted(set(tags_i) & set(tags_j)))
    return Evidence(pieces_of(groups.values()), tags, not narrow.isdisjoint(tags))


def pieces_of(groups: Iterable[list[tuple[float, str]]]) -> tuple[Piece, ...]:
    """Each group of shared terms, as (weighted share, term), as a piece: its terms
    heaviest first (a tie by term); the pieces heaviest first."""
    pieces = []
    for group in groups:
        group.sort(key=lambda x: (-x[0], x[1]))
        weights = tuple(w for w, _ in group)
        pieces.append(Piece(sum(weights), tuple(t for _, t in group), weights))
    pieces.sort(key=lambda p: (-p.weight, p.terms))
    return tuple(pieces)


def term_weight(words: tuple[str, ...], first: Mapping[str, str], then: Mapping[str, str]) -> float:
    """How specific a shared term (its words) is: its most specific word, spelled as
    ``first`` spells it, else as ``then`` does; a phrase is more specific than its most
    specific word."""
    weight = max(specificity(first[w] if w in first else then.get(w, w)) for w in words)
    return min(1.0, 1.5 * weight) if len(words) > 1 else weight


def tag_specificity(counts: Mapping[str, int], papers: int) -> dict[str, float]:
    """Each tag's weight as evidence, its IDF over the catalogue: a tag on 2% of the
    papers (model-editing) says far more than one on 25% (large-language-models)."""
    return {tag: math.log(papers / n) for tag, n in counts.items() if n}
